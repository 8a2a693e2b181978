import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Nlp as NlpManager } from '@nlpjs/nlp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChitchatSeedEntry, IntentSeed } from '../types.js';
import { createNlu, type Nlu } from './index.js';

const seedDir = join(import.meta.dirname, '../seed');
const chitchat = JSON.parse(await readFile(join(seedDir, 'chitchat.json'), 'utf8')) as ChitchatSeedEntry[];
const intents = JSON.parse(await readFile(join(seedDir, 'intents.json'), 'utf8')) as IntentSeed[];
const heldout = JSON.parse(await readFile(join(import.meta.dirname, 'heldout.json'), 'utf8')) as { text: string; expect: string }[];

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'nlu-test-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Everything written to stdout, by the stream or through console, while `fn` runs. */
async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  // Vitest routes console.* around process.stdout, so those are captured on their own.
  const consoles = (['log', 'info', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void written.push(args.join(' '))),
  );
  try {
    await fn();
  } finally {
    write.mockRestore();
    for (const c of consoles) c.mockRestore();
  }
  return written.join('');
}

describe('the NLU trained on the seed base', () => {
  let nlu: Nlu;
  beforeAll(async () => {
    nlu = await createNlu({ chitchat, intents, cacheDir: await tempDir(), random: () => 0 });
  });

  it.each(['你好', '在吗', '早上好', '你是机器人吗'])('answers the greeting or small talk %j from chit-chat', async (text) => {
    const r = await nlu.classify(text);
    expect(r.kind).toBe('chitchat');
    const entry = chitchat.find((c) => c.id === r.chitchatId);
    expect(entry?.answers).toContain(r.answer);
  });

  it.each([
    ['转人工', 'handoff'],
    ['我要找真人客服', 'handoff'],
    ['人工客服', 'handoff'],
    ['谢谢', 'thanks'],
    ['好的谢谢', 'thanks'],
    ['拜拜', 'end'],
    ['没用', 'feedback.down'],
    ['有用', 'feedback.up'],
  ])('recognises %j as the intent %s', async (text, intent) => {
    expect(await nlu.classify(text)).toMatchObject({ kind: 'intent', intent });
  });

  it.each(['总账结账提示有未记账凭证', '固定资产怎么计提折旧', '加密锁驱动怎么安装', 'sdkfj qwe 8823', '北京到上海的高铁票多少钱', ''])(
    'leaves the business question or noise %j to the FAQ',
    async (text) => {
      expect((await nlu.classify(text)).kind).toBe('none');
    },
  );

  it('picks the chit-chat answer with the random source', async () => {
    const last = await createNlu({ chitchat, intents, cacheDir: nlu.info.file.replace(/\/[^/]+$/, ''), random: () => 0.999 });
    const first = await nlu.classify('你好');
    const other = await last.classify('你好');
    const entry = chitchat.find((c) => c.id === first.chitchatId)!;
    expect(first.answer).toBe(entry.answers[0]);
    expect(other.answer).toBe(entry.answers.at(-1));
  });

  it('gets at least 75% of the held-out chit-chat and intent wordings right', async () => {
    const cases = heldout.filter((h) => h.expect !== 'none');
    let right = 0;
    for (const h of cases) {
      const r = await nlu.classify(h.text);
      const label = r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'chitchat' ? `chitchat:${r.chitchatId}` : 'none';
      if (label === h.expect) right++;
    }
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(right / cases.length).toBeGreaterThanOrEqual(0.75);
  });

  it('leaves at least 95% of the held-out business questions as none', async () => {
    const cases = heldout.filter((h) => h.expect === 'none');
    let none = 0;
    for (const h of cases) if ((await nlu.classify(h.text)).kind === 'none') none++;
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(none / cases.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the model cache', () => {
  const small: { chitchat: ChitchatSeedEntry[]; intents: IntentSeed[] } = {
    chitchat: [{ id: 'cc-1', questions: ['你好', '您好', '早上好', '在吗'], answers: ['您好！'] }],
    intents: [{ intent: 'handoff', utterances: ['转人工', '人工客服', '我要找客服', '真人'] }],
  };

  it('loads an unchanged base from disk without training, faster', async () => {
    // The full base: the small one trains in a few milliseconds, too close to loading to compare.
    const cacheDir = await tempDir();
    const first = await createNlu({ chitchat, intents, cacheDir });
    const train = vi.spyOn(NlpManager.prototype, 'train');
    try {
      const second = await createNlu({ chitchat, intents, cacheDir });
      expect(first.info.source).toBe('trained');
      expect(second.info).toMatchObject({ source: 'cache', key: first.info.key, file: first.info.file });
      expect(train).not.toHaveBeenCalled();
      expect(second.info.ms).toBeLessThan(first.info.ms);
      expect(await second.classify('转人工')).toMatchObject({ kind: 'intent', intent: 'handoff' });
    } finally {
      train.mockRestore();
    }
  });

  it('retrains when the base changes, and ignores the order of its entries', async () => {
    const cacheDir = await tempDir();
    const first = await createNlu({ ...small, cacheDir });
    const changed = await createNlu({ ...small, chitchat: [{ ...small.chitchat[0]!, questions: [...small.chitchat[0]!.questions, '哈喽'] }], cacheDir });
    expect(changed.info.source).toBe('trained');
    expect(changed.info.key).not.toBe(first.info.key);
    const reordered = await createNlu({ ...small, intents: [{ intent: 'handoff', utterances: [...small.intents[0]!.utterances].reverse() }], cacheDir });
    expect(reordered.info.source).toBe('trained'); // the changed model replaced the first one on disk
    const again = await createNlu({ ...small, intents: [{ intent: 'handoff', utterances: [...small.intents[0]!.utterances].reverse() }], cacheDir });
    expect(again.info).toMatchObject({ source: 'cache', key: first.info.key });
  });

  it('retrains over a damaged cache file', async () => {
    const cacheDir = await tempDir();
    const first = await createNlu({ ...small, cacheDir });
    await writeFile(first.info.file, '{"key":');
    const second = await createNlu({ ...small, cacheDir });
    expect(second.info.source).toBe('trained');
    expect(await second.classify('你好')).toMatchObject({ kind: 'chitchat', chitchatId: 'cc-1', answer: '您好！' });
  });

  it('logs how the model was obtained', async () => {
    const cacheDir = await tempDir();
    const info = vi.fn();
    await createNlu({ ...small, cacheDir, logger: { info } });
    await createNlu({ ...small, cacheDir, logger: { info } });
    expect(info.mock.calls.map((c) => c[1])).toEqual(['nlu model trained', 'nlu model loaded from cache']);
  });
});

describe('output', () => {
  it('sees what console.log writes (the capture works)', async () => {
    expect(await captureStdout(async () => console.log('probe'))).toContain('probe');
  });

  it('prints nothing to stdout while training and classifying', async () => {
    const cacheDir = await tempDir();
    const out = await captureStdout(async () => {
      const nlu = await createNlu({ chitchat, intents, cacheDir });
      for (const t of ['你好', '？？？', '。。。', '转人工', '总账结账']) await nlu.classify(t);
    });
    expect(out).toBe('');
  });
});

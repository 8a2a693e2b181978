/**
 * Measures the NLU and calibrates its thresholds (docs/nlu.md). Not shipped behaviour: run by hand,
 *   node --import tsx scripts/nlu-calibrate.ts [--tokenizer bigram|nlpjs]
 * It trains on the seed files, then scores
 *  - the held-out chit-chat and intent wordings of heldout.json (must get their label),
 *  - business questions: heldout.json's 'none' rows plus every question of server/bot/seed/faq-*.json
 *    (must be 'none'),
 *  - test/bot-domain/oos.json and, when present, the general-domain 'oos' lists of
 *    ../shared/eval/faq/*.json (measured only; never copied into the repo),
 * over a grid of the two thresholds, and prints training, cache-load and classify latency.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChitchatSeedEntry, DomainCase, FaqSeedEntry, IntentSeed } from '../server/bot/types.js';
import { createNlu, DEFAULT_TUNING, type NluResult } from '../server/bot/nlu/index.js';
import type { TokenizerMode } from '../server/bot/nlu/manager.js';
import { coverage, tokens, topicTokens } from '../server/bot/nlu/tokenize.js';

const root = join(import.meta.dirname, '..');
const seedDir = join(root, 'server/bot/seed');
const readJson = async <T>(p: string): Promise<T> => JSON.parse(await readFile(p, 'utf8')) as T;

const flag = process.argv.indexOf('--tokenizer');
const mode = (flag >= 0 ? process.argv[flag + 1] : 'bigram') as TokenizerMode;
const chitchat = await readJson<ChitchatSeedEntry[]>(join(seedDir, 'chitchat.json'));
const intents = await readJson<IntentSeed[]>(join(seedDir, 'intents.json'));
const heldout = await readJson<{ text: string; expect: string }[]>(join(root, 'server/bot/nlu/heldout.json'));
const oos = (await readJson<DomainCase[]>(join(root, 'test/bot-domain/oos.json'))).map((c) => c.question);

const faqQuestions: string[] = [];
for (const f of (await readdir(seedDir)).filter((n) => /^faq-.*\.json$/.test(n))) {
  for (const e of await readJson<FaqSeedEntry[]>(join(seedDir, f))) faqQuestions.push(e.question, ...e.similar);
}
const evalOos: string[] = [];
const evalDir = join(root, '../shared/eval/faq');
try {
  for (const f of (await readdir(evalDir)).filter((n) => n.endsWith('.json'))) {
    const task = await readJson<{ oos?: string[] }>(join(evalDir, f));
    evalOos.push(...(task.oos ?? []));
  }
} catch {
  /* the evaluation data is optional */
}
const evalOosDistinct = [...new Set(evalOos)];

// The labels' vocabularies, as index.ts builds them (the script needs the raw coverage).
const vocab = new Map<string, Set<string>>();
const addVocab = (label: string, text: string) => {
  const set = vocab.get(label) ?? new Set<string>();
  for (const t of tokens(text)) set.add(t);
  vocab.set(label, set);
};
for (const i of intents) for (const u of i.utterances) addVocab(`intent:${i.intent}`, u);
for (const c of chitchat) for (const q of c.questions) addVocab(`chitchat:${c.id}`, q);

const cacheDir = await mkdtemp(join(tmpdir(), 'nlu-calibrate-'));
// @nlpjs/lang-zh's pipeline (--tokenizer nlpjs) prints "Compiling dictionary": keep the report readable.
const log = console.log;
console.log = () => {};
const raw = await createNlu({ chitchat, intents, cacheDir, tuning: { tokenizer: mode, minScore: 0, minCoverage: 0 } });
const again = await createNlu({ chitchat, intents, cacheDir, tuning: { tokenizer: mode, minScore: 0, minCoverage: 0 } });
console.log = log;

interface Row {
  label: string;
  score: number;
  cov: number;
}
const labelOf = (r: NluResult) => (r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'chitchat' ? `chitchat:${r.chitchatId}` : 'none');
async function score(texts: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const t of texts) {
    const r = await raw.classify(t);
    const label = labelOf(r);
    rows.push({ label, score: r.score, cov: label === 'none' ? 0 : coverage(topicTokens(t), vocab.get(label)!) });
  }
  return rows;
}
const inScope = heldout.filter((h) => h.expect !== 'none');
const business = [...heldout.filter((h) => h.expect === 'none').map((h) => h.text), ...faqQuestions];
const inRows = await score(inScope.map((h) => h.text));
const busRows = await score(business);
const oosRows = await score(oos);
const evalRows = await score(evalOosDistinct);

// Latency over every text above, after a warm-up pass.
const all = [...inScope.map((h) => h.text), ...business, ...oos, ...evalOosDistinct.slice(0, 300)];
for (const t of all.slice(0, 100)) await again.classify(t);
const times: number[] = [];
for (const t of all) {
  const s = performance.now();
  await again.classify(t);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2);

const pass = (r: Row, s: number, c: number) => r.label !== 'none' && r.score >= s && r.cov >= c;
const rate = (rows: Row[], f: (r: Row) => boolean) => (rows.length ? (100 * rows.filter(f).length) / rows.length : 0).toFixed(1);
function line(s: number, c: number): string {
  const acc = rate(inRows.map((r, i) => ({ ...r, ok: r.label === inScope[i]!.expect })) as (Row & { ok: boolean })[], (r) => (r as Row & { ok: boolean }).ok && pass(r, s, c));
  return `| ${s.toFixed(2)} | ${c.toFixed(2)} | ${acc} | ${rate(busRows, (r) => pass(r, s, c))} | ${rate(oosRows, (r) => pass(r, s, c))} | ${evalRows.length ? rate(evalRows, (r) => pass(r, s, c)) : 'n/a'} |`;
}

log(`tokenizer ${mode}; ${raw.info.labels} labels, ${raw.info.utterances} utterances`);
log(`train ${raw.info.ms} ms (${raw.info.source}); load from cache ${again.info.ms} ms (${again.info.source})`);
log(`classify p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${times.at(-1)!.toFixed(2)} ms over ${times.length} texts`);
log(`held-out in-scope ${inRows.length}, business ${busRows.length} (faq seed ${faqQuestions.length}), oos.json ${oosRows.length}, eval oos ${evalRows.length}`);
log('| minScore | minCoverage | held-out correct % | business not none % | oos.json not none % | eval oos not none % |');
log('| --- | --- | --- | --- | --- | --- |');
for (const s of [0, 0.4, 0.5, 0.6, 0.7]) for (const c of [0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7]) log(line(s, c));
log(`shipped: ${line(DEFAULT_TUNING.minScore, DEFAULT_TUNING.minCoverage)}`);
const misses = inRows.map((r, i) => ({ r, h: inScope[i]! })).filter(({ r, h }) => !(r.label === h.expect && pass(r, DEFAULT_TUNING.minScore, DEFAULT_TUNING.minCoverage)));
log('held-out misses at the shipped thresholds:', misses.map(({ r, h }) => `${h.text}→${r.label}(${r.score.toFixed(2)},${r.cov.toFixed(2)})`).join('; '));
const leaks = busRows.map((r, i) => ({ r, t: business[i]! })).filter(({ r }) => pass(r, DEFAULT_TUNING.minScore, DEFAULT_TUNING.minCoverage));
log('business questions not none:', leaks.map(({ r, t }) => `${t}→${r.label}(${r.score.toFixed(2)},${r.cov.toFixed(2)})`).join('; '));
await rm(cacheDir, { recursive: true, force: true });

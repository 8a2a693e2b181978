import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { faqEntries } from '../../server/db/schema.js';
import { deleteEntry, loadChitchat, loadIndexDocs, loadSynonyms, updateEntry, type KbDeps } from '../../server/kb/kb.service.js';
import { seedKnowledge } from '../../server/bot/seed/load.js';
import type { ChitchatSeedEntry, FaqSeedEntry } from '../../server/bot/types.js';
import { testMode } from '../helpers/mode.js';
import { openKbFixture } from './fixture.js';

/** 400 entries × (1 standard + 4 similar) questions, like the shipped seed. */
function faqFixture(prefix: string, n: number): FaqSeedEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i + 1).padStart(3, '0')}`,
    question: `${prefix}问题${i + 1}怎么处理`,
    similar: [`${prefix}问题${i + 1}如何处理`, `${prefix}问题${i + 1}咋办`, `${prefix}问题${i + 1}怎么弄`, `${prefix}问题${i + 1}怎么解决`],
    answer: `第${i + 1}条的答案。\n第二行。`,
    link: i % 2 ? '/h5/#home' : undefined,
    product: 'GS',
    module: prefix,
  }));
}

describe(`seeding the knowledge base (${testMode()})`, () => {
  let database: Database;
  let deps: KbDeps;
  const seedDir = mkdtempSync(join(tmpdir(), 'kb-seed-'));
  const chitchat: ChitchatSeedEntry[] = [
    { id: 'cc-001', questions: ['你好', '您好'], answers: ['您好，请问有什么可以帮您？'] },
    { id: 'cc-002', questions: ['你是机器人吗'], answers: ['我是智能客服小浪。', '是的，我是机器人。'] },
  ];

  beforeAll(async () => {
    ({ database, deps } = await openKbFixture());
    writeFileSync(join(seedDir, 'faq-gl.json'), JSON.stringify(faqFixture('gl', 200)));
    writeFileSync(join(seedDir, 'faq-plat.json'), JSON.stringify(faqFixture('plat', 200)));
    writeFileSync(join(seedDir, 'chitchat.json'), JSON.stringify(chitchat));
    writeFileSync(join(seedDir, 'synonyms.json'), JSON.stringify({ 登陆: '登录', 专票: '专用发票' }));
  });
  afterAll(async () => {
    await database?.close();
  });

  it('loads 400 entries with 5 questions each, published, in well under 2 s', async () => {
    const r = await seedKnowledge(database.db, { seedDir });
    expect(r).toMatchObject({ entriesAdded: 400, questionsAdded: 1600, chitchatAdded: 2, synonymsAdded: 2 });
    expect(r.ms).toBeLessThan(2000);
    const { docs, entries } = await loadIndexDocs(database.db);
    expect(entries.size).toBe(400);
    expect(docs).toHaveLength(2000);
    console.log(`seed 400 entries x 5 questions (${testMode()}): ${r.ms} ms`);
  });

  it('adds nothing on a second start', async () => {
    const r = await seedKnowledge(database.db, { seedDir });
    expect(r).toMatchObject({ entriesAdded: 0, questionsAdded: 0, chitchatAdded: 0, synonymsAdded: 0 });
    expect((await loadIndexDocs(database.db)).docs).toHaveLength(2000);
  });

  it('adds new seed entries on a later start without touching staff edits or bringing deleted ones back', async () => {
    const [edited] = await database.db.select().from(faqEntries).where(eq(faqEntries.slug, 'gl-001'));
    const [deleted] = await database.db.select().from(faqEntries).where(eq(faqEntries.slug, 'gl-002'));
    await updateEntry(deps, edited!.id, { answer: '客服改过的答案', similar: ['只留这一个相似问题'] });
    await deleteEntry(deps, deleted!.id);
    writeFileSync(join(seedDir, 'faq-new.json'), JSON.stringify(faqFixture('new', 3)));
    writeFileSync(join(seedDir, 'synonyms.json'), JSON.stringify({ 登陆: '登录啦', 专票: '专用发票', 加密狗: '加密锁' }));

    const r = await seedKnowledge(database.db, { seedDir });

    expect(r).toMatchObject({ entriesAdded: 3, questionsAdded: 12, synonymsAdded: 1 });
    const { docs, entries } = await loadIndexDocs(database.db);
    expect(entries.get(String(edited!.id))?.answer).toBe('客服改过的答案');
    expect(docs.filter((d) => d.entryId === String(edited!.id)).map((d) => d.text)).toEqual(['gl问题1怎么处理', '只留这一个相似问题']);
    expect(entries.has(String(deleted!.id))).toBe(false);
    expect(entries.size).toBe(400 - 1 + 3);
    expect(await loadSynonyms(database.db)).toEqual({ 登陆: '登录', 专票: '专用发票', 加密狗: '加密锁' });
  });

  it('loads the chit-chat base by its seed ids', async () => {
    expect(await loadChitchat(database.db)).toEqual(chitchat);
  });

  it('says the knowledge changed when a start added something, and not otherwise', async () => {
    const emitted: unknown[] = [];
    const bus = { ...deps.bus, emit: async (_name: string, payload: unknown) => void emitted.push(payload) } as KbDeps['bus'];
    await seedKnowledge(database.db, { seedDir, bus });
    expect(emitted).toEqual([]);
    writeFileSync(join(seedDir, 'faq-later.json'), JSON.stringify(faqFixture('later', 1)));
    await seedKnowledge(database.db, { seedDir, bus });
    expect(emitted).toEqual([{ reason: 'seed' }]);
  });

  it('stops with the folder name when the seed folder is missing', async () => {
    await expect(seedKnowledge(database.db, { seedDir: join(seedDir, 'missing') })).rejects.toThrow(/missing: cannot read the seed folder/);
  });

  it('stops with the file name on a repeated seed id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-seed-bad-'));
    writeFileSync(join(dir, 'faq-a.json'), JSON.stringify(faqFixture('x', 1)));
    writeFileSync(join(dir, 'faq-b.json'), JSON.stringify(faqFixture('x', 1)));
    await expect(seedKnowledge(database.db, { seedDir: dir })).rejects.toThrow(/faq-b\.json: id x-001 is also used in faq-a\.json/);
  });
});

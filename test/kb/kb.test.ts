import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import {
  createEntry,
  deleteEntry,
  getEntry,
  loadIndexDocs,
  publishEntry,
  searchEntries,
  unpublishEntry,
  updateEntry,
  type KbDeps,
} from '../../server/kb/kb.service.js';
import { addHits } from '../../server/kb/entries.repo.js';
import { lastTurn, recordFeedback, recordTurn } from '../../server/kb/turns.service.js';
import { testMode } from '../helpers/mode.js';
import { openKbFixture } from './fixture.js';

describe(`the knowledge base service (${testMode()})`, () => {
  let database: Database;
  let deps: KbDeps;
  let emitted: { name: string; payload: unknown }[];

  beforeAll(async () => {
    ({ database, deps, emitted } = await openKbFixture());
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(() => {
    emitted.length = 0;
  });

  const docsOf = async (id: number) => (await loadIndexDocs(deps.db)).docs.filter((d) => d.entryId === String(id)).map((d) => d.text);

  it('creates a draft entry with its similar questions, and says the knowledge changed', async () => {
    const e = await createEntry(deps, {
      question: '如何查询服务编码？',
      similar: ['服务编码在哪看', '服务编码怎么查', '服务编码在哪看', '如何查询服务编码'],
      answer: '在服务平台首页点击“服务编码查询”，输入单位全称。',
      link: '/h5/#home/service-code',
      product: '平台',
      module: '服务编码',
    });
    expect(e).toMatchObject({ status: 'draft', question: '如何查询服务编码？', link: '/h5/#home/service-code', hits: 0 });
    expect(e.similar.map((q) => [q.text, q.source])).toEqual([
      ['服务编码在哪看', 'staff'],
      ['服务编码怎么查', 'staff'],
    ]);
    expect(emitted).toEqual([{ name: 'knowledge.changed', payload: { reason: 'entry.created' } }]);
  });

  it('indexes only published entries, and publishing takes effect at once', async () => {
    const e = await createEntry(deps, { question: '忘记密码怎么办', similar: ['密码忘了', '找回密码'], answer: '三种方式找回密码。' });
    expect(await docsOf(e.id)).toEqual([]);
    await publishEntry(deps, e.id);
    expect(await docsOf(e.id)).toEqual(['忘记密码怎么办', '密码忘了', '找回密码']);
    const snapshot = await loadIndexDocs(deps.db);
    expect(snapshot.entries.get(String(e.id))).toEqual({ question: '忘记密码怎么办', answer: '三种方式找回密码。', link: null });
    await unpublishEntry(deps, e.id);
    expect(await docsOf(e.id)).toEqual([]);
    expect(emitted.map((x) => x.payload)).toEqual([{ reason: 'entry.created' }, { reason: 'entry.published' }, { reason: 'entry.unpublished' }]);
  });

  it('updates the question, the answer, the tags and replaces the similar questions', async () => {
    const e = await createEntry(deps, { question: '怎么绑定微信', similar: ['微信绑定', '绑微信'], answer: '旧答案', status: 'published' });
    const updated = await updateEntry(deps, e.id, {
      question: '如何绑定微信',
      similar: ['绑微信', '微信怎么绑定账号'],
      answer: '新答案\n第二行',
      link: '/h5/#bind',
      version: 'V8',
    });
    expect(updated).toMatchObject({ question: '如何绑定微信', answer: '新答案\n第二行', link: '/h5/#bind', version: 'V8' });
    expect(updated.similar.map((q) => q.text)).toEqual(['绑微信', '微信怎么绑定账号']);
    expect(await docsOf(e.id)).toEqual(['如何绑定微信', '绑微信', '微信怎么绑定账号']);
    expect(emitted.at(-1)).toEqual({ name: 'knowledge.changed', payload: { reason: 'entry.updated' } });
  });

  it('refuses a second entry with the same standard question, compared normalised', async () => {
    await createEntry(deps, { question: '积分是什么', answer: '积分说明' });
    await expect(createEntry(deps, { question: '积分是什么？', answer: 'x' })).rejects.toMatchObject({ status: 409, code: 'duplicate_question' });
  });

  it('keeps one question text in one entry: a similar question another entry holds is refused, naming that entry', async () => {
    const held = await createEntry(deps, { question: '总账怎么结账', similar: ['月末结账怎么弄'], answer: '结账说明' });
    const other = await createEntry(deps, { question: '报表怎么出', answer: '报表说明' });
    const refused = { status: 409, code: 'duplicate_question', message: expect.stringContaining(`条目 ${held.id}「总账怎么结账」`) };
    // As a new entry's similar question, its standard question, or one added by an edit.
    await expect(createEntry(deps, { question: '结账的问题', similar: ['月末结账怎么弄！'], answer: 'x' })).rejects.toMatchObject(refused);
    await expect(createEntry(deps, { question: '月末 结账怎么弄', answer: 'x' })).rejects.toMatchObject(refused);
    await expect(updateEntry(deps, other.id, { similar: ['报表在哪', '总账怎么结账？'] })).rejects.toMatchObject(refused);
    await expect(updateEntry(deps, other.id, { question: '月末结账怎么弄' })).rejects.toMatchObject(refused);
    expect((await getEntry(deps.db, other.id)).similar).toEqual([]);
    // The entry that holds a text may keep it through its own edits.
    const kept = await updateEntry(deps, held.id, { similar: ['月末结账怎么弄', '结账按钮在哪'] });
    expect(kept.similar.map((q) => q.text)).toEqual(['月末结账怎么弄', '结账按钮在哪']);
  });

  it('lets only one of two concurrent edits take the same new question text', async () => {
    const a = await createEntry(deps, { question: '并发甲', answer: 'a' });
    const b = await createEntry(deps, { question: '并发乙', answer: 'b' });
    const results = await Promise.allSettled([updateEntry(deps, a.id, { similar: ['同一个新问法'] }), updateEntry(deps, b.id, { similar: ['同一个新问法'] })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['duplicate_question']);
  });

  it('refuses an entry without an answer, with a Chinese reason', async () => {
    await expect(createEntry(deps, { question: '没有答案的问题', answer: '  ' })).rejects.toMatchObject({ status: 400, message: '答案不能为空' });
  });

  it('searches by text in questions, similar questions and answers, by tags and status, one page at a time', async () => {
    for (let i = 1; i <= 5; i++) {
      await createEntry(deps, { question: `总账月末结账第${i}步`, similar: [`结账步骤${i}`], answer: '按顺序操作', product: 'GS', module: '总账' });
    }
    const first = await searchEntries(deps.db, { text: '结账', module: '总账', pageSize: 2 });
    expect(first.total).toBe(5);
    expect(first.items.map((i) => i.question)).toEqual(['总账月末结账第1步', '总账月末结账第2步']);
    expect(first.items[0]!.similarCount).toBe(1);
    const third = await searchEntries(deps.db, { text: '结账', module: '总账', pageSize: 2, page: 3 });
    expect(third.items.map((i) => i.question)).toEqual(['总账月末结账第5步']);
    expect((await searchEntries(deps.db, { text: '结账步骤3' })).items.map((i) => i.question)).toEqual(['总账月末结账第3步']);
    expect((await searchEntries(deps.db, { text: '100%' })).total).toBe(0);
    expect((await searchEntries(deps.db, { status: 'published', module: '总账' })).total).toBe(0);
  });

  it('deletes softly: the entry leaves search, the index and reads', async () => {
    const e = await createEntry(deps, { question: '要删除的条目', answer: '答案', status: 'published' });
    await deleteEntry(deps, e.id);
    expect(await docsOf(e.id)).toEqual([]);
    expect((await searchEntries(deps.db, { text: '要删除的条目' })).total).toBe(0);
    await expect(getEntry(deps.db, e.id)).rejects.toMatchObject({ status: 404 });
    await expect(publishEntry(deps, e.id)).rejects.toMatchObject({ status: 404 });
    expect(emitted.at(-1)).toEqual({ name: 'knowledge.changed', payload: { reason: 'entry.deleted' } });
  });

  it('counts hits and feedback once per turn', async () => {
    const e = await createEntry(deps, { question: '热线电话是多少', answer: '400-658-6000', status: 'published' });
    const turn = await recordTurn(deps.db, { conversationId: 7, question: '热线多少', band: 'answer', entryId: e.id, score: 0.93 });
    await addHits(deps.db, new Map([[e.id, 1]]));
    expect(await recordFeedback(deps.db, turn.id, 'up')).toBe(true);
    expect(await recordFeedback(deps.db, turn.id, 'down')).toBe(false);
    const none = await recordTurn(deps.db, { conversationId: 7, question: '天气', band: 'none' });
    expect(await recordFeedback(deps.db, none.id, 'down')).toBe(false);
    expect(await getEntry(deps.db, e.id)).toMatchObject({ hits: 1, thumbsUp: 1, thumbsDown: 0 });
    expect(await lastTurn(deps.db, 7)).toMatchObject({ id: none.id, band: 'none', entryId: null });
  });

  it('gives the last turn of a conversation with its suggestions in order', async () => {
    await recordTurn(deps.db, { conversationId: 8, question: '发票', band: 'suggest', suggestions: [3, 1, 2] });
    expect(await lastTurn(deps.db, 8)).toMatchObject({ band: 'suggest', suggestions: [3, 1, 2], feedback: null });
    expect(await lastTurn(deps.db, 9)).toBeUndefined();
  });
});

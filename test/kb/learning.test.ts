import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { botTurns, conversations, customers, faqEntries, messages, unansweredQuestions } from '../../server/db/schema.js';
import { registerCandidateListeners } from '../../server/kb/candidates.listeners.js';
import { acceptCandidate, dismissCandidate, listCandidates, offerCandidate } from '../../server/kb/candidates.service.js';
import { createEntry, getEntry, loadIndexDocs, type KbDeps } from '../../server/kb/kb.service.js';
import { botStats } from '../../server/kb/stats.service.js';
import { recordTurn } from '../../server/kb/turns.service.js';
import {
  attachToEntry,
  createEntryFrom,
  dismissUnanswered,
  listUnanswered,
  logUnanswered,
} from '../../server/kb/unanswered.service.js';
import { testMode } from '../helpers/mode.js';
import { until } from '../helpers/until.js';
import { openKbFixture } from './fixture.js';

describe(`learning (${testMode()})`, () => {
  let database: Database;
  let deps: KbDeps;
  let emitted: { name: string; payload: unknown }[];

  beforeAll(async () => {
    ({ database, deps, emitted } = await openKbFixture());
  });
  afterAll(async () => {
    await database?.close();
  });

  const docsOf = async (id: number) => (await loadIndexDocs(deps.db)).docs.filter((d) => d.entryId === String(id)).map((d) => d.text);

  describe('the unanswered log', () => {
    it('clusters near-duplicates: counts them, keeps the first wording and up to 5 variants', async () => {
      const first = await logUnanswered(deps.db, '加密锁插上了系统还是提示找不到');
      const again = await logUnanswered(deps.db, '加密锁插上了，系统还是提示找不到！');
      const near = await logUnanswered(deps.db, '加密锁插上了系统还是提示找不到啊');
      expect(again?.id).toBe(first!.id);
      expect(near?.id).toBe(first!.id);
      expect(near).toMatchObject({ text: '加密锁插上了系统还是提示找不到', count: 3, variants: ['加密锁插上了，系统还是提示找不到！', '加密锁插上了系统还是提示找不到啊'] });
      for (let i = 0; i < 6; i++) await logUnanswered(deps.db, `加密锁插上了系统还是提示找不到${'呀'.repeat(i + 1)}`);
      const [row] = await deps.db.select().from(unansweredQuestions).where(eq(unansweredQuestions.id, first!.id));
      expect(row!.count).toBe(9);
      expect(row!.variants).toHaveLength(5);
    });

    it('keeps different questions apart, even when they share words', async () => {
      const a = await logUnanswered(deps.db, '凭证打印格式怎么调整');
      const b = await logUnanswered(deps.db, '凭证打印不出来怎么办');
      const c = await logUnanswered(deps.db, '工资条怎么发给员工');
      expect(new Set([a!.id, b!.id, c!.id]).size).toBe(3);
      expect([a, b, c].map((x) => x!.count)).toEqual([1, 1, 1]);
    });

    it('ignores a question with nothing but punctuation', async () => {
      expect(await logUnanswered(deps.db, '？？！！')).toBeUndefined();
    });

    it('lists open clusters, most asked first', async () => {
      const page = await listUnanswered(deps.db, { pageSize: 2 });
      expect(page.total).toBe(4);
      expect(page.items[0]).toMatchObject({ text: '加密锁插上了系统还是提示找不到', count: 9 });
    });

    it('attaches a logged question to an entry: the index has it at once', async () => {
      const entry = await createEntry(deps, { question: '凭证怎么打印', answer: '在凭证查询界面点击打印。', status: 'published' });
      const cluster = (await logUnanswered(deps.db, '凭证打印按钮在哪里'))!;
      emitted.length = 0;
      const updated = await attachToEntry(deps, cluster.id, entry.id);
      expect(updated.similar).toEqual([expect.objectContaining({ text: '凭证打印按钮在哪里', source: 'learned' })]);
      expect(await docsOf(entry.id)).toEqual(['凭证怎么打印', '凭证打印按钮在哪里']);
      expect(emitted).toEqual([{ name: 'knowledge.changed', payload: { reason: 'unanswered.attached' } }]);
      expect((await listUnanswered(deps.db, { status: 'attached' })).items).toEqual([
        expect.objectContaining({ id: cluster.id, status: 'attached', entryId: entry.id }),
      ]);
      await expect(attachToEntry(deps, cluster.id, entry.id)).rejects.toMatchObject({ status: 400, message: '该问题已处理' });
    });

    it('creates a published entry from a logged question: the index has it at once', async () => {
      const cluster = (await logUnanswered(deps.db, '工资条怎么发给员工'))!;
      emitted.length = 0;
      const created = await createEntryFrom(deps, cluster.id, {
        question: '如何把工资条发给员工',
        answer: '在薪资模块选择“工资条发放”。',
        module: '薪资',
      });
      expect(created).toMatchObject({ status: 'published', module: '薪资' });
      expect(await docsOf(created.id)).toEqual(['如何把工资条发给员工', '工资条怎么发给员工']);
      expect(emitted).toEqual([{ name: 'knowledge.changed', payload: { reason: 'unanswered.created' } }]);
      const [row] = await deps.db.select().from(unansweredQuestions).where(eq(unansweredQuestions.id, cluster.id));
      expect(row).toMatchObject({ status: 'created', entryId: created.id });
    });

    it('dismisses a cluster; an unknown one is not found', async () => {
      const cluster = (await logUnanswered(deps.db, '今天天气怎么样'))!;
      await dismissUnanswered(deps.db, cluster.id);
      expect((await listUnanswered(deps.db, { status: 'dismissed' })).items.map((i) => i.id)).toEqual([cluster.id]);
      await expect(dismissUnanswered(deps.db, 999_999)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('candidates from escalations', () => {
    let customerId: number;
    beforeAll(async () => {
      const [c] = await deps.db.insert(customers).values({ openid: 'o-candidates' }).returning();
      customerId = c!.id;
    });

    /** A closed conversation with the given bot turns and messages, in order. */
    async function conversationWith(steps: ({ turn: { question: string; band: 'answer' | 'suggest' | 'none' | 'intent' } } | { msg: { sender: string; direction: string; content: string } })[]) {
      const [conv] = await deps.db.insert(conversations).values({ customerId, status: 'closed', closedAt: new Date() }).returning();
      for (const s of steps) {
        if ('turn' in s) await recordTurn(deps.db, { conversationId: conv!.id, ...s.turn });
        else await deps.db.insert(messages).values({ conversationId: conv!.id, kind: 'text', ...s.msg });
      }
      return conv!.id;
    }

    it('offers the unanswered question and the agent replies when an escalated chat closes', async () => {
      const unsubscribe = registerCandidateListeners(deps.bus, deps.db);
      try {
        const id = await conversationWith([
          { msg: { sender: 'customer', direction: 'in', content: '你好' } },
          { msg: { sender: 'customer', direction: 'in', content: '年结以后还能反结账吗' } },
          { turn: { question: '年结以后还能反结账吗', band: 'none' } },
          { msg: { sender: 'bot', direction: 'out', content: '抱歉，没找到答案，发送 #人工 转人工客服。' } },
          { msg: { sender: 'customer', direction: 'in', content: '#人工' } },
          { msg: { sender: 'agent', direction: 'out', content: '可以反结账。' } },
          { msg: { sender: 'agent', direction: 'out', content: '在总账-期末-反结账中操作。' } },
        ]);
        await deps.bus.emit('conversation.closed', { conversationId: id, customerId, reason: 'agent' });
        const offered = await until(async () => (await listCandidates(deps.db)).items.find((c) => c.conversationId === id), () => '', 5000);
        expect(offered).toMatchObject({ question: '年结以后还能反结账吗', answer: '可以反结账。\n在总账-期末-反结账中操作。', status: 'open' });
        // Heard twice (every instance hears it in server mode): offered once.
        await deps.bus.emit('conversation.closed', { conversationId: id, customerId, reason: 'agent' });
        await new Promise((r) => setTimeout(r, 200));
        expect((await listCandidates(deps.db)).items.filter((c) => c.conversationId === id)).toHaveLength(1);
      } finally {
        unsubscribe();
      }
    });

    it('after a handoff from an answered question, offers what the customer asked before the agent replied', async () => {
      const { candidateFromConversation } = await import('../../server/kb/candidates.service.js');
      const id = await conversationWith([
        { msg: { sender: 'customer', direction: 'in', content: '热线多少' } },
        { turn: { question: '热线多少', band: 'answer' } },
        { msg: { sender: 'customer', direction: 'in', content: '固定资产卡片删不掉' } },
        { msg: { sender: 'customer', direction: 'in', content: '转人工' } },
        { turn: { question: '转人工', band: 'intent' } },
        { msg: { sender: 'agent', direction: 'out', content: '先删除该卡片的折旧记录。' } },
      ]);
      expect(await candidateFromConversation(deps.db, id)).toMatchObject({ question: '固定资产卡片删不掉', answer: '先删除该卡片的折旧记录。' });
    });

    it('offers nothing when no agent replied, or when the bot was never involved', async () => {
      const { candidateFromConversation } = await import('../../server/kb/candidates.service.js');
      const noAgent = await conversationWith([{ turn: { question: '报表打不开', band: 'none' } }]);
      const noBot = await conversationWith([
        { msg: { sender: 'customer', direction: 'in', content: '报表打不开' } },
        { msg: { sender: 'agent', direction: 'out', content: '请重启。' } },
      ]);
      expect(await candidateFromConversation(deps.db, noAgent)).toBeUndefined();
      expect(await candidateFromConversation(deps.db, noBot)).toBeUndefined();
    });

    it('accepts a candidate as a published entry (staff may edit it first) and dismisses another', async () => {
      const a = (await offerCandidate(deps.db, { conversationId: 1001, question: '报表取数公式怎么写', answer: '用 QM 函数。' }))!;
      const b = (await offerCandidate(deps.db, { conversationId: 1002, question: '无关的问题', answer: '无关' }))!;
      emitted.length = 0;
      const entry = await acceptCandidate(deps, a.id, { answer: '用 QM 取数函数。', similar: ['取数公式'] });
      expect(entry).toMatchObject({ question: '报表取数公式怎么写', answer: '用 QM 取数函数。', status: 'published' });
      expect(await docsOf(entry.id)).toEqual(['报表取数公式怎么写', '取数公式']);
      expect(emitted).toEqual([{ name: 'knowledge.changed', payload: { reason: 'candidate.accepted' } }]);
      await dismissCandidate(deps.db, b.id);
      expect((await listCandidates(deps.db, { status: 'accepted' })).items).toEqual([expect.objectContaining({ id: a.id, entryId: entry.id })]);
      expect((await listCandidates(deps.db, { status: 'dismissed' })).items.map((c) => c.id)).toEqual([b.id]);
      await expect(acceptCandidate(deps, b.id)).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('statistics', () => {
    it('computes rates, top questions and thumbs for a period', async () => {
      const day = (h: number) => new Date(Date.UTC(2020, 2, 1, h));
      const [e1, e2] = await Promise.all([
        createEntry(deps, { question: '统计用条目一', answer: '一', status: 'published' }),
        createEntry(deps, { question: '统计用条目二', answer: '二', status: 'published' }),
      ]);
      const turn = (band: string, entryId: number | null, h: number) => ({ conversationId: 500, question: `q${band}${h}`, band, entryId, createdAt: day(h) });
      await deps.db.insert(botTurns).values([
        turn('answer', e1.id, 1),
        turn('answer', e1.id, 2),
        turn('answer', e1.id, 3),
        turn('answer', e2.id, 4),
        turn('suggest', e2.id, 5),
        turn('none', null, 6),
        turn('none', null, 7),
        turn('none', null, 8),
        turn('chitchat', null, 9),
        turn('intent', null, 10),
        turn('answer', e2.id, 30), // outside the period
      ]);
      const u1 = (await logUnanswered(deps.db, '统计期间未解决的问题甲'))!;
      const u2 = (await logUnanswered(deps.db, '统计期间另一个问题乙'))!;
      await logUnanswered(deps.db, '统计期间另一个问题乙');
      await deps.db.update(unansweredQuestions).set({ lastAskedAt: day(6) }).where(inArray(unansweredQuestions.id, [u1.id, u2.id]));
      await deps.db.update(faqEntries).set({ thumbsUp: 3, thumbsDown: 1 }).where(eq(faqEntries.id, e1.id));

      const s = await botStats(deps.db, { from: day(0), to: day(24) });

      expect(s).toMatchObject({ questions: 8, answered: 4, suggested: 1, unanswered: 3, chitchat: 1, intents: 1 });
      expect(s.hitRate).toBeCloseTo(4 / 8);
      expect(s.suggestRate).toBeCloseTo(1 / 8);
      expect(s.unansweredRate).toBeCloseTo(3 / 8);
      expect(s.topEntries).toEqual([
        { entryId: e1.id, question: '统计用条目一', count: 3 },
        { entryId: e2.id, question: '统计用条目二', count: 1 },
      ]);
      expect(s.topUnanswered.map((u) => [u.text, u.count])).toEqual([
        ['统计期间另一个问题乙', 2],
        ['统计期间未解决的问题甲', 1],
      ]);
      expect(s.thumbs).toContainEqual({ entryId: e1.id, question: '统计用条目一', up: 3, down: 1 });
      const empty = await botStats(deps.db, { from: day(100), to: day(101) });
      expect(empty).toMatchObject({ questions: 0, hitRate: 0, unansweredRate: 0, topEntries: [], topUnanswered: [] });
      expect((await getEntry(deps.db, e1.id)).thumbsUp).toBe(3);
    });
  });
});

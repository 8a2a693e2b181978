import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { faqEntries, unansweredQuestions, conversations, customers } from '../server/db/schema.js';
import { until } from './helpers/until.js';
import { createEntry } from '../server/kb/kb.service.js';
import type { Running } from '../server/runtime.js';
import { freshStorageTarget, testMode } from './helpers/mode.js';
import { simulatedUser, startTestServer } from './helpers/server.js';

/** The knowledge-base bot, asked through /wechat as a WeChat user would. */
describe(`the bot through /wechat (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
  });
  afterAll(async () => {
    await server?.close();
  });

  const user = () => simulatedUser(server);

  it.each([
    ['客服热线电话是多少', '400-658-6000'],
    ['服务编码在哪查', '全称'],
    ['谁可以预约服务', 'VIP'],
    ['加密狗插上了识别不到', '驱动'],
    // Questions about reaching people are answered, not turned into a handoff.
    ['怎么预约技术人员', 'VIP'],
    ['没登录能转人工吗', '#人工'],
  ])('answers %j with the fact asked for (%s) and asks for feedback', async (question, fact) => {
    const answer = await user().ask(question);
    expect(answer).toContain(fact);
    expect(answer).toContain('有用');
  });

  it('lists both readings of an ambiguous "密码忘了咋办": the platform password, and a GS user’s that an administrator resets', async () => {
    const reply = await user().ask('密码忘了咋办');
    expect(reply).toContain('您是不是想问');
    expect(reply).toContain('忘记登录密码怎么办？');
    expect(reply).toMatch(/操作员|管理员|GS/);
  });

  it('counts a hit, and "有用" right after the answer as a thumbs up', async () => {
    const u = user();
    await u.ask('客服热线电话是多少');
    const thanks = await u.ask('有用');
    expect(thanks).toContain('感谢您的反馈');
    // Hit counters are written once a second, off the push's path.
    const rated = await until(async () => {
      const rows = await server.database.db.select().from(faqEntries).where(eq(faqEntries.thumbsUp, 1));
      return rows.find((r) => r.hits >= 1);
    }, () => '', 3000);
    expect(rated.question).toContain('热线');
  });

  it('admits it cannot answer an unrelated question, names #人工, and logs it', async () => {
    const u = user();
    const reply = await u.ask('周末去哪里钓鱼比较好');
    expect(reply).toContain('#人工');
    expect(reply).not.toContain('有用');
    const logged = await until(async () => {
      const rows = await server.database.db.select().from(unansweredQuestions).where(eq(unansweredQuestions.text, '周末去哪里钓鱼比较好'));
      return rows[0];
    }, () => '', 3000);
    expect(logged.count).toBe(1);
  });

  it('suggests numbered questions when unsure, and answers the one picked by number', async () => {
    const u = user();
    const suggestion = await u.ask('凭证');
    expect(suggestion).toContain('您是不是想问');
    const first = /\n1\. (.+)/.exec(suggestion)?.[1];
    expect(first).toBeTruthy();
    const answer = await u.ask('1');
    expect(answer).toContain('有用');
    const entry = (await server.database.db.select().from(faqEntries).where(eq(faqEntries.question, first!)))[0]!;
    expect(answer).toContain(entry.answer.slice(0, 20));
  });

  it('answers chit-chat, and never lets chit-chat swallow a business question', async () => {
    const u = user();
    const hello = await u.ask('你好呀');
    expect(hello).toBeTruthy();
    expect(hello).not.toContain('您是不是想问');
    const business = await u.ask('你好，忘记密码怎么办');
    expect(business).toContain('有用');
  });

  it('puts the chat in the queue on a handoff request in natural words', async () => {
    const u = user();
    const reply = await u.ask('我要转人工');
    expect(reply).toContain('人工客服');
    const [row] = await server.database.db
      .select({ status: conversations.status })
      .from(conversations)
      .innerJoin(customers, eq(customers.id, conversations.customerId))
      .where(eq(customers.openid, u.openid));
    expect(row?.status).toBe('queued');
  });

  it('answers from a new entry at once, without a restart', async () => {
    const u = user();
    const question = '星环物流接口对接怎么申请';
    expect(await u.ask(question)).toContain('#人工');
    await createEntry(
      { db: server.database.db, bus: server.bus },
      { question, similar: ['星环物流接口怎么开通'], answer: '请在服务家园 > 联系我们 提交星环物流接口申请。', product: '浪潮GS', module: '接口', version: '', status: 'published' },
    );
    const answer = await until(async () => {
      const a = await u.ask('星环物流接口对接怎么申请？');
      return a.includes('星环物流接口申请') ? a : undefined;
    }, () => '', 3000);
    expect(answer).toContain('有用');
  });
});

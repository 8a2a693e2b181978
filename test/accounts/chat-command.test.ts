import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEMO_UNITS, seedDemoUnits } from '../../server/accounts/seed.js';
import { serviceCodeLookups, units } from '../../server/accounts/schema.js';
import { HOTLINE, SERVICE_CODE_LIMIT, serviceCodeTexts } from '../../server/accounts/service-code.js';
import type { Conversation, Customer } from '../../server/chat/conversations.repo.js';
import type { Bot, HumanService, Turn } from '../../server/chat/ports.js';
import { ConversationRouter } from '../../server/chat/router.js';
import type { InboundMessage } from '../../server/wechat/inbound.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startAccountsApp, type AccountsTestApp } from './accounts-app.js';

/** "服务编码 <全称>" in WeChat chat: the router with the real lookup on the real database. */
describe('the 服务编码 chat command', () => {
  let app: AccountsTestApp;
  let router: ConversationRouter;
  const botCalls: string[] = [];

  beforeAll(async () => {
    app = await startAccountsApp(await freshStorageTarget());
    expect(await seedDemoUnits(app.database.db)).toBe(DEMO_UNITS.length);
    const bot: Bot = { answer: async (q) => (botCalls.push(q), { text: '机器人回答' }) };
    const human = {} as HumanService; // never reached by these texts
    router = new ConversationRouter(bot, human, undefined, app.module.chatCommands);
  });
  afterAll(async () => {
    await app?.close();
  });

  const turnOf = (openid: string): Turn => ({
    customer: { id: 1, openid, accountId: null, ratingPendingConversationId: null } as Customer,
    conversation: { id: 1, status: 'bot' } as Conversation,
    messageId: 1,
  });
  const say = async (openid: string, content: string) =>
    (await router.route({ toUserName: 'gh', fromUserName: openid, createTime: 1, raw: {}, kind: 'text', msgType: 'text', msgId: '1', content } as InboundMessage, turnOf(openid)))?.content;

  it('answers the exact full name with the code', async () => {
    const unit = DEMO_UNITS[0];
    expect(await say('o-chat-1', `服务编码 ${unit.fullName}`)).toBe(serviceCodeTexts.hit(unit.fullName, unit.serviceCode));
  });

  it('asks for the name with an example that works when followed as written', async () => {
    const usage = await say('o-chat-usage', '服务编码');
    const example = /例如：(.+)$/.exec(usage ?? '')?.[1];
    expect(example).toBeDefined();
    expect(await say('o-chat-usage', example!)).toContain('LC-DEMO-');
  });

  it('reads a colloquial request with the name as the same lookup, without asking the bot', async () => {
    const before = botCalls.length;
    expect(await say('o-chat-colloquial', '查一下服务编码：ABC示例集团有限公司')).toContain(DEMO_UNITS[2].serviceCode);
    expect(botCalls.length).toBe(before);
  });

  it('answers a full-width spelling the same', async () => {
    expect(await say('o-chat-1', '服务编码：ＡＢＣ示例集团有限公司')).toContain(DEMO_UNITS[2].serviceCode);
  });

  it('misses a shortened name and points to the hotline', async () => {
    const reply = await say('o-chat-2', '服务编码 浪潮软件');
    expect(reply).toContain('未找到');
    expect(reply).toContain(HOTLINE);
    expect(reply).not.toContain(DEMO_UNITS[0].serviceCode);
  });

  it('explains the command when the name is missing', async () => {
    expect(await say('o-chat-2', '服务编码')).toBe(serviceCodeTexts.usage);
  });

  it('audits chat lookups by openid, without an IP', async () => {
    const rows = await app.database.db.select().from(serviceCodeLookups).where(eq(serviceCodeLookups.openid, 'o-chat-2'));
    expect(rows.map((r) => [r.fullName, r.hit, r.ip])).toEqual([['浪潮软件', false, null]]);
  });

  it('rate-limits per openid in chat, with a clear message', async () => {
    for (let i = 0; i < SERVICE_CODE_LIMIT.limit; i++) await say('o-chat-3', `服务编码 单位${i}`);
    expect(await say('o-chat-3', `服务编码 ${DEMO_UNITS[0].fullName}`)).toMatch(/查询过于频繁/);
  });

  it('leaves other texts to the bot', async () => {
    await say('o-chat-4', '服务编码在哪里看');
    expect(botCalls).toEqual(['服务编码在哪里看']);
  });

  it('seeds the demo units only into an empty database', async () => {
    expect(await seedDemoUnits(app.database.db)).toBe(0);
    await app.database.db.delete(units);
    await app.createAccount('someone');
    expect(await seedDemoUnits(app.database.db)).toBe(0); // accounts exist: not a fresh database
    expect(await app.database.db.select().from(units)).toEqual([]);
  });
});

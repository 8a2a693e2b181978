import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../wechat/inbound.js';
import type { Conversation, Customer } from './conversations.repo.js';
import type { Bot, BotAnswer, HumanService, Turn } from './ports.js';
import { ConversationRouter, serviceCodeCommand, type ChatCommands } from './router.js';
import { texts } from './texts.js';

function setup(status: Conversation['status'] = 'bot', botAnswer: BotAnswer = { text: '知识库答案', handoff: false }, ratingPending: number | null = null) {
  const calls: string[] = [];
  const bot: Bot = {
    async answer(q) {
      calls.push(`bot:${q}`);
      return botAnswer;
    },
  };
  const human: HumanService = {
    async requestHuman(_t, reason) {
      calls.push(`human:request:${reason}`);
      return { type: 'text', content: 'queued' };
    },
    async onCustomerMessage(_t, text) {
      calls.push(`human:message:${text}`);
      return null;
    },
    async endByCustomer() {
      calls.push('human:end');
      return { type: 'text', content: 'ended' };
    },
    async onUnsubscribe() {
      calls.push('human:unsubscribe');
    },
    async takeRating(_t, text) {
      calls.push(`human:rating:${text}`);
      return /^[1-5]/.test(text) ? { type: 'text', content: 'thanks' } : null;
    },
  };
  const turn: Turn = {
    customer: { id: 1, openid: 'o1', accountId: 9, ratingPendingConversationId: ratingPending } as Customer,
    conversation: { id: 7, status } as Conversation,
    messageId: 1,
  };
  const commands: ChatCommands = {
    async serviceCode(name, who) {
      calls.push(`serviceCode:${name}:${who.openid}:${who.accountId}`);
      return `code for ${name}`;
    },
  };
  return { router: new ConversationRouter(bot, human), withCommands: new ConversationRouter(bot, human, undefined, commands), calls, turn };
}

const base = { toUserName: 'gh_1', fromUserName: 'o1', createTime: 1, raw: {} };
const text = (content: string) => ({ ...base, kind: 'text', msgType: 'text', msgId: '1', content }) as InboundMessage;
const event = (kind: string, extra: object = {}) => ({ ...base, kind, msgType: 'event', ...extra }) as InboundMessage;

describe('ConversationRouter', () => {
  it('sends a question to the bot and returns its answer', async () => {
    const { router, calls, turn } = setup();
    expect(await router.route(text(' 忘记密码怎么办 '), turn)).toEqual({ type: 'text', content: '知识库答案' });
    expect(calls).toEqual(['bot:忘记密码怎么办']);
  });

  it("carries the bot's turn with the reply, so both are stored in one statement", async () => {
    const botTurn = { question: '忘记密码', band: 'answer' as const, entryId: 3, score: 0.4 };
    const { router, turn } = setup('bot', { text: '答案', turn: botTurn });
    expect(await router.route(text('忘记密码'), turn)).toEqual({ type: 'text', content: '答案', botTurn });
  });

  it("keeps a handoff's turn with the queue's reply", async () => {
    const botTurn = { question: '我要找真人', band: 'intent' as const };
    const { router, turn } = setup('bot', { text: '', handoff: true, turn: botTurn });
    expect(await router.route(text('我要找真人'), turn)).toEqual({ type: 'text', content: 'queued', botTurn });
  });

  it.each(['#人工', '＃人工', ' #人工 '])('puts the chat in the queue on %j without asking the bot', async (cmd) => {
    const { router, calls, turn } = setup();
    await router.route(text(cmd), turn);
    expect(calls).toEqual(['human:request:command']);
  });

  it('hands off when the bot recognises a request for a human', async () => {
    const { router, calls, turn } = setup('bot', { text: '', handoff: true });
    await router.route(text('我要找真人'), turn);
    expect(calls).toEqual(['bot:我要找真人', 'human:request:intent']);
  });

  it.each(['queued', 'assigned', 'message'] as const)('never asks the bot while the chat is %s', async (status) => {
    const { router, calls, turn } = setup(status);
    expect(await router.route(text('在吗'), turn)).toBeNull();
    expect(calls).toEqual(['human:message:在吗']);
  });

  it('ends a human chat on #结束', async () => {
    const { router, calls, turn } = setup('assigned');
    expect(await router.route(text('#结束'), turn)).toEqual({ type: 'text', content: 'ended' });
    expect(calls).toEqual(['human:end']);
  });

  it('asks again for a human on #人工 while waiting for a left message', async () => {
    const { router, calls, turn } = setup('message');
    await router.route(text('#人工'), turn);
    expect(calls).toEqual(['human:request:command']);
  });

  it('takes a pending rating before the bot, and passes anything else on to the bot', async () => {
    const rated = setup('bot', undefined, 41);
    expect(await rated.router.route(text('5 很好'), rated.turn)).toEqual({ type: 'text', content: 'thanks' });
    expect(rated.calls).toEqual(['human:rating:5 很好']);
    const other = setup('bot', undefined, 41);
    await other.router.route(text('发票怎么开'), other.turn);
    expect(other.calls).toEqual(['human:rating:发票怎么开', 'bot:发票怎么开']);
  });

  it('never looks for a rating when none is pending', async () => {
    const { router, calls, turn } = setup('bot');
    await router.route(text('5'), turn);
    expect(calls).toEqual(['bot:5']);
  });

  it('answers #结束 outside a human chat without ending anything', async () => {
    const { router, calls, turn } = setup('bot');
    expect(await router.route(text('#结束'), turn)).toEqual({ type: 'text', content: texts.nothingToEnd });
    expect(calls).toEqual([]);
  });

  it('welcomes a new follower and mentions #人工', async () => {
    const { router, turn } = setup();
    const reply = await router.route(event('subscribe', { event: 'subscribe' }), turn);
    expect(reply?.content).toContain('#人工');
  });

  it('closes the chat on unsubscribe and says nothing', async () => {
    const { router, calls, turn } = setup('queued');
    expect(await router.route(event('unsubscribe', { event: 'unsubscribe' }), turn)).toBeNull();
    expect(calls).toEqual(['human:unsubscribe']);
  });

  it('treats recognised voice as text', async () => {
    const { router, calls, turn } = setup();
    await router.route({ ...base, kind: 'voice', msgType: 'voice', msgId: '2', mediaId: 'm', format: 'amr', recognition: '发票怎么打' } as InboundMessage, turn);
    expect(calls).toEqual(['bot:发票怎么打']);
  });

  it('asks for text when an image arrives outside a human chat', async () => {
    const { router, turn } = setup();
    const reply = await router.route({ ...base, kind: 'image', msgType: 'image', msgId: '3', picUrl: 'u', mediaId: 'm' } as InboundMessage, turn);
    expect(reply?.content).toBe(texts.nonTextUnsupported);
  });

  it('stores VIEW and LOCATION reports without answering', async () => {
    const { router, turn } = setup();
    expect(await router.route(event('view', { event: 'VIEW', url: 'http://x' }), turn)).toBeNull();
    expect(await router.route(event('location_report', { event: 'LOCATION', latitude: 1, longitude: 2, precision: 3 }), turn)).toBeNull();
  });
});

describe('the "服务编码 <全称>" chat command', () => {
  it.each([
    ['服务编码 浪潮软件股份有限公司', '浪潮软件股份有限公司'],
    ['  服务编码：浪潮软件股份有限公司  ', '浪潮软件股份有限公司'],
    ['服务编码\u3000ＡＢＣ示例集团有限公司', 'ABC示例集团有限公司'],
    ['服务编码', ''],
    ['查一下服务编码：ABC示例集团有限公司', 'ABC示例集团有限公司'],
    ['帮我查询服务编码 山东示例科技有限公司（济南）', '山东示例科技有限公司(济南)'],
    ['请帮我查一下我们的服务编码: 浪潮软件股份有限公司示例单位', '浪潮软件股份有限公司示例单位'],
  ])('reads %j as a lookup of %j', (input, name) => {
    expect(serviceCodeCommand(input)).toBe(name);
  });

  it.each(['服务编码是什么', '怎么查服务编码', '忘记密码', '查一下服务编码', '查服务编码在哪里'])('leaves %j to the bot', (input) => {
    expect(serviceCodeCommand(input)).toBeNull();
  });

  it('answers the command in chat with the caller\'s openid and account, without asking the bot', async () => {
    const { withCommands, calls, turn } = setup();
    expect(await withCommands.route(text('服务编码 浪潮软件股份有限公司'), turn)).toEqual({ type: 'text', content: 'code for 浪潮软件股份有限公司' });
    expect(calls).toEqual(['serviceCode:浪潮软件股份有限公司:o1:9']);
  });

  it('passes other texts to the bot untouched', async () => {
    const { withCommands, calls, turn } = setup();
    await withCommands.route(text('服务编码是什么'), turn);
    expect(calls).toEqual(['bot:服务编码是什么']);
  });

  it('sends the command to the agent while a human serves the chat', async () => {
    const { withCommands, calls, turn } = setup('assigned');
    await withCommands.route(text('服务编码 浪潮软件股份有限公司'), turn);
    expect(calls).toEqual(['human:message:服务编码 浪潮软件股份有限公司']);
  });

  it('leaves the command to the bot when no lookup is wired', async () => {
    const { router, calls, turn } = setup();
    await router.route(text('服务编码 浪潮软件股份有限公司'), turn);
    expect(calls).toEqual(['bot:服务编码 浪潮软件股份有限公司']);
  });
});

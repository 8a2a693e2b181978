import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, DeskMessage } from '../../common/desk-api.js';
import { DESK_WS_PATH } from '../../server/desk/desk.ws.js';
import { deskTexts } from '../../server/desk/texts.js';
import { createPushDriver, type PushDriver } from '../../simulator/index.js';
import { connectDesk, sleep, type DeskClient } from '../desk/desk-hub-fixture.js';
import { conversationOf, StaffClient, startDeskServer, type DeskServer } from '../helpers/desk.js';
import { until } from '../helpers/until.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';
import { credentialsEnv, startStandaloneSimulator, type StandaloneSimulator } from '../helpers/simulator.js';

const S = 1000;
/** Long enough for a second, wrong delivery or frame to show up after the first. */
const SETTLE_MS = 400;

/**
 * Server mode, the whole desk: one PostgreSQL database, one Redis (its own, so no other test's
 * events share the channel), two server instances with no sticky routing, and one simulator as
 * WeChat. The simulator pushes to instance A; a second push driver reaches instance B.
 */
describe('the desk across two instances (PostgreSQL + Redis, no sticky routing)', () => {
  let redis: RunningRedis;
  let sim: StandaloneSimulator;
  let a: DeskServer;
  let b: DeskServer;
  let toB: PushDriver;
  const sockets: DeskClient[] = [];
  /** Every message the simulator's customer-service API accepted, in order. */
  const sends: Array<{ openid: string; text: string }> = [];

  beforeAll(async () => {
    redis = await startRedis();
    const { databaseUrl } = await freshStorageTarget();
    const storage = { databaseUrl: databaseUrl!, redisUrl: redis.url };
    const portA = await freePort();
    sim = await startStandaloneSimulator(`http://127.0.0.1:${portA}/wechat`);
    sim.platform.onEvent((e) => {
      if (e.type === 'timeline' && e.entry.via === 'custom') sends.push({ openid: e.entry.openid, text: e.entry.text });
    });
    const env = { ...credentialsEnv(sim), DESK_QUEUE_TIMEOUT_S: '60', DESK_ANSWER_TIMEOUT_S: '3600', DESK_IDLE_TIMEOUT_S: '120' };
    a = await startDeskServer({ storage, sim, env: { ...env, PORT: String(portA) } });
    b = await startDeskServer({ storage, sim, env });
    // The platform records what reaches B too: the customer's message opens the 48 h window.
    toB = createPushDriver({
      pushUrl: `${b.server.url}/wechat`,
      token: sim.credentials.token,
      appId: sim.credentials.appId,
      aesKey: sim.credentials.aesKey,
      onPush: (push) => sim.platform.recordPush(push),
      onResult: (push, result) => sim.platform.recordPushResult(push, result),
    });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    toB?.close();
    await b?.close();
    await a?.close();
    await sim?.stop();
    await redis?.stop();
  });

  /** The customer's push through instance B (the simulator's own driver reaches A). */
  async function sayToB(openid: string, text: string): Promise<string> {
    const r = await toB.send(toB.build.text(openid, text));
    if (r.status !== 200) throw new Error(`push to B answered ${r.status}`);
    return String(r.reply?.Content ?? '');
  }
  /** The same staff member, logged in on the other instance too (a load balancer picks either). */
  const loginOn = (desk: DeskServer, username: string) => StaffClient.login(desk.server.url, username, `${username}-password`);
  const socketOn = async (desk: DeskServer, staff: StaffClient) => {
    const socket = await connectDesk(`${desk.server.url.replace(/^http/, 'ws')}${DESK_WS_PATH}`, staff.cookie!);
    sockets.push(socket);
    await socket.next('hello');
    return socket;
  };
  const sentTo = (openid: string, match: (text: string) => boolean = () => true) => sends.filter((s) => s.openid === openid && match(s.text));
  const advanceBoth = (ms: number) => [a, b].forEach((d) => d.advance(ms));
  /** Both instances' sweepers, twice each, at the same moment. */
  const sweepBoth = () => Promise.all([a, b, a, b].map((d) => d.server.desk.sweeper.sweep()));
  const outboxOf = async (messageIds: number[]) => {
    const result = await a.server.database.db.execute(sql`
      SELECT message_id::int AS message_id, status, attempts FROM outbox WHERE message_id IN (${sql.join(messageIds.map((id) => sql`${id}`), sql`, `)}) ORDER BY message_id`);
    return (result as unknown as { rows: Array<{ message_id: number; status: string; attempts: number }> }).rows;
  };

  let wangA: StaffClient;
  let wangB: StaffClient;
  let liB: StaffClient;
  let wangSocketB: DeskClient;
  let served: { openid: string; id: number };

  it("shows a customer's push to instance A on the WebSocket of an agent connected to instance B, with the queue and assigned frames", async () => {
    wangB = await b.addStaff('wang', 'agent', '小王', 10);
    wangA = await loginOn(a, 'wang');
    liB = await b.addStaff('lili', 'agent', '小李');
    wangSocketB = await socketOn(b, wangB);
    const openid = a.newCustomer();

    expect(await a.say(openid, '#人工')).toContain('已为您转接人工客服'); // nobody online: queued, on A
    const c = await conversationOf(a.server, openid);
    expect(c.status).toBe('queued');
    const queue = await wangSocketB.next('queue', (e) => e.items.some((i) => i.conversationId === c.id));
    expect(queue.items.find((i) => i.conversationId === c.id)).toMatchObject({ position: 1, lastMessage: '#人工' });

    // Wang's request lands on A while his socket is held by B.
    expect((await wangA.post(`/api/desk/conversations/${c.id}/accept`)).status).toBe(200);
    const assigned = await wangSocketB.next('assigned', (e) => e.conversation.id === c.id);
    expect(assigned.conversation).toMatchObject({ status: 'assigned', assignee: { id: wangB.id, displayName: '小王' } });

    expect(await a.say(openid, '我的凭证打不开')).toBe(''); // to the agent, not the bot
    const got = await wangSocketB.next('message', (e) => e.message.conversationId === c.id && e.message.direction === 'in' && e.message.content === '我的凭证打不开');
    expect(got.message).toMatchObject({ sender: 'customer', kind: 'text' });
    await sleep(SETTLE_MS);
    const copies = wangSocketB.frames.filter((f) => f.type === 'message' && f.message.id === got.message.id);
    expect(copies).toHaveLength(1); // once, though both instances heard the event
    served = { openid, id: c.id };
  });

  it("delivers an agent's reply sent through instance B to WeChat exactly once while both outbox workers run", async () => {
    const { openid, id } = served;
    const before = sim.platform.stats.customSends;
    const reply = await wangB.post<DeskMessage>(`/api/desk/conversations/${id}/messages`, { text: '您好，请问是哪个版本？' });
    expect(reply.status).toBe(200);
    await until(() => sentTo(openid, (t) => t === '您好，请问是哪个版本？').length > 0, () => sentTo(openid));
    // The agent's socket on B learns it was sent, whichever instance sent it.
    await wangSocketB.next('delivery', (e) => e.messageId === reply.body.id && e.delivery === 'sent');
    await sleep(SETTLE_MS);
    expect(sentTo(openid, (t) => t === '您好，请问是哪个版本？')).toHaveLength(1);
    expect(sim.platform.stats.customSends - before).toBe(1);
    expect(await outboxOf([reply.body.id])).toEqual([{ message_id: reply.body.id, status: 'sent', attempts: 1 }]); // claimed once
    expect(await a.say(openid, '#结束')).toContain('本次人工服务已结束');
  });

  it('delivers a burst of 20 replies, sent through both instances, exactly once each', async () => {
    await wangB.setStatus('online');
    // Five customers with four replies each: within WeChat's five-message quota, so a duplicate
    // would be accepted by the simulator and counted, not refused.
    const customers = Array.from({ length: 5 }, () => a.newCustomer());
    const chats: number[] = [];
    for (const [i, openid] of customers.entries()) {
      const reply = i % 2 ? await sayToB(openid, '#人工') : await a.say(openid, '#人工');
      expect(reply).toContain('已为您接通客服 小王'); // assigned at once: the passive reply, no send used
      chats.push((await conversationOf(a.server, openid)).id);
    }
    const before = sim.platform.stats.customSends;
    const texts = Array.from({ length: 20 }, (_, i) => `批量回复 ${i + 1}`);
    const posted = await Promise.all(
      texts.map((text, i) => (i % 2 ? wangB : wangA).post<DeskMessage>(`/api/desk/conversations/${chats[i % 5]}/messages`, { text })),
    );
    expect(posted.map((p) => p.status)).toEqual(texts.map(() => 200));
    const burst = () => sends.filter((s) => texts.includes(s.text));
    await until(() => burst().length >= 20, async () => [burst().length, await outboxOf(posted.map((p) => p.body.id))]);
    await sleep(SETTLE_MS);
    expect(burst()).toHaveLength(20);
    expect(new Set(burst().map((s) => s.text)).size).toBe(20);
    for (const [i, text] of texts.entries()) expect(sentTo(customers[i % 5]!, (t) => t === text)).toHaveLength(1);
    expect(sim.platform.stats.customSends - before).toBe(20);
    const rows = await outboxOf(posted.map((p) => p.body.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ['sent', 1]));
    for (const [i, openid] of customers.entries()) {
      expect(await (i % 2 ? sayToB(openid, '#结束') : a.say(openid, '#结束'))).toContain('本次人工服务已结束');
    }
    await wangB.setStatus('offline');
  });

  it('shares a full outbox between both instances when their workers start at the same moment, sending nothing twice', async () => {
    await wangB.setStatus('online');
    const customers = Array.from({ length: 5 }, () => a.newCustomer());
    const chats: number[] = [];
    for (const [i, openid] of customers.entries()) {
      expect(await (i % 2 ? sayToB(openid, '#人工') : a.say(openid, '#人工'))).toContain('已为您接通客服 小王');
      chats.push((await conversationOf(a.server, openid)).id);
    }
    // As after both instances restarted: twenty messages wait, then both workers wake at once
    // and claim side by side.
    await Promise.all([a, b].map((d) => d.server.outbox.stop()));
    const texts = Array.from({ length: 20 }, (_, i) => `积压消息 ${i + 1}`);
    const posted: DeskMessage[] = [];
    for (const [i, text] of texts.entries()) posted.push((await (i % 2 ? wangB : wangA).post<DeskMessage>(`/api/desk/conversations/${chats[i % 5]}/messages`, { text })).body);
    expect(sends.filter((s) => texts.includes(s.text))).toEqual([]);
    [a, b].forEach((d) => d.server.outbox.start());
    const backlog = () => sends.filter((s) => texts.includes(s.text));
    await until(() => backlog().length >= 20, () => backlog().length);
    await sleep(SETTLE_MS);
    expect(backlog().map((s) => s.text).sort()).toEqual([...texts].sort());
    for (const [i, text] of texts.entries()) expect(sentTo(customers[i % 5]!, (t) => t === text)).toHaveLength(1);
    const rows = await outboxOf(posted.map((p) => p.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ['sent', 1]));
    for (const [i, openid] of customers.entries()) {
      expect(await (i % 2 ? sayToB(openid, '#结束') : a.say(openid, '#结束'))).toContain('本次人工服务已结束');
    }
    await wangB.setStatus('offline');
  });

  it('gives a queued chat to exactly one of two agents on different instances who accept it at the same moment', async () => {
    await Promise.all([wangA, liB].map((agent) => agent.setStatus('offline')));
    const openid = a.newCustomer();
    await sayToB(openid, '#人工'); // nobody online: it waits in the queue
    const c = await conversationOf(a.server, openid);
    expect(c.status).toBe('queued');
    const results = await Promise.all([wangA, liB].map((agent) => agent.post<ConversationSummary>(`/api/desk/conversations/${c.id}/accept`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({ error: { code: 'already_taken' } });
    const winner = results.find((r) => r.status === 200)!.body.assignee!.id;
    const detail = (await wangA.get<ConversationSummary>(`/api/desk/conversations/${c.id}`)).body;
    expect(detail.assignee?.id).toBe(winner);
    await until(() => sentTo(openid, (t) => t.includes('已为您接通客服')).length > 0);
    await sleep(SETTLE_MS);
    expect(sentTo(openid, (t) => t.includes('已为您接通客服'))).toHaveLength(1);
    expect(await a.say(openid, '#结束')).toContain('本次人工服务已结束');
  });

  it('offers keep-waiting or leave-a-message once when the sweepers of both instances find a queue timeout due', async () => {
    await Promise.all([wangA, liB].map((agent) => agent.setStatus('offline')));
    const openid = a.newCustomer();
    await a.say(openid, '#人工');
    const c = await conversationOf(a.server, openid);
    expect(c.status).toBe('queued');
    await sweepBoth();
    expect(sentTo(openid, (t) => t === deskTexts.queueTimeoutOffer)).toEqual([]); // not yet

    advanceBoth(61 * S);
    const passes = await sweepBoth();
    expect(passes).toContain(true);
    await sweepBoth();
    await until(() => sentTo(openid, (t) => t === deskTexts.queueTimeoutOffer).length > 0, () => sentTo(openid));
    await sweepBoth();
    await sleep(SETTLE_MS);
    expect(sentTo(openid, (t) => t === deskTexts.queueTimeoutOffer)).toHaveLength(1);
    const history = (await liB.get<{ items: DeskMessage[] }>(`/api/desk/conversations/${c.id}/messages`)).body.items;
    expect(history.filter((m) => m.content === deskTexts.queueTimeoutOffer)).toHaveLength(1);
    expect(await sayToB(openid, '#结束')).toContain('已为您取消人工服务');
  });

  it('closes an idle chat once, with one rating request, when the sweepers of both instances run at the same moment', async () => {
    await wangA.setStatus('online');
    const openid = a.newCustomer();
    expect(await sayToB(openid, '#人工')).toContain('已为您接通客服 小王');
    const c = await conversationOf(a.server, openid);
    const hello = await wangA.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages`, { text: '您好，请讲' });
    expect(hello.status).toBe(200);
    await until(() => sentTo(openid, (t) => t === '您好，请讲').length === 1);
    await sweepBoth();
    expect((await conversationOf(a.server, openid)).status).toBe('assigned'); // not idle yet

    advanceBoth(121 * S);
    expect(await sweepBoth()).toContain(true);
    await sweepBoth();
    const closed = await wangSocketB.next('closed', (e) => e.conversation.id === c.id);
    expect(closed.conversation).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    await until(() => sentTo(openid, (t) => t.includes(deskTexts.ratingAsk)).length > 0, () => sentTo(openid));
    await sweepBoth();
    await sleep(SETTLE_MS);
    expect(sentTo(openid, (t) => t.includes(deskTexts.endedByInactivity))).toHaveLength(1);
    expect(sentTo(openid, (t) => t.includes(deskTexts.ratingAsk))).toHaveLength(1);
    expect(wangSocketB.frames.filter((f) => f.type === 'closed' && f.conversation.id === c.id)).toHaveLength(1);
    expect(await sayToB(openid, '5')).toContain('感谢您的评价');
    expect((await wangA.get<ConversationSummary>(`/api/desk/conversations/${c.id}`)).body.rating).toEqual({ score: 5, comment: null });
    await wangA.setStatus('offline');
  });
});

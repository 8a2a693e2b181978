import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail, DeskMessage } from '../../common/desk-api.js';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { freePort } from '../helpers/ports.js';
import { credentialsEnv, startStandaloneSimulator, type StandaloneSimulator } from '../helpers/simulator.js';
import { conversationOf, startDeskServer, type DeskServer, type StaffClient } from '../helpers/desk.js';
import { until } from '../helpers/until.js';
import { and, eq, sql } from 'drizzle-orm';
import { outbox } from '../../server/db/schema.js';
import { MAX_ATTEMPTS } from '../../server/outbox/backoff.js';
import { connectDesk } from './desk-hub-fixture.js';

const HOUR = 3_600_000;

describe(`agent messages through the outbox (${testMode()})`, () => {
  let desk: DeskServer;
  let wang: StaffClient;
  let clock = Date.now();

  beforeAll(async () => {
    desk = await startDeskServer({ overrides: { simulator: { now: () => clock } } });
    wang = await desk.addStaff('wang', 'agent', '小王');
  });
  afterAll(async () => {
    await desk?.close();
  });

  const messages = async (id: number) => (await wang.get<{ items: DeskMessage[] }>(`/api/desk/conversations/${id}/messages`)).body.items;

  it('shows 客户已超过48小时未互动 on a message outside the window, and delivers it when the customer writes again', async () => {
    await wang.setStatus('online');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    clock += 49 * HOUR; // the customer's last message is now older than 48 h
    const sent = (await wang.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages`, { text: '抱歉久等，问题已解决' })).body;
    const held = await until(async () => (await messages(c.id)).find((m) => m.id === sent.id && m.delivery === 'held_window'));
    expect(held.deliveryNote).toBe('客户已超过48小时未互动');
    expect(desk.customTexts(openid)).not.toContain('抱歉久等，问题已解决');
    const detail = (await wang.get<ConversationDetail>(`/api/desk/conversations/${c.id}`)).body;
    expect(detail.window.quotaLeft).toBeGreaterThanOrEqual(0);

    expect(await desk.say(openid, '我回来了')).toBe(''); // to the agent, and the held message is due again
    await until(() => desk.customTexts(openid).includes('抱歉久等，问题已解决'), () => desk.customTexts(openid));
    await until(async () => (await messages(c.id)).find((m) => m.id === sent.id && m.delivery === 'sent'));
  });

  it('shows 已达条数上限 on the message over the five-message quota', async () => {
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    const detail = (await wang.get<ConversationDetail>(`/api/desk/conversations/${c.id}`)).body;
    expect(detail.window.quotaLeft).toBe(5); // "connected" was the passive reply: no send used
    const ids: number[] = [];
    for (let i = 1; i <= 6; i++) ids.push((await wang.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages`, { text: `第${i}条` })).body.id);
    const last = await until(async () => (await messages(c.id)).find((m) => m.id === ids[5] && m.delivery === 'held_quota'));
    expect(last.deliveryNote).toBe('已达条数上限');
    expect((await wang.get<ConversationDetail>(`/api/desk/conversations/${c.id}`)).body.window.quotaLeft).toBe(0);
    await wang.setStatus('offline');
  });

  const SEND = '/cgi-bin/message/custom/send';
  /** Makes the message's pending retry due now instead of waiting out the back-off, and runs the worker. */
  const hurry = async (messageId: number) => {
    await desk.server.database.db.update(outbox).set({ nextAttemptAt: new Date() }).where(and(eq(outbox.messageId, messageId), eq(outbox.status, 'pending')));
    desk.server.outbox.kick();
  };
  const wsUrl = () => `${desk.server.url.replace(/^http/, 'ws')}/api/desk/ws`;

  it('shows a message that WeChat kept refusing with -1 as 发送失败, and 重发 sends it again (seen live)', async () => {
    await wang.setStatus('online');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    const socket = await connectDesk(wsUrl(), wang.cookie!);
    await socket.next('hello');
    for (let i = 0; i < MAX_ATTEMPTS; i++) desk.server.simulator!.platform.failNext(SEND, -1);
    const text = '系统繁忙时发的消息';
    const sent = (await wang.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages`, { text })).body;
    const failed = await until(async () => {
      await hurry(sent.id);
      return (await messages(c.id)).find((m) => m.id === sent.id && m.delivery === 'failed');
    }, async () => desk.server.database.db.select().from(outbox).where(eq(outbox.messageId, sent.id)));
    expect(failed.deliveryNote).toBe('发送失败');
    await socket.next('delivery', (e) => e.messageId === sent.id && e.delivery === 'failed');
    expect(desk.customTexts(openid)).not.toContain(text);

    const again = await wang.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages/${sent.id}/resend`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: sent.id, delivery: 'pending' });
    await until(() => desk.customTexts(openid).includes(text), () => desk.customTexts(openid));
    await socket.next('delivery', (e) => e.messageId === sent.id && e.delivery === 'sent');
    expect((await messages(c.id)).find((m) => m.id === sent.id)!.delivery).toBe('sent');
    expect(desk.customTexts(openid).filter((t) => t === text)).toHaveLength(1);

    // Only a failed message can be resent, only in a chat of one's own, only a message of that chat.
    const twice = await wang.post<ApiErrorBody>(`/api/desk/conversations/${c.id}/messages/${sent.id}/resend`);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'not_failed']);
    const lili = await desk.addStaff('lili2', 'agent', '小李');
    expect((await lili.post(`/api/desk/conversations/${c.id}/messages/${sent.id}/resend`)).status).toBe(403);
    const elsewhere = await wang.post(`/api/desk/conversations/${c.id}/messages/${sent.id + 100000}/resend`);
    expect(elsewhere.status).toBe(404);
    await socket.close();
  });

  it('sends again a message whose send was in flight when its worker died, and shows 可能重复发送', async () => {
    await wang.setStatus('online');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    await desk.server.outbox.stop(); // nothing sends while the row is set up as a crashed send
    const text = '发送途中进程被杀';
    const sent = (await wang.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages`, { text })).body;
    // As a worker leaves it at kill -9: claimed (attempt counted, 'sending'), its lease now over.
    await desk.server.database.db
      .update(outbox)
      .set({ status: 'sending', attempts: 1, nextAttemptAt: sql`now() - interval '1 second'` })
      .where(eq(outbox.messageId, sent.id));
    desk.server.outbox.start();
    await until(() => desk.customTexts(openid).includes(text), () => desk.customTexts(openid));
    const shown = await until(async () => (await messages(c.id)).find((m) => m.id === sent.id && m.delivery === 'sent'));
    expect(shown.possibleDuplicate).toBe(true);
    const [row] = await desk.server.database.db.select().from(outbox).where(eq(outbox.messageId, sent.id));
    expect([row!.status, row!.attempts, row!.possibleDuplicate]).toEqual(['sent', 2, true]);
    // A message that went out normally carries no such mark.
    const normal = (await wang.post<DeskMessage>(`/api/desk/conversations/${c.id}/messages`, { text: '正常的消息' })).body;
    const ok = await until(async () => (await messages(c.id)).find((m) => m.id === normal.id && m.delivery === 'sent'));
    expect(ok.possibleDuplicate).toBe(false);
  });

  it('gives a chat to exactly one of two agents who accept it at the same moment', async () => {
    await wang.setStatus('offline');
    const lili = await desk.addStaff('lili', 'agent', '小李');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工'); // nobody online: it waits in the queue
    const c = await conversationOf(desk.server, openid);
    const results = await Promise.all([wang, lili].map((a) => a.post<ApiErrorBody>(`/api/desk/conversations/${c.id}/accept`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('already_taken');
    await until(() => desk.customTexts(openid).filter((t) => t.includes('已为您接通客服')).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(desk.customTexts(openid).filter((t) => t.includes('已为您接通客服'))).toHaveLength(1);
  });
});

describe(`a restart with messages in the outbox (${testMode()})`, () => {
  let sim: StandaloneSimulator;
  let desk: DeskServer | undefined;

  afterAll(async () => {
    await desk?.close();
    await sim?.stop();
  });

  it('sends every queued agent message exactly once after the restart', async () => {
    const port = await freePort();
    sim = await startStandaloneSimulator(`http://127.0.0.1:${port}/wechat`);
    const storage = await freshStorageTarget();
    const env = { ...credentialsEnv(sim), PORT: String(port) };
    desk = await startDeskServer({ storage, env, sim });
    const wang = await desk.addStaff('wang', 'agent', '小王');
    await wang.setStatus('online');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    expect((await conversationOf(desk.server, openid)).status).toBe('assigned');
    await desk.server.outbox.stop(); // as if the process died before sending
    for (const text of ['一', '二', '三']) expect((await wang.post(`/api/desk/conversations/${c.id}/messages`, { text: `消息${text}` })).status).toBe(200);
    await desk.close();
    expect(desk.customTexts(openid).filter((t) => t.startsWith('消息'))).toEqual([]);

    desk = await startDeskServer({ storage, env, sim });
    await until(() => desk!.customTexts(openid).filter((t) => t.startsWith('消息')).length === 3, () => desk!.customTexts(openid));
    await new Promise((r) => setTimeout(r, 300));
    expect(desk.customTexts(openid).filter((t) => t.startsWith('消息'))).toEqual(['消息一', '消息二', '消息三']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessagesByOpenid } from '../server/chat/conversations.repo.js';
import type { Bot } from '../server/chat/ports.js';
import { enqueue, listByOpenid } from '../server/outbox/outbox.repo.js';
import type { Running } from '../server/runtime.js';
import { freshStorageTarget, testMode } from './helpers/mode.js';
import { until } from './helpers/until.js';
import { startTestServer } from './helpers/server.js';

const HOUR = 3_600_000;

/** A bot whose answers can be made slow, to test the reply budget. */
class SlowBot implements Bot {
  delayMs = 0;
  async answer(question: string) {
    await new Promise((r) => setTimeout(r, this.delayMs));
    return { text: `关于“${question}”的答复` };
  }
}

describe(`delivery through the customer-service API (${testMode()})`, () => {
  let server: Running;
  const bot = new SlowBot();
  let clock = Date.now();

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), {
      // The simulated platform runs on a clock the test moves; the server's skew check is off for that.
      env: { REPLY_BUDGET_MS: '400', WECHAT_MAX_SKEW_S: '0' },
      overrides: { bot, simulator: { now: () => clock } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const sim = () => server.simulator!;
  const say = (openid: string, text: string) => sim().driver.send(sim().driver.build.text(openid, text));
  const customTexts = (openid: string) => sim().platform.timeline(openid).filter((e) => e.via === 'custom').map((e) => e.text);
  const queue = async (openid: string, content: string) => {
    const row = await enqueue(server.database.db, { openid, payload: { type: 'text', content } });
    await server.bus.emit('outbox.enqueued', { outboxId: row.id });
    return row;
  };

  it('replies with an empty body when the answer is late, then sends the answer through the API', async () => {
    const openid = sim().platform.addUser().openid;
    bot.delayMs = 900;
    const started = Date.now();
    const r = await say(openid, '慢问题');
    bot.delayMs = 0;
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(Date.now() - started).toBeLessThan(800);
    const sent = await until(
      async () => customTexts(openid).find((t) => t.includes('慢问题')),
      async () => ({ outbox: await listByOpenid(server.database.db, openid), timeline: sim().platform.timeline(openid) }),
    );
    expect(sent).toBe('关于“慢问题”的答复');
    const history = await listMessagesByOpenid(server.database.db, openid);
    expect(history.map((m) => [m.direction, m.delivery])).toEqual([
      ['in', null],
      ['out', 'custom'],
    ]);
  });

  it('holds a message outside the 48-hour window (45015) and delivers it when the customer writes again', async () => {
    const openid = sim().platform.addUser().openid;
    await say(openid, '你好');
    clock += 49 * HOUR;
    const row = await queue(openid, '给您回个话');
    const held = await until(async () => (await listByOpenid(server.database.db, openid)).find((o) => o.id === row.id && o.status === 'held'));
    expect(held.lastErrorCode).toBe(45015);
    expect(customTexts(openid)).not.toContain('给您回个话');

    await say(openid, '我回来了');
    await until(
      async () => (await listByOpenid(server.database.db, openid)).find((o) => o.id === row.id && o.status === 'sent'),
      async () => ({ outbox: await listByOpenid(server.database.db, openid), timeline: sim().platform.timeline(openid) }),
    );
    expect(customTexts(openid)).toContain('给您回个话');
  });

  it('holds the sixth message over the quota (45047) and delivers it after the customer writes', async () => {
    const openid = sim().platform.addUser().openid;
    await say(openid, '请多回我几条');
    const rows = [];
    for (let i = 1; i <= 6; i++) rows.push(await queue(openid, `第${i}条`));
    const sixth = rows[5]!;
    await until(async () => (await listByOpenid(server.database.db, openid)).every((o) => o.status === 'sent' || o.status === 'held'));
    const states = (await listByOpenid(server.database.db, openid)).map((o) => [o.status, o.lastErrorCode]);
    expect(states).toEqual([...Array(5).fill(['sent', null]), ['held', 45047]]);

    await say(openid, '好的');
    await until(async () => (await listByOpenid(server.database.db, openid)).find((o) => o.id === sixth.id && o.status === 'sent'));
    expect(customTexts(openid)).toContain('第6条');
  });

  it('retries a send that failed with a server error, and keeps the message until it goes', async () => {
    const openid = sim().platform.addUser().openid;
    await say(openid, '在吗');
    sim().platform.failNext('/cgi-bin/message/custom/send', 502);
    const row = await queue(openid, '重试的消息');
    const retrying = await until(async () => (await listByOpenid(server.database.db, openid)).find((o) => o.id === row.id && o.status === 'pending' && o.attempts === 1));
    expect(retrying.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Make it due now instead of waiting out the back-off.
    const { outbox } = await import('../server/db/schema.js');
    const { eq } = await import('drizzle-orm');
    await server.database.db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.id, row.id));
    server.outbox.kick();
    await until(async () => (await listByOpenid(server.database.db, openid)).find((o) => o.id === row.id && o.status === 'sent'));
    expect(customTexts(openid)).toContain('重试的消息');
  });

  /** Makes the row's pending retry due now (instead of waiting out the back-off) and runs the worker. */
  const hurry = async (id: number) => {
    const { outbox } = await import('../server/db/schema.js');
    const { and, eq } = await import('drizzle-orm');
    await server.database.db.update(outbox).set({ nextAttemptAt: new Date() }).where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
    server.outbox.kick();
  };
  const rowOf = async (openid: string, id: number) => (await listByOpenid(server.database.db, openid)).find((o) => o.id === id)!;

  it.each([
    [-1, '系统繁忙'],
    [45009, 'api limit'],
    [45011, 'frequency'],
    [40001, 'token still invalid after the refresh'],
  ])('retries a send refused with the transient errcode %i (%s) and delivers it', async (code) => {
    const openid = sim().platform.addUser().openid;
    await say(openid, '在吗');
    // Twice: the client's own token refresh-and-retry takes the first 40001 (there is no token to refresh for the others).
    sim().platform.failNext('/cgi-bin/message/custom/send', code);
    sim().platform.failNext('/cgi-bin/message/custom/send', code);
    const row = await queue(openid, `忙时的消息${code}`);
    // The first answer settled: either kept for a retry (pending) or given up (failed).
    const retrying = await until(async () => {
      const o = await rowOf(openid, row.id);
      return o.attempts >= 1 && o.status !== 'sending' ? o : undefined;
    });
    expect([retrying.status, retrying.lastErrorCode]).toEqual(['pending', code]);
    await until(async () => {
      const o = await rowOf(openid, row.id);
      if (o.status === 'pending') await hurry(row.id);
      return o.status === 'sent' || o.status === 'failed' ? o : undefined;
    }, async () => rowOf(openid, row.id));
    expect((await rowOf(openid, row.id)).status).toBe('sent');
    expect(customTexts(openid)).toContain(`忙时的消息${code}`);
  });

  it('refreshes the token exactly once when 50 concurrent sends meet an expired token', async () => {
    const openid = sim().platform.addUser().openid;
    await say(openid, '准备');
    await server.api.typing(openid, true); // a token is cached now
    sim().platform.expireAllTokens();
    const before = sim().platform.stats.tokenRequests;
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => server.api.sendText(openid, `并发第${i + 1}条`)));
    expect(sim().platform.stats.tokenRequests - before).toBe(1);
    // Every send got past the token: the platform's quota (5 in 48 h) took 5, and refused the rest with 45047.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const codes = new Set(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { errcode?: number }).errcode] : [])));
    expect(codes).toEqual(new Set([45047]));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessagesByKey, listMessagesByOpenid } from '../../server/chat/conversations.repo.js';
import type { Running } from '../../server/runtime.js';
import type { StandaloneSimulator } from '../helpers/simulator.js';
import { startTwoInstances, type TwoInstances } from '../helpers/two-instances.js';

/**
 * Server mode: two instances on one PostgreSQL and one Redis, no sticky routing,
 * behave as one. (PGlite is one process by design; see test/embedded/.)
 */
describe('two instances in server mode', () => {
  let two: TwoInstances;
  let sim: StandaloneSimulator;
  let a: Running;
  let b: Running;

  beforeAll(async () => {
    two = await startTwoInstances();
    ({ sim, a, b } = two);
  });
  afterAll(async () => {
    await two?.close();
  });

  const driverFor = (server: Running) => two.driverFor(server);

  it('stores one message and answers identically when retries of one push hit both instances', async () => {
    const openid = sim.platform.addUser().openid;
    const [da, db] = [driverFor(a), driverFor(b)];
    const push = da.build.text(openid, '两个实例');
    const tries = await Promise.all([da, db, da, db].map((d) => d.sendRaw(d.encode(push))));
    expect(tries.map((t) => t.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    expect(tries[0]!.body).toContain('#人工');
    expect(await countMessagesByKey(a.database.db, `msg:${push.FromUserName}:${push.MsgId}`)).toBe(1);
    expect(await listMessagesByOpenid(b.database.db, openid)).toHaveLength(2);
    da.close();
    db.close();
  });

  it('refreshes the access token exactly once across instances under 50 concurrent sends', async () => {
    const openid = sim.platform.addUser().openid;
    await sim.driver.send(sim.driver.build.text(openid, '你好'));
    await a.api.typing(openid, true); // both instances now share one cached token
    sim.platform.expireAllTokens();
    const before = sim.platform.stats.tokenRequests;
    const sends = Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).api.typing(openid, i % 4 < 2));
    const results = await Promise.allSettled(sends);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(sim.platform.stats.tokenRequests - before).toBe(1);
  });

  it('reloads the bot index in every instance when one of them changes the knowledge base', async () => {
    const db = driverFor(b);
    const ask = async (text: string) => String((await db.send(db.build.text(sim.platform.addUser().openid, text))).reply?.Content ?? '');
    expect(await ask('青鸾报表插件怎么激活')).toContain('#人工');
    const { createEntry } = await import('../../server/kb/kb.service.js');
    await createEntry(
      { db: a.database.db, bus: a.bus },
      { question: '青鸾报表插件怎么激活', similar: [], answer: '青鸾报表插件在 工具 > 插件管理 中输入激活码即可激活。', product: '浪潮GS', module: '报表', version: '', status: 'published' },
    );
    await expect.poll(() => ask('青鸾报表插件如何激活'), { timeout: 10_000 }).toContain('插件管理');
    db.close();
  });

  it('carries events from one instance to the other through Redis', async () => {
    const heard = new Promise<number>((resolve) => b.bus.on('conversation.queued', (e) => resolve(e.conversationId)));
    await a.bus.emit('conversation.queued', { conversationId: 4242, customerId: 1 });
    expect(await heard).toBe(4242);
  });
});

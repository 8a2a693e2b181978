import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import type { StandaloneSimulator } from '../helpers/simulator.js';
import { startTwoInstances, type TwoInstances } from '../helpers/two-instances.js';

/** Server mode: a signed query claimed on one instance is claimed on the other (Redis). */
describe('signed queries across two instances in server mode', () => {
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

  it('answers a retry of one push on the other instance, and refuses the query there with another body', async () => {
    const [da, db] = [driverFor(a), driverFor(b)];
    const openid = sim.platform.addUser().openid;
    const genuine = da.encode(da.build.text(openid, '你好'));
    const first = await da.sendRaw(genuine);
    const retry = await db.sendRaw(genuine);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toBe(first.body);

    const forged = await db.sendRaw({ query: genuine.query, body: db.encode(db.build.text(openid, '#人工')).body });
    expect(forged.status).toBe(401);
    da.close();
    db.close();
  });

  it('lets exactly one of many bodies racing under one query through, over both instances', async () => {
    const [da, db] = [driverFor(a), driverFor(b)];
    const openid = sim.platform.addUser().openid;
    const { query } = da.encode(da.build.text(openid, 'x'));
    const tries = Array.from({ length: 12 }, (_, i) => {
      const d = i % 2 ? db : da;
      return d.sendRaw({ query, body: d.encode(d.build.text(openid, `第${i}条`)).body });
    });
    const statuses = (await Promise.all(tries)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(11);
    da.close();
    db.close();
  });
});

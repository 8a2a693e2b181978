import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { createRedisBus, type Bus } from '../../server/platform/bus.js';
import { StaffSessions } from '../../server/staff/sessions.js';
import { addStaff, connectDesk, sessionCookie, sleep, startHubServer, type DeskClient, type HubServer } from '../desk/desk-hub-fixture.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

interface Instance {
  database: Database;
  redis: Redis;
  bus: Bus;
  sessions: StaffSessions;
  server: HubServer;
}

/** Server mode: a logout handled by instance A closes the desk socket that instance B holds. */
describe('the desk socket of a session logged out on another instance', () => {
  let redisServer: RunningRedis;
  let a: Instance;
  let b: Instance;
  const clients: DeskClient[] = [];

  async function startInstance(databaseUrl: string): Promise<Instance> {
    const database = await openDatabase({ databaseUrl });
    const redis = new Redis(redisServer.url);
    const bus = await createRedisBus(redis);
    // The periodic re-check is off: only the bus event can close the socket here.
    const server = await startHubServer(database.db, bus, { revalidateMs: 3_600_000 });
    return { database, redis, bus, sessions: new StaffSessions(database.db, Date.now, bus), server };
  }

  beforeAll(async () => {
    redisServer = await startRedis();
    const storage = await freshStorageTarget();
    a = await startInstance(storage.databaseUrl!);
    b = await startInstance(storage.databaseUrl!);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const i of [a, b]) {
      if (!i) continue;
      await i.server.close();
      await i.bus.close();
      await i.redis.quit();
      await i.database.close();
    }
    await redisServer?.stop();
  });

  it('closes it within moments (4401), and leaves the same agent’s other session open', async () => {
    const agent = await addStaff(a.database.db, 'agent-out', 'agent', '小周');
    const { cookie, token } = await sessionCookie(b.sessions, agent);
    const onB = await connectDesk(b.server.wsUrl, cookie);
    const otherTab = await connectDesk(b.server.wsUrl, (await sessionCookie(b.sessions, agent)).cookie);
    clients.push(onB, otherTab);
    await onB.next('hello');
    await a.sessions.close(token);
    const closed = await Promise.race([onB.closed.then((c) => c.code), sleep(2000).then(() => 'still open')]);
    expect(closed).toBe(4401);
    await sleep(100);
    expect(otherTab.ws.readyState).toBe(otherTab.ws.OPEN);
  });
});

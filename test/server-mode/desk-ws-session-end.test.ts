import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, connectDesk, sessionCookie, sleep, type DeskClient } from '../desk/desk-hub-fixture.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startHubInstance, stopHubInstances, type HubInstance } from './hub-instance.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

/** Server mode: a logout handled by instance A closes the desk socket that instance B holds. */
describe('the desk socket of a session logged out on another instance', () => {
  let redisServer: RunningRedis;
  let a: HubInstance;
  let b: HubInstance;
  const clients: DeskClient[] = [];

  beforeAll(async () => {
    redisServer = await startRedis();
    const storage = await freshStorageTarget();
    // The periodic re-check is off: only the bus event can close the socket here.
    a = await startHubInstance(storage.databaseUrl!, redisServer.url, { revalidateMs: 3_600_000 });
    b = await startHubInstance(storage.databaseUrl!, redisServer.url, { revalidateMs: 3_600_000 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stopHubInstances(a, b);
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

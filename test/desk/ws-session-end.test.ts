import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffSessions } from '../../server/staff/sessions.js';
import { testMode } from '../helpers/mode.js';
import { startDeskServer, StaffClient, type DeskServer } from '../helpers/desk.js';
import { connectDesk, sleep, type DeskClient } from './desk-hub-fixture.js';

/**
 * A desk socket does not outlive its session: logging out (or the account's sessions being
 * revoked) closes it at once, on whichever instance holds it, and it gets no frame after that.
 */
describe(`the desk socket when its session ends (${testMode()})`, () => {
  let desk: DeskServer;
  const open: DeskClient[] = [];
  const wsUrl = () => `${desk.server.url.replace(/^http/, 'ws')}/api/desk/ws`;
  const connect = async (who: StaffClient) => {
    const client = await connectDesk(wsUrl(), who.cookie!);
    open.push(client);
    await client.next('hello');
    return client;
  };
  /** The socket's close, or 'still open' after `ms`. */
  const closedWithin = (client: DeskClient, ms: number) =>
    Promise.race([client.closed.then((c) => c.code), sleep(ms).then(() => 'still open' as const)]);

  beforeAll(async () => {
    desk = await startDeskServer();
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await desk?.close();
  });

  it('closes the socket within moments of logging out, and sends it no queue frames after', async () => {
    await desk.addStaff('zhao', 'agent', '小赵');
    const zhao = await StaffClient.login(desk.server.url, 'zhao', 'zhao-password');
    const other = await StaffClient.login(desk.server.url, 'zhao', 'zhao-password'); // a second tab's own session
    const socket = await connect(zhao);
    const otherTab = await connect(other);

    expect((await zhao.del('/api/staff/session')).status).toBe(204);
    expect(await closedWithin(socket, 2000)).toBe(4401);
    const framesAtClose = socket.frames.length;

    // A customer joins the queue: the session that is still logged in hears of it, the closed one does not.
    const customer = desk.newCustomer();
    await desk.say(customer, '#人工');
    await otherTab.next('queue', (e) => e.items.length > 0);
    await sleep(200);
    expect(socket.frames.length).toBe(framesAtClose);
    expect(otherTab.ws.readyState).toBe(otherTab.ws.OPEN);
    // And a new socket with the logged-out cookie is refused.
    await expect(connectDesk(wsUrl(), zhao.cookie!)).rejects.toThrow();
  });

  it("closes every socket of an account whose sessions are revoked, and no one else's", async () => {
    await desk.addStaff('qian', 'agent', '小钱');
    await desk.addStaff('sun', 'agent', '小孙');
    const qian = await StaffClient.login(desk.server.url, 'qian', 'qian-password');
    const sun = await StaffClient.login(desk.server.url, 'sun', 'sun-password');
    const tabs = [await connect(qian), await connect(qian)];
    const bystander = await connect(sun);
    // What disabling the account (or resetting its password) does: end all its sessions.
    await new StaffSessions(desk.server.database.db, Date.now, desk.server.bus).revokeAll(qian.id);
    expect(await Promise.all(tabs.map((t) => closedWithin(t, 2000)))).toEqual([4401, 4401]);
    expect((await qian.get('/api/staff/me')).status).toBe(401);
    await sleep(200);
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
  });
});

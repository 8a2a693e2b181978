import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffSessions } from '../../server/staff/sessions.js';
import { addConversation, addCustomer, addMessage, addStaff, connectDesk, sessionCookie, type DeskClient } from '../desk/desk-hub-fixture.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startHubInstance, stopHubInstances, type HubInstance } from './hub-instance.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

/**
 * Server mode: an event emitted on one instance reaches an agent whose socket is held by the
 * other. A Redis of its own, so no other test's events share the channel.
 */
describe('the desk WebSocket across two instances', () => {
  let redisServer: RunningRedis;
  let a: HubInstance;
  let b: HubInstance;
  const clients: DeskClient[] = [];

  beforeAll(async () => {
    redisServer = await startRedis();
    const storage = await freshStorageTarget();
    a = await startHubInstance(storage.databaseUrl!, redisServer.url);
    b = await startHubInstance(storage.databaseUrl!, redisServer.url);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stopHubInstances(a, b);
    await redisServer?.stop();
  });

  it("pushes a message stored and emitted on instance A to the agent's socket on instance B, and not to another agent", async () => {
    const db = a.database.db;
    const agent = await addStaff(db, 'agent-two', 'agent', '小赵');
    const other = await addStaff(db, 'agent-else', 'agent', '小钱');
    const onB = await connectDesk(b.server.wsUrl, (await sessionCookie(new StaffSessions(b.database.db), agent)).cookie);
    const otherOnA = await connectDesk(a.server.wsUrl, (await sessionCookie(new StaffSessions(a.database.db), other)).cookie);
    clients.push(onB, otherOnA);
    await onB.next('hello');

    const customer = await addCustomer(db, 'o-two-instances');
    const conv = await addConversation(db, customer, { status: 'assigned', assigneeId: agent });
    const messageId = await addMessage(db, conv, { direction: 'in', sender: 'customer', content: '跨实例的消息' });
    await a.bus.emit('message.created', { conversationId: conv, messageId, direction: 'in', sender: 'customer' });

    const got = await onB.next('message');
    expect(got.message).toMatchObject({ id: messageId, conversationId: conv, content: '跨实例的消息' });
    // The queue event after it reaches the other agent; the message did not.
    await a.bus.emit('queue.changed', { reason: 'sentinel' });
    await otherOnA.next('queue');
    await onB.next('queue');
    expect(otherOnA.frames.some((f) => f.type === 'message')).toBe(false);
  });

  it('tells the previous agent on instance A when instance B transfers the chat', async () => {
    const db = b.database.db;
    const from = await addStaff(db, 'agent-from', 'agent', '小孙');
    const to = await addStaff(db, 'agent-to', 'agent', '小周');
    const onA = await connectDesk(a.server.wsUrl, (await sessionCookie(new StaffSessions(db), from)).cookie);
    clients.push(onA);
    const customer = await addCustomer(db, 'o-two-transfer');
    const conv = await addConversation(db, customer, { status: 'assigned', assigneeId: to });
    await b.bus.emit('conversation.assigned', { conversationId: conv, customerId: customer, staffId: to, previousStaffId: from, reason: 'transfer', note: null });
    expect(await onA.next('unassigned')).toMatchObject({ conversationId: conv, reason: 'transfer' });
    expect((await onA.next('assigned')).conversation.assignee).toEqual({ id: to, displayName: '小周' });
  });
});

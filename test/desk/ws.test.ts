import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { conversations } from '../../server/db/schema.js';
import { createLocalBus, type Bus } from '../../server/platform/bus.js';
import { hashOpenid } from '../../server/platform/logger.js';
import { StaffSessions } from '../../server/staff/sessions.js';
import { freshStorageTarget } from '../helpers/mode.js';
import {
  addConversation,
  addCustomer,
  addMessage,
  addStaff,
  connectDesk,
  refusal,
  sessionCookie,
  sleep,
  startHubServer,
  type DeskClient,
  type HubServer,
} from './desk-hub-fixture.js';

describe('the desk WebSocket (WS /api/desk/ws)', () => {
  let database: Database;
  let bus: Bus;
  let sessions: StaffSessions;
  let server: HubServer;
  const ids = { a: 0, b: 0, admin: 0, tech: 0 };
  const cookies = { a: '', b: '', admin: '', tech: '' };
  const open: DeskClient[] = [];
  const connect = async (cookie: string) => {
    const client = await connectDesk(server.wsUrl, cookie);
    open.push(client);
    return client;
  };
  let openids = 0;
  const customer = (account?: Parameters<typeof addCustomer>[2]) => addCustomer(database.db, `o-ws-${++openids}`, account);

  beforeAll(async () => {
    const storage = await freshStorageTarget();
    database = await openDatabase(storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir! });
    bus = createLocalBus();
    sessions = new StaffSessions(database.db);
    ids.a = await addStaff(database.db, 'agent-a', 'agent', '小王');
    ids.b = await addStaff(database.db, 'agent-b', 'agent', '小李');
    ids.admin = await addStaff(database.db, 'boss', 'admin', '主管');
    ids.tech = await addStaff(database.db, 'tech', 'technician', '工程师');
    for (const who of ['a', 'b', 'admin', 'tech'] as const) cookies[who] = (await sessionCookie(sessions, ids[who])).cookie;
    server = await startHubServer(database.db, bus);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await server?.close();
    await bus?.close();
    await database?.close();
  });

  it('refuses an upgrade without a session cookie with 401, before switching protocols', async () => {
    const res = await refusal(server.wsUrl, {});
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'not_logged_in', message: '请先登录' } });
    expect((await refusal(server.wsUrl, { cookie: `staff_session=${'x'.repeat(43)}` })).status).toBe(401);
  });

  it('refuses a technician with 403', async () => {
    const res = await refusal(server.wsUrl, { cookie: cookies.tech });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('forbidden');
  });

  it('refuses a browser page from another origin with 403 (cross-site socket hijacking)', async () => {
    const res = await refusal(server.wsUrl, { cookie: cookies.a, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const own = await connectDesk(server.wsUrl, cookies.a, { origin: `http://${new URL(server.wsUrl).host}` });
    expect((await own.next('hello')).staffId).toBe(ids.a);
    await own.close();
  });

  it('sends hello first, with seq 1, the staff id and the server time', async () => {
    const before = Date.now();
    const client = await connect(cookies.a);
    const hello = await client.next('hello');
    expect(client.frames[0]).toBe(hello);
    expect(hello).toMatchObject({ type: 'hello', seq: 1, staffId: ids.a });
    expect(Date.parse(hello.serverTime)).toBeGreaterThanOrEqual(before - 1000);
    await client.close();
  });

  it("pushes a new message to the conversation's agent and admins, not to another agent", async () => {
    const [a, b, admin] = [await connect(cookies.a), await connect(cookies.b), await connect(cookies.admin)];
    const convA = await addConversation(database.db, await customer(), { status: 'assigned', assigneeId: ids.a });
    const convB = await addConversation(database.db, await customer(), { status: 'assigned', assigneeId: ids.b });

    const forA = await addMessage(database.db, convA, { direction: 'in', sender: 'customer', content: '我的凭证打不开' });
    await bus.emit('message.created', { conversationId: convA, messageId: forA, direction: 'in', sender: 'customer' });
    const got = await a.next('message');
    expect(got.message).toEqual({
      id: forA,
      conversationId: convA,
      direction: 'in',
      sender: 'customer',
      staff: null,
      kind: 'text',
      content: '我的凭证打不开',
      delivery: null,
      deliveryNote: null,
      possibleDuplicate: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await admin.next('message', (e) => e.message.id === forA)).message.content).toBe('我的凭证打不开');

    // B's own message arrives after A's was pushed everywhere: B must not have A's.
    const forB = await addMessage(database.db, convB, { direction: 'out', sender: 'agent', content: '稍等', staffId: ids.b, delivery: 'held_quota' });
    await bus.emit('message.created', { conversationId: convB, messageId: forB, direction: 'out', sender: 'agent' });
    const own = await b.next('message');
    expect(own.message).toMatchObject({ id: forB, staff: { id: ids.b, displayName: '小李' }, delivery: 'held_quota', deliveryNote: '已达条数上限' });
    expect(b.frames.filter((f) => f.type === 'message').map((f) => f.type === 'message' && f.message.id)).toEqual([forB]);
    expect(a.frames.filter((f) => f.type === 'message')).toHaveLength(1);
    const seqs = a.frames.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('tells the agent when a message is held, with the clear state', async () => {
    const a = await connect(cookies.a);
    const b = await connect(cookies.b);
    const conv = await addConversation(database.db, await customer(), { status: 'assigned', assigneeId: ids.a });
    const msg = await addMessage(database.db, conv, { direction: 'out', sender: 'agent', content: '您好', staffId: ids.a, delivery: 'held_window' });
    await bus.emit('message.delivery', { conversationId: conv, messageId: msg, delivery: 'held_window', errcode: 45015 });
    expect(await a.next('delivery')).toMatchObject({ conversationId: conv, messageId: msg, delivery: 'held_window', deliveryNote: '客户已超过48小时未互动' });
    await bus.emit('queue.changed', { reason: 'sentinel' });
    await b.next('queue');
    expect(b.frames.some((f) => f.type === 'delivery')).toBe(false);
  });

  it('sends the whole queue to every agent when a chat is queued: serving order, names, previews', async () => {
    const a = await connect(cookies.a);
    const b = await connect(cookies.b);
    const t0 = Date.now() - 60_000;
    const plain = await customer();
    const vip = await customer({ displayName: '张会计', vip: true, unit: '某某市财政局' });
    const first = await addConversation(database.db, plain, { status: 'queued', lane: 1, queuedAt: new Date(t0) });
    await addMessage(database.db, first, { direction: 'in', sender: 'customer', content: '#人工' });
    await addMessage(database.db, first, { direction: 'out', sender: 'bot', content: '您前面还有 0 位' });
    const priority = await addConversation(database.db, vip, { status: 'queued', lane: 0, queuedAt: new Date(t0 + 30_000) });
    await bus.emit('conversation.queued', { conversationId: priority, customerId: vip });

    const frame = await a.next('queue', (e) => e.items.some((i) => i.conversationId === priority));
    const mine = frame.items.filter((i) => i.conversationId === first || i.conversationId === priority);
    expect(mine.map((i) => i.conversationId)).toEqual([priority, first]);
    expect(frame.items.map((i) => i.position)).toEqual(frame.items.map((_, i) => i + 1));
    const [vipItem, plainItem] = mine;
    expect(vipItem).toMatchObject({ lane: 0, customer: { id: vip, name: '张会计', bound: true, vip: true, unitName: '某某市财政局' }, lastMessage: null });
    // The same short name the desk API shows for an unbound customer (the logs' openid hash).
    const hash = hashOpenid(`o-ws-${openids - 1}`).slice(-4);
    expect(plainItem).toMatchObject({ lane: 1, customer: { id: plain, name: `微信用户 ${hash}`, bound: false, vip: false, unitName: null }, lastMessage: '#人工' });
    expect(plainItem!.queuedAt).toBe(new Date(t0).toISOString());
    expect((await b.next('queue')).items).toEqual(frame.items);
  });

  it('reads and sends the queue once for a burst of queue events', async () => {
    const a = await connect(cookies.a);
    await a.next('hello');
    for (let i = 0; i < 5; i++) await bus.emit(i % 2 ? 'queue.changed' : 'conversation.queued', i % 2 ? { reason: 'burst' } : { conversationId: 999_000 + i, customerId: 1 });
    await a.next('queue');
    await sleep(300);
    expect(a.frames.filter((f) => f.type === 'queue')).toHaveLength(1);
  });

  it('moves a transferred chat: assigned to everyone, unassigned (transfer) to the previous agent, then messages to the new one', async () => {
    const a = await connect(cookies.a);
    const b = await connect(cookies.b);
    const cust = await customer({ displayName: '李出纳' });
    const conv = await addConversation(database.db, cust, { status: 'assigned', assigneeId: ids.a });
    const m1 = await addMessage(database.db, conv, { direction: 'in', sender: 'customer', content: '第一条' });
    await bus.emit('message.created', { conversationId: conv, messageId: m1, direction: 'in', sender: 'customer' });
    await a.next('message', (e) => e.message.id === m1);

    await database.db.update(conversations).set({ assigneeId: ids.b, assignedAt: new Date() }).where(eq(conversations.id, conv));
    await bus.emit('conversation.assigned', { conversationId: conv, customerId: cust, staffId: ids.b, previousStaffId: ids.a, reason: 'transfer', note: '财务问题请你看下' });
    expect(await a.next('unassigned')).toMatchObject({ conversationId: conv, reason: 'transfer' });
    const assigned = await b.next('assigned', (e) => e.conversation.id === conv);
    expect(assigned.note).toBe('财务问题请你看下');
    expect(assigned.conversation).toMatchObject({ id: conv, status: 'assigned', assignee: { id: ids.b, displayName: '小李' }, customer: { name: '李出纳' }, lastMessage: '第一条', unread: 1 });
    await a.next('assigned', (e) => e.conversation.id === conv);
    expect(b.frames.some((f) => f.type === 'unassigned')).toBe(false);

    const m2 = await addMessage(database.db, conv, { direction: 'in', sender: 'customer', content: '第二条' });
    await bus.emit('message.created', { conversationId: conv, messageId: m2, direction: 'in', sender: 'customer' });
    await b.next('message', (e) => e.message.id === m2);
    const m3 = await addMessage(database.db, conv, { direction: 'out', sender: 'agent', content: '收到', staffId: ids.b, delivery: 'sent' });
    await bus.emit('message.created', { conversationId: conv, messageId: m3, direction: 'out', sender: 'agent' });
    await b.next('message', (e) => e.message.id === m3);
    expect(a.frames.filter((f) => f.type === 'message').map((f) => f.type === 'message' && f.message.id)).toEqual([m1]);
  });

  it('says unassigned with reason no_answer when a chat is reassigned for no answer', async () => {
    const a = await connect(cookies.a);
    const cust = await customer();
    const conv = await addConversation(database.db, cust, { status: 'assigned', assigneeId: ids.b });
    const b = await connect(cookies.b);
    await bus.emit('conversation.assigned', { conversationId: conv, customerId: cust, staffId: ids.a, previousStaffId: ids.b, reason: 'no_answer', note: null });
    expect(await b.next('unassigned', (e) => e.conversationId === conv)).toMatchObject({ reason: 'no_answer' });
    await a.next('assigned', (e) => e.conversation.id === conv);
  });

  it('pushes closed to the agent of a closed chat', async () => {
    const a = await connect(cookies.a);
    const cust = await customer();
    const conv = await addConversation(database.db, cust, { status: 'assigned', assigneeId: ids.a });
    await database.db.update(conversations).set({ status: 'closed', closedAt: new Date(), closeReason: 'customer' }).where(eq(conversations.id, conv));
    await bus.emit('conversation.closed', { conversationId: conv, customerId: cust, reason: 'customer' });
    const closed = await a.next('closed');
    expect(closed.conversation).toMatchObject({ id: conv, status: 'closed', closeReason: 'customer', assignee: { id: ids.a } });
  });

  it('answers a ping with a pong', async () => {
    const a = await connect(cookies.a);
    const pong = new Promise<string>((resolve) => a.ws.once('message', (d) => resolve(d.toString())));
    a.ws.send(JSON.stringify({ type: 'ping' }));
    expect(JSON.parse(await pong)).toEqual({ type: 'pong' });
  });

  it('greets a reconnecting console with a new hello, counting seq from 1 again', async () => {
    const first = await connect(cookies.a);
    await bus.emit('queue.changed', { reason: 'x' });
    await first.next('queue');
    const count = server.hub.connections;
    await first.close();
    await expect.poll(() => server.hub.connections).toBe(count - 1);
    const again = await connect(cookies.a);
    expect(await again.next('hello')).toMatchObject({ seq: 1, staffId: ids.a });
    expect(server.hub.connections).toBe(count);
  });
});

describe('the desk WebSocket keeps only live, logged-in and fast sockets', () => {
  let database: Database;
  let bus: Bus;
  let sessions: StaffSessions;
  let agent = 0;

  beforeAll(async () => {
    const storage = await freshStorageTarget();
    database = await openDatabase(storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir! });
    bus = createLocalBus();
    sessions = new StaffSessions(database.db);
    agent = await addStaff(database.db, 'agent-h', 'agent', '小张');
  });
  afterAll(async () => {
    await bus?.close();
    await database?.close();
  });

  it('drops a socket that stops answering pings', async () => {
    const server = await startHubServer(database.db, bus, { pingIntervalMs: 100 });
    try {
      const live = await connectDesk(server.wsUrl, (await sessionCookie(sessions, agent)).cookie);
      const dead = await connectDesk(server.wsUrl, (await sessionCookie(sessions, agent)).cookie);
      (dead.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // reads nothing, so never pongs
      await expect.poll(() => server.hub.connections, { timeout: 3000 }).toBe(1);
      await sleep(300);
      expect(live.ws.readyState).toBe(live.ws.OPEN);
      await live.close();
    } finally {
      await server.close();
    }
  });

  it('closes the socket of a session that was logged out (4401)', async () => {
    const server = await startHubServer(database.db, bus, { pingIntervalMs: 50, revalidateMs: 0 });
    try {
      const { cookie, token } = await sessionCookie(sessions, agent);
      const client = await connectDesk(server.wsUrl, cookie);
      await sleep(150);
      expect(client.ws.readyState).toBe(client.ws.OPEN);
      await sessions.close(token);
      expect((await client.closed).code).toBe(4401);
    } finally {
      await server.close();
    }
  });

  it('drops a socket whose send buffer passes the limit instead of buffering without end', async () => {
    const server = await startHubServer(database.db, bus, { maxBufferedBytes: 64 * 1024, queueDebounceMs: 0 });
    try {
      // A long queue makes each queue frame large; a console that reads nothing lets them pile up.
      for (let i = 0; i < 60; i++) {
        const c = await addCustomer(database.db, `o-slow-${i}`);
        const conv = await addConversation(database.db, c, { status: 'queued' });
        await addMessage(database.db, conv, { direction: 'in', sender: 'customer', content: '长'.repeat(2000) });
      }
      const fast = await connectDesk(server.wsUrl, (await sessionCookie(sessions, agent)).cookie);
      const slow = await connectDesk(server.wsUrl, (await sessionCookie(sessions, agent)).cookie);
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      for (let i = 0; i < 120 && server.hub.connections > 1; i++) {
        await bus.emit('queue.changed', { reason: 'flood' });
        await fast.next('queue', () => fast.frames.filter((f) => f.type === 'queue').length > i);
      }
      expect(server.hub.connections).toBe(1);
      expect(fast.ws.readyState).toBe(fast.ws.OPEN);
      await fast.close();
    } finally {
      await server.close();
    }
  });
});

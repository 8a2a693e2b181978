import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { DeskEvent } from '../../common/desk-api.js';
import type { StaffRole } from '../../common/staff-api.js';
import type { Db } from '../../server/db/client.js';
import { accounts, conversations, customers, messages, staff, units } from '../../server/db/schema.js';
import { createDeskHub, DESK_WS_PATH, type DeskHub, type DeskHubOptions } from '../../server/desk/desk.ws.js';
import type { Bus } from '../../server/platform/bus.js';
import { silentLogger } from '../../server/platform/logger.js';
import { StaffSessions } from '../../server/staff/sessions.js';

/** A bare http server with only the desk hub on its 'upgrade' event, as server/runtime.ts wires it. */
export interface HubServer {
  wsUrl: string;
  hub: DeskHub;
  close(): Promise<void>;
}

export async function startHubServer(db: Db, bus: Bus, options: Partial<DeskHubOptions> = {}): Promise<HubServer> {
  const hub = createDeskHub({ db, bus, sessions: new StaffSessions(db), logger: silentLogger, ...options });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    wsUrl: `ws://127.0.0.1:${port}${DESK_WS_PATH}`,
    hub,
    async close() {
      await hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A console's socket: every frame it received, in order, and a way to wait for the next one that matches. */
export interface DeskClient {
  ws: WebSocket;
  frames: DeskEvent[];
  /** The first frame of `type` (already received or still to come) that matches. */
  next<T extends DeskEvent['type']>(type: T, match?: (e: Extract<DeskEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<DeskEvent, { type: T }>>;
  closed: Promise<{ code: number }>;
  close(): Promise<void>;
}

export async function connectDesk(wsUrl: string, cookie: string, headers: Record<string, string> = {}): Promise<DeskClient> {
  const ws = new WebSocket(wsUrl, { headers: { ...headers, cookie } });
  const frames: DeskEvent[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as DeskEvent;
    frames.push(frame);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
  });
  return {
    ws,
    frames,
    closed,
    next(type, match = () => true, timeoutMs = 5000) {
      type E = Extract<DeskEvent, { type: typeof type }>;
      const find = () => frames.find((f): f is E => f.type === type && match(f as E));
      return new Promise((resolve, reject) => {
        const found = find();
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no '${type}' frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.type))}`));
        }, timeoutMs);
        const check = () => {
          const f = find();
          if (!f) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(f);
        };
        waiters.add(check);
      });
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}

/** The HTTP status a refused upgrade answered with, and its body. */
export function refusal(wsUrl: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
  });
}

// ---- rows ----------------------------------------------------------------------------------

export async function addStaff(db: Db, username: string, role: StaffRole, displayName = username): Promise<number> {
  const [row] = await db.insert(staff).values({ username, passwordHash: 'scrypt$test$unused', role, displayName, status: 'online' }).returning({ id: staff.id });
  return row!.id;
}

export async function sessionCookie(sessions: StaffSessions, staffId: number): Promise<{ cookie: string; token: string }> {
  const { token } = await sessions.open(staffId);
  return { cookie: `staff_session=${token}`, token };
}

/** A customer; with `account`, bound to an account (and its unit, when named). */
export async function addCustomer(db: Db, openid: string, account?: { displayName: string; vip?: boolean; unit?: string }): Promise<number> {
  let accountId: number | null = null;
  if (account) {
    let unitId: number | null = null;
    if (account.unit) {
      const [u] = await db.insert(units).values({ fullName: account.unit, serviceCode: `SC-${openid}` }).returning({ id: units.id });
      unitId = u!.id;
    }
    const [a] = await db
      .insert(accounts)
      .values({ username: `u-${openid}`, passwordHash: 'scrypt$test$unused', displayName: account.displayName, vip: account.vip ?? false, unitId })
      .returning({ id: accounts.id });
    accountId = a!.id;
  }
  const [c] = await db.insert(customers).values({ openid, accountId }).returning({ id: customers.id });
  return c!.id;
}

export async function addConversation(
  db: Db,
  customerId: number,
  values: { status: 'bot' | 'queued' | 'assigned' | 'closed'; assigneeId?: number | null; lane?: 0 | 1; queuedAt?: Date },
): Promise<number> {
  const [row] = await db
    .insert(conversations)
    .values({
      customerId,
      status: values.status,
      assigneeId: values.assigneeId ?? null,
      lane: values.lane ?? (values.status === 'bot' ? null : 1),
      queuedAt: values.queuedAt ?? (values.status === 'bot' ? null : new Date()),
      assignedAt: values.assigneeId ? new Date() : null,
      closedAt: values.status === 'closed' ? new Date() : null,
    })
    .returning({ id: conversations.id });
  return row!.id;
}

export async function addMessage(
  db: Db,
  conversationId: number,
  m: { direction: 'in' | 'out' | 'note'; sender: 'customer' | 'bot' | 'agent' | 'system'; content: string; staffId?: number; delivery?: string },
): Promise<number> {
  const [row] = await db
    .insert(messages)
    .values({ conversationId, direction: m.direction, sender: m.sender, kind: 'text', content: m.content, staffId: m.staffId ?? null, delivery: m.delivery ?? null })
    .returning({ id: messages.id });
  return row!.id;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

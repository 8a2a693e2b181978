import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { DeskEvent, DeskMessage } from '../../common/desk-api.js';
import type { ApiErrorBody, StaffRole } from '../../common/staff-api.js';
import type { Db } from '../db/client.js';
import { NO_PERMISSION, NOT_LOGGED_IN } from '../staff/staff-session.js';
import type { Bus } from '../platform/bus.js';
import type { EventMap } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import { SESSION_COOKIE } from '../staff/cookie.js';
import { digest, type StaffSessions } from '../staff/sessions.js';
import { registerDeskHubListeners } from './desk-hub.listeners.js';
import { conversationRouting, deliveryNoteFor, listQueue, messageById, summaryById, type ConversationRouting } from './desk.queries.js';

export const DESK_WS_PATH = '/api/desk/ws';
/** Who may open the desk socket (technicians use tickets, not chats). */
const DESK_ROLES: readonly StaffRole[] = ['agent', 'admin'];

export interface DeskHubOptions {
  db: Db;
  bus: Bus;
  sessions: StaffSessions;
  logger: Logger;
  /** Server pings this often; a socket that has not answered the previous ping is dropped. */
  pingIntervalMs?: number;
  /** A socket whose send buffer grows past this is too slow to keep up and is dropped. */
  maxBufferedBytes?: number;
  /** Queue changes arriving within this window cost one queue read and one frame. */
  queueDebounceMs?: number;
  /**
   * An open socket's session is checked again this often (expiry, a role change, a session row
   * deleted by hand); a logout or a revocation closes it at once through 'staff.session.ended'.
   */
  revalidateMs?: number;
  now?: () => number;
}

export interface DeskHub {
  /** For the http server's 'upgrade' event: true when the request was for the desk socket (handled). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every socket (1001) and stops listening to the bus. */
  close(): Promise<void>;
  readonly connections: number;
}

type Frame = DeskEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

interface Connection {
  ws: WebSocket;
  staffId: number;
  role: StaffRole;
  token: string;
  /** The session's id in the table (the token's SHA-256), as 'staff.session.ended' names it. */
  sessionId: string;
  seq: number;
  alive: boolean;
  checkedAt: number;
}

/**
 * The desk's realtime hub (WS /api/desk/ws): all realtime push to the console happens here.
 * Every instance runs one; bus events reach every instance (Redis in server mode), and each
 * instance pushes to the sockets it holds. Each event costs at most one database read per
 * instance, and none when no connected socket needs it.
 */
export function createDeskHub(opts: DeskHubOptions): DeskHub {
  const { db, bus, sessions, logger } = opts;
  const now = opts.now ?? Date.now;
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
  const revalidateMs = opts.revalidateMs ?? 60_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false });
  const conns = new Set<Connection>();
  const byStaff = new Map<number, Set<Connection>>();
  const routing = new RoutingCache(db);
  let closed = false;

  // ---- connections ------------------------------------------------------------------------

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (pathOf(req.url) !== DESK_WS_PATH) return false;
    socket.on('error', () => socket.destroy());
    void admit(req, socket, head).catch((err: unknown) => {
      logger.error({ err }, 'desk socket upgrade failed');
      refuse(socket, 500, 'internal', '服务器内部错误');
    });
    return true;
  }

  async function admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closed) return refuse(socket, 503, 'unavailable', '服务正在停止');
    if (!sameOrigin(req)) return refuse(socket, 403, 'forbidden', NO_PERMISSION);
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const session = token ? await sessions.resolve(token) : undefined;
    if (!token || !session) return refuse(socket, 401, 'not_logged_in', NOT_LOGGED_IN);
    if (!DESK_ROLES.includes(session.staff.role)) return refuse(socket, 403, 'forbidden', NO_PERMISSION);
    if (closed || socket.destroyed) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, session.staff.id, session.staff.role, token));
  }

  function attach(ws: WebSocket, staffId: number, role: StaffRole, token: string): void {
    if (closed) return void ws.close(1001, 'server shutting down');
    const conn: Connection = { ws, staffId, role, token, sessionId: digest(token), seq: 0, alive: true, checkedAt: now() };
    conns.add(conn);
    let mine = byStaff.get(staffId);
    if (!mine) byStaff.set(staffId, (mine = new Set()));
    mine.add(conn);
    ws.on('pong', () => void (conn.alive = true));
    ws.on('message', (data, isBinary) => onClientMessage(conn, data, isBinary));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => detach(conn));
    send(conn, { type: 'hello', staffId, serverTime: new Date(now()).toISOString() });
  }

  function detach(conn: Connection): void {
    conns.delete(conn);
    const mine = byStaff.get(conn.staffId);
    mine?.delete(conn);
    if (mine?.size === 0) byStaff.delete(conn.staffId);
  }

  function onClientMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (isBinary) return;
    try {
      const msg = JSON.parse(data.toString()) as { type?: unknown };
      if (msg?.type === 'ping') sendRaw(conn, '{"type":"pong"}');
    } catch {
      /* the console sends only pings; anything else is ignored */
    }
  }

  // ---- sending ----------------------------------------------------------------------------

  /** Sends one frame, numbered for this connection; drops a socket that cannot keep up. */
  function send(conn: Connection, frame: Frame): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.seq += 1;
    const { type, ...body } = frame;
    sendRaw(conn, JSON.stringify({ type, seq: conn.seq, ...body }));
  }

  function sendRaw(conn: Connection, text: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (conn.ws.bufferedAmount > maxBuffered) {
      logger.warn({ staffId: conn.staffId, buffered: conn.ws.bufferedAmount }, 'desk socket too slow: dropped');
      conn.ws.terminate();
      detach(conn);
      return;
    }
    conn.ws.send(text);
  }

  function sendTo(targets: Iterable<Connection>, frame: Frame): void {
    for (const conn of targets) send(conn, frame);
  }

  /** The sockets of one agent (every tab), and of every admin when `withAdmins`. */
  function recipients(staffIds: Array<number | null | undefined>, withAdmins: boolean): Set<Connection> {
    const out = new Set<Connection>();
    for (const id of staffIds) if (id != null) for (const c of byStaff.get(id) ?? []) out.add(c);
    if (withAdmins) for (const c of conns) if (c.role === 'admin') out.add(c);
    return out;
  }

  // ---- bus events → frames ----------------------------------------------------------------

  async function onMessageCreated(e: EventMap['message.created']): Promise<void> {
    if (conns.size === 0) return;
    const route = await routing.get(e.conversationId);
    // Admins follow the human side (queued, served, waiting for a left message), not every bot chat.
    const admins = route !== null && route.status !== 'bot';
    const targets = recipients([route?.assigneeId], admins);
    if (targets.size > 0) {
      const inline = e.customerMessage;
      const message: DeskMessage | null = inline
        ? { id: e.messageId, conversationId: e.conversationId, direction: 'in', sender: 'customer', staff: null, kind: inline.kind, content: inline.content, delivery: null, deliveryNote: null, possibleDuplicate: false, createdAt: inline.createdAt }
        : await messageById(db, e.messageId);
      if (message) sendTo(targets, { type: 'message', message });
    }
    // A queued customer wrote: the queue's preview changed.
    if (route?.status === 'queued' && e.direction === 'in') queue.schedule();
  }

  function onDelivery(e: EventMap['message.delivery']): void {
    if (conns.size === 0) return;
    const push = (route: ConversationRouting | null) =>
      sendTo(recipients([route?.assigneeId], true), {
        type: 'delivery',
        conversationId: e.conversationId,
        messageId: e.messageId,
        delivery: e.delivery,
        deliveryNote: deliveryNoteFor(e.delivery),
        possibleDuplicate: e.possibleDuplicate ?? false,
      });
    const known = routing.peek(e.conversationId);
    if (known !== undefined) return push(known);
    void routing.get(e.conversationId).then(push, (err: unknown) => logger.error({ err }, 'desk delivery push failed'));
  }

  function onQueued(e: EventMap['conversation.queued']): void {
    routing.set(e.conversationId, { status: 'queued', assigneeId: null });
    queue.schedule();
  }

  async function onAssigned(e: EventMap['conversation.assigned']): Promise<void> {
    routing.set(e.conversationId, { status: 'assigned', assigneeId: e.staffId });
    if (conns.size === 0) return;
    const conversation = await summaryById(db, e.conversationId);
    if (conversation) sendTo(conns, { type: 'assigned', conversation, note: e.note });
    if (e.previousStaffId !== null && e.previousStaffId !== e.staffId) {
      const reason = e.reason === 'no_answer' ? 'no_answer' : 'transfer';
      sendTo(recipients([e.previousStaffId], false), { type: 'unassigned', conversationId: e.conversationId, reason });
    }
  }

  async function onClosed(e: EventMap['conversation.closed']): Promise<void> {
    const before = routing.peek(e.conversationId);
    routing.set(e.conversationId, { status: 'closed', assigneeId: before?.assigneeId ?? null });
    if (before === undefined || before?.status === 'queued') queue.schedule();
    if (conns.size === 0) return;
    const conversation = await summaryById(db, e.conversationId);
    if (!conversation) return;
    sendTo(recipients([conversation.assignee?.id, before?.assigneeId, e.staffId], true), { type: 'closed', conversation });
  }

  const queue = new Debounced(opts.queueDebounceMs ?? 50, async () => {
    if (conns.size === 0) return;
    const items = await listQueue(db);
    sendTo(conns, { type: 'queue', items });
  }, (err) => logger.error({ err }, 'desk queue push failed'));

  // For as long as the hub runs: close() ends them.
  const unsubscribe = registerDeskHubListeners(bus, {
    messageCreated: onMessageCreated,
    messageDelivery: onDelivery,
    conversationQueued: onQueued,
    queueChanged: () => queue.schedule(),
    conversationAssigned: onAssigned,
    conversationClosed: onClosed,
    staffSessionEnded: onSessionEnded,
  });

  /** Logout or revocation, on any instance: this instance's sockets of that session (or account) close. */
  function onSessionEnded(e: EventMap['staff.session.ended']): void {
    for (const conn of [...conns]) {
      if (conn.sessionId !== e.sessionId && conn.staffId !== e.staffId) continue;
      endSocket(conn, 4401, 'not_logged_in');
    }
  }

  /** Closes a socket whose session is over and stops sending to it at once (not after the close handshake). */
  function endSocket(conn: Connection, code: number, reason: string): void {
    detach(conn);
    conn.ws.close(code, reason);
    // A client that never answers the close frame is not waited for.
    setTimeout(() => conn.ws.terminate(), 2000).unref();
  }

  // ---- heartbeat and session checks -------------------------------------------------------

  const heartbeat = setInterval(() => {
    for (const conn of [...conns]) {
      if (!conn.alive) {
        conn.ws.terminate();
        detach(conn);
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
      if (now() - conn.checkedAt >= revalidateMs) void revalidate(conn);
    }
  }, opts.pingIntervalMs ?? 25_000);
  heartbeat.unref();

  /** A socket outlives no session: logout, expiry or a lost desk role closes it (4401/4403). */
  async function revalidate(conn: Connection): Promise<void> {
    conn.checkedAt = now();
    try {
      const session = await sessions.resolve(conn.token);
      if (!session) endSocket(conn, 4401, 'not_logged_in');
      else if (!DESK_ROLES.includes(session.staff.role)) endSocket(conn, 4403, 'forbidden');
    } catch (err) {
      logger.warn({ err }, 'desk session check failed');
    }
  }

  return {
    handleUpgrade,
    get connections() {
      return conns.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      queue.cancel();
      for (const off of unsubscribe) off();
      const open = [...conns];
      await Promise.all(
        open.map(
          (conn) =>
            new Promise<void>((resolve) => {
              if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => conn.ws.terminate(), 1000);
              conn.ws.once('close', () => (clearTimeout(timer), resolve()));
              conn.ws.close(1001, 'server shutting down');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * conversationId → status and assignee, kept current by the bus events that change them, read
 * from the database on a miss. Bounded: the oldest entries go first.
 */
class RoutingCache {
  private readonly entries = new Map<number, ConversationRouting>();
  private readonly loading = new Map<number, Promise<ConversationRouting | null>>();
  constructor(
    private readonly db: Db,
    private readonly max = 10_000,
  ) {}

  peek(id: number): ConversationRouting | undefined {
    return this.entries.get(id);
  }

  set(id: number, value: ConversationRouting): void {
    this.entries.delete(id);
    this.entries.set(id, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  async get(id: number): Promise<ConversationRouting | null> {
    const known = this.entries.get(id);
    if (known !== undefined) return known;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = conversationRouting(this.db, id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    const read = await pending;
    // An event that arrived during the read is newer than the read: keep it.
    if (!this.entries.has(id) && read) this.set(id, read);
    return this.entries.get(id) ?? read;
  }
}

/** Runs `task` once per burst of schedule() calls, `delayMs` after the first; again if called during a run. */
class Debounced {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  constructor(
    private readonly delayMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => void this.run(), this.delayMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.again = false;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      await this.task();
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      this.schedule();
    }
  }
}

function pathOf(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q === -1 ? (url ?? '') : (url ?? '').slice(0, q);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Cross-site WebSocket hijacking: browsers send the cookie with a socket opened by any page,
 * so a browser's Origin must name this host (as a proxy forwards it). Non-browser clients send
 * no Origin and are judged by the cookie alone.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const forwarded = req.headers['x-forwarded-host'];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0])?.trim() || req.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers the upgrade request with a plain HTTP error (ApiErrorBody) instead of switching protocols. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } } satisfies ApiErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

import type { Bot } from '../../server/chat/ports.js';
import type { Running, ServerOverrides } from '../../server/runtime.js';
import type { Simulator } from '../../simulator/index.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { freshStorageTarget, type StorageTarget } from './mode.js';
import { startTestServer } from './server.js';

/** A bot that echoes, and hands off on 转人工: the desk tests do not depend on the knowledge base. */
export const echoBot: Bot = {
  async answer(question) {
    if (question.includes('转人工')) return { text: '', handoff: true };
    return { text: `机器人答：${question}` };
  },
};

export interface DeskServer {
  server: Running;
  storage: StorageTarget;
  /** Moves the desk's clock (timeouts) without waiting. */
  advance(ms: number): void;
  /** The simulated customer says `text`; returns the passive reply's text ('' for none). */
  say(openid: string, text: string): Promise<string>;
  newCustomer(): string;
  /** What the customer received through the customer-service API, in order. */
  customTexts(openid: string): string[];
  addStaff(username: string, role: 'agent' | 'admin' | 'technician', displayName: string, maxConcurrent?: number): Promise<StaffClient>;
  close(): Promise<void>;
}

/**
 * The whole server with the simulator, a stub bot and a movable desk clock; the sweeper's own
 * timer is slowed down so tests run sweeps when they choose (server.desk.sweeper.sweep()).
 */
export async function startDeskServer(
  opts: { env?: Record<string, string>; storage?: StorageTarget; overrides?: ServerOverrides; /** A standalone simulator the server uses as WeChat (credentialsEnv). */ sim?: Simulator } = {},
): Promise<DeskServer> {
  const storage = opts.storage ?? (await freshStorageTarget());
  let offset = 0;
  const server = await startTestServer(storage, {
    env: { WECHAT_MAX_SKEW_S: '0', DESK_SWEEP_MS: '3600000', ...opts.env },
    overrides: { bot: echoBot, deskNow: () => Date.now() + offset, ...opts.overrides },
  });
  const sim = () => opts.sim ?? server.simulator!;
  return {
    server,
    storage,
    advance: (ms) => void (offset += ms),
    async say(openid, text) {
      const r = await sim().driver.send(sim().driver.build.text(openid, text));
      if (r.status !== 200) throw new Error(`push answered ${r.status}`);
      return String(r.reply?.Content ?? '');
    },
    newCustomer: () => sim().platform.addUser().openid,
    customTexts: (openid) => sim().platform.timeline(openid).filter((e) => e.via === 'custom').map((e) => e.text),
    async addStaff(username, role, displayName, maxConcurrent = 5) {
      const password = `${username}-password`;
      await new StaffAccounts(server.database.db).createStaff({ username, password, role, displayName, maxConcurrent });
      return StaffClient.login(server.url, username, password);
    },
    close: () => server.close(),
  };
}

/** A logged-in staff member's JSON client. */
export class StaffClient {
  constructor(readonly url: string, readonly cookie: string | undefined, readonly id: number) {}

  static async login(url: string, username: string, password: string): Promise<StaffClient> {
    const res = await fetch(`${url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))?.split(';')[0];
    const me = (await res.json()) as { id: number };
    return new StaffClient(url, cookie, me.id);
  }

  /** Not logged in at all. */
  static anonymous(url: string): StaffClient {
    return new StaffClient(url, undefined, 0);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  del<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }
  async setStatus(status: 'online' | 'away' | 'offline'): Promise<void> {
    const r = await this.put('/api/desk/me/status', { status });
    if (r.status !== 200) throw new Error(`status: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** The customer's open conversation id (or the latest one), read from the database. */
export async function conversationOf(server: Running, openid: string): Promise<{ id: number; status: string }> {
  const { sql } = await import('drizzle-orm');
  const result = await server.database.db.execute(sql`
    SELECT c.id, c.status FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE cu.openid = ${openid} ORDER BY (c.status <> 'closed') DESC, c.id DESC LIMIT 1`);
  const [row] = (result as unknown as { rows: Array<{ id: number; status: string }> }).rows;
  if (!row) throw new Error(`no conversation for ${openid}`);
  return row;
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import type { H5State } from '../../server/accounts/h5-state.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { customers } from '../../server/db/schema.js';
import { accounts, units } from '../../server/accounts/schema.js';
import { accountsModule } from '../../server/accounts/accounts.module.js';
import { staffSession, type StaffState } from '../../server/staff/staff-session.js';
import { errorMiddleware } from '../../server/http/error-middleware.js';
import { silentLogger } from '../../server/platform/logger.js';
import { memoryRateLimiter } from '../../server/platform/rate-limit.js';
import { LoginGuard, STAFF_LOGIN_RULES } from '../../server/platform/login-throttle.js';
import { StaffSessions } from '../../server/staff/sessions.js';
import { staffRoutes } from '../../server/staff/staff.routes.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import type { TemplateMessage } from '../../server/wechat/api-client.js';
import type { StorageTarget } from '../helpers/mode.js';

/** A WeChat API that records template messages; `failNext` makes the next send throw. */
export function fakeTemplateApi() {
  const sent: TemplateMessage[] = [];
  let fail = 0;
  return {
    sent,
    failNext: (n = 1) => void (fail = n),
    async sendTemplate(msg: TemplateMessage) {
      if (fail > 0) {
        fail -= 1;
        throw new Error('WeChat API error 43004: require subscribe');
      }
      sent.push(msg);
      return { msgid: String(sent.length) };
    },
  };
}

export interface AccountsTestApp {
  url: string;
  database: Database;
  api: ReturnType<typeof fakeTemplateApi>;
  staff: StaffAccounts;
  module: ReturnType<typeof accountsModule>;
  /** Creates a customer account (and binds `openid` to it when given); returns its id. */
  createAccount(username: string, opts?: { unitId?: number; openid?: string; points?: number }): Promise<number>;
  createUnit(fullName: string, serviceCode: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The accounts routes in a small Koa app on the real database of the current mode. The H5
 * session middleware is stood in for by a test one: the headers x-test-account and
 * x-test-openid set ctx.state.h5, as the real middleware does from the session cookie.
 * Staff log in through the real staff routes.
 */
export async function startAccountsApp(storage: StorageTarget): Promise<AccountsTestApp> {
  const database = await openDatabase(storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir! });
  const redis = storage.redisUrl ? new Redis(storage.redisUrl) : undefined;
  const api = fakeTemplateApi();
  const module = accountsModule({ db: database.db, api, logger: silentLogger, redis, redisPrefix: `test:${Math.random().toString(36).slice(2)}:sc:`, profileUrl: 'http://h5.test/h5/#/home/profile' });
  const staff = new StaffAccounts(database.db);
  const sessions = new StaffSessions(database.db);
  const app = new Koa<H5State & StaffState>();
  app.proxy = true;
  app.silent = true;
  app.use(errorMiddleware(silentLogger));
  app.use(staffSession(sessions));
  app.use(async (ctx, next) => {
    const account = ctx.get('x-test-account');
    const openid = ctx.get('x-test-openid');
    if (account || openid) ctx.state.h5 = { id: 'test-session', accountId: account ? Number(account) : null, openid: openid || null };
    await next();
  });
  // As server/app.ts mounts them: the staff routers, then the H5 routers (each types its own ctx.state).
  const mount = <S>(routers: Array<Router<S>>) => {
    for (const router of routers) {
      app.use(router.routes());
      app.use(router.allowedMethods());
    }
  };
  mount([
    staffRoutes({ accounts: staff, sessions, guard: new LoginGuard((rule) => memoryRateLimiter(rule), STAFF_LOGIN_RULES), logger: silentLogger }),
    ...module.adminRoutes,
  ]);
  mount(module.h5Routes);
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const db = database.db;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    api,
    staff,
    module,
    async createAccount(username, opts = {}) {
      const [row] = await db
        .insert(accounts)
        .values({ username, passwordHash: 'not-used', displayName: `用户${username}`, unitId: opts.unitId ?? null, points: opts.points ?? 0 })
        .returning({ id: accounts.id });
      if (opts.openid) await db.insert(customers).values({ openid: opts.openid, accountId: row!.id });
      return row!.id;
    },
    async createUnit(fullName, serviceCode) {
      const [row] = await db.insert(units).values({ fullName, serviceCode, serviceLevel: '金牌服务', serviceValidUntil: '2030-06-30' }).returning({ id: units.id });
      return row!.id;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await redis?.quit();
      await database.close();
    },
  };
}

/** Calls the app as a given H5 user (account and/or openid) or staff cookie. */
export function caller(app: { url: string }) {
  return (method: string, path: string, who: { account?: number; openid?: string; cookie?: string; ip?: string } = {}, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(who.account ? { 'x-test-account': String(who.account) } : {}),
        ...(who.openid ? { 'x-test-openid': who.openid } : {}),
        ...(who.cookie ? { cookie: who.cookie } : {}),
        ...(who.ip ? { 'x-forwarded-for': who.ip } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** Logs a staff member in through the real staff route; returns the cookie pair. */
export async function staffLogin(app: { url: string }, username: string, password: string): Promise<string> {
  const res = await fetch(`${app.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const line = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='));
  if (!line) throw new Error(`staff login failed: ${res.status}`);
  return line.split(';')[0]!;
}

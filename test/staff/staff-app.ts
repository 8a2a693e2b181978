import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../../server/db/client.js';
import { errorMiddleware } from '../../server/http/error-middleware.js';
import { staffSession, type StaffState } from '../../server/staff/staff-session.js';
import { silentLogger } from '../../server/platform/logger.js';
import { serveConsole } from '../../server/staff/console-static.js';
import { memoryRateLimiter, redisRateLimiter, type RateLimiterFactory } from '../../server/platform/rate-limit.js';
import { LoginGuard, STAFF_LOGIN_RULES } from '../../server/platform/login-throttle.js';
import { StaffSessions } from '../../server/staff/sessions.js';
import { staffRoutes } from '../../server/staff/staff.routes.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import type { StorageTarget } from '../helpers/mode.js';

export interface StaffTestApp {
  url: string;
  database: Database;
  accounts: StaffAccounts;
  sessions: StaffSessions;
  close(): Promise<void>;
}

/**
 * The staff routes in a tiny Koa app, wired as server/app.ts wires them, on the real database
 * of the current mode (and Redis for the login lockout in server mode).
 */
export async function startStaffApp(storage: StorageTarget, extra: Array<Router<StaffState>> = [], opts: { console?: boolean } = {}): Promise<StaffTestApp> {
  const database = await openDatabase(storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir! });
  let redis: Redis | undefined;
  let limiter: RateLimiterFactory = (rule) => memoryRateLimiter(rule);
  if (storage.redisUrl) {
    const r = (redis = new Redis(storage.redisUrl));
    const prefix = `test:${Math.random().toString(36).slice(2)}:`;
    limiter = (rule, name) => redisRateLimiter(r, rule, `${prefix}${name}:`);
  }
  const guard = new LoginGuard(limiter, STAFF_LOGIN_RULES);
  const accounts = new StaffAccounts(database.db);
  const sessions = new StaffSessions(database.db);
  const app = new Koa<StaffState>();
  // As TRUST_PROXY=1: the tests name each client's address in X-Forwarded-For.
  app.proxy = true;
  app.maxIpsCount = 1;
  app.silent = true;
  app.use(errorMiddleware(silentLogger));
  app.use(staffSession(sessions));
  for (const router of [staffRoutes({ accounts, sessions, guard, logger: silentLogger }), ...extra]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  if (opts.console) app.use(serveConsole());
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    accounts,
    sessions,
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

/** The `staff_session=...` pair from a response, for the next request's Cookie header. */
export function sessionCookieOf(res: Response): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='));
  return line?.split(';')[0];
}

import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import { LoginGuard, STAFF_LOGIN_RULES } from '../platform/login-throttle.js';
import { memoryRateLimiter, redisRateLimiter } from '../platform/rate-limit.js';
import type { StaffCookieOptions } from './cookie.js';
import { StaffSessions } from './sessions.js';
import { staffRoutes } from './staff.routes.js';
import { StaffAccounts } from './staff.service.js';

export interface StaffDeps {
  db: Db;
  bus: Bus;
  logger: Logger;
  /** Server mode: the login limits are shared by every instance. Embedded mode counts in memory. */
  redis?: Redis;
  /** The deployment's Redis namespace (platform/redis-namespace.ts). */
  namespace: string;
  cookie: StaffCookieOptions;
}

/**
 * Staff accounts and their sessions: the console's login routes, and what the session middleware
 * (staffSession(sessions, cookie)) and the desk socket need.
 */
export function staffModule(deps: StaffDeps) {
  const { redis, namespace } = deps;
  const accounts = new StaffAccounts(deps.db);
  const sessions = new StaffSessions(deps.db, Date.now, deps.bus);
  const guard = new LoginGuard(
    (rule, name) => (redis ? redisRateLimiter(redis, rule, `${namespace}:staff:login-${name}:`) : memoryRateLimiter(rule)),
    STAFF_LOGIN_RULES,
  );
  return {
    accounts,
    sessions,
    cookie: deps.cookie,
    /** /api/staff/… (login, logout, accounts); staffSession() before it. */
    staffRoutes: [staffRoutes({ accounts, sessions, guard, cookie: deps.cookie, logger: deps.logger })],
  };
}

export type StaffModule = ReturnType<typeof staffModule>;

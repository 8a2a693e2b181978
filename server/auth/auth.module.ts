import type Router from '@koa/router';
import type { Redis } from 'ioredis';
import type { H5State } from '../accounts/h5-state.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import { H5_LOGIN_RULES, LoginGuard } from '../platform/login-throttle.js';
import { memoryRateLimiter, redisRateLimiter, type RateRule } from '../platform/rate-limit.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { simulatedSenders, VerificationCodes, type CodeSenders } from './codes.js';
import { H5Sessions, type H5CookieOptions } from './h5-session.js';
import { loginRoutes } from './login.routes.js';
import { H5Auth } from './login.service.js';
import { oauthRoutes } from './oauth.routes.js';

const MINUTE = 60_000;
/** Verification codes: per number or address one a minute and five an hour; per IP twenty an hour. */
const CODE_RULES = { perTargetMinute: { limit: 1, windowMs: MINUTE }, perTargetHour: { limit: 5, windowMs: 60 * MINUTE }, perIp: { limit: 20, windowMs: 60 * MINUTE } };
/** Registration attempts per IP (each checks a code; a wrong one must not be free to repeat). */
const REGISTER_PER_IP: RateRule = { limit: 20, windowMs: 60 * MINUTE };

export interface AuthDeps {
  db: Db;
  api: Pick<WeChatApi, 'oauthExchange'>;
  logger: Logger;
  /** Server mode: the limits are shared by every instance. Embedded mode counts in memory. */
  redis?: Redis;
  /** Prefix of the limiters' Redis keys (a deployment's namespace goes in front). */
  redisPrefix: string;
  /** Where verification codes go; without a provider they are simulated: logged, and shown by `notify`. */
  senders?: CodeSenders;
  /** Shows a simulated code to the user (the simulator's chat). */
  notify?: (text: string, openid?: string) => void;
  /** A real account is configured: simulated codes are worth a warning. */
  warnIfSimulated?: boolean;
  cookie: H5CookieOptions;
  /** PUBLIC_BASE_URL; without it, the request's origin. */
  publicBaseUrl?: string;
  appId: string;
  /** The OAuth pages' base, or, for the simulator, one built from our own origin. */
  oauthBase: string | ((origin: string) => string);
  /** The clock of sessions, codes and limits. */
  now?: () => number;
}

/**
 * H5 login: sessions (h5Session(sessions, cookie) before the H5 routes), verification codes,
 * login and registration, the OAuth silent login, each with its guessing limits.
 */
export function authModule(deps: AuthDeps) {
  const { db, redis, logger } = deps;
  const now = deps.now ?? Date.now;
  const senders = deps.senders ?? simulatedSenders(logger, deps.notify);
  if (senders.sms.simulated && deps.warnIfSimulated) logger.warn('no SMS or e-mail provider: verification codes are only logged (simulated)');
  const limiter = (rule: RateRule, name: string) => (redis ? redisRateLimiter(redis, rule, `${deps.redisPrefix}${name}:`, now) : memoryRateLimiter(rule, now));
  const sessions = new H5Sessions(db, now);
  const codes = new VerificationCodes(
    db,
    senders,
    { perTargetMinute: limiter(CODE_RULES.perTargetMinute, 'codes-minute'), perTargetHour: limiter(CODE_RULES.perTargetHour, 'codes-hour'), perIp: limiter(CODE_RULES.perIp, 'codes-ip') },
    now,
  );
  const auth = new H5Auth({
    db,
    sessions,
    codes,
    guard: new LoginGuard((rule, name) => limiter(rule, `login-${name}`), H5_LOGIN_RULES),
    registerPerIp: limiter(REGISTER_PER_IP, 'register-ip'),
    logger,
  });
  const shared = { sessions, cookie: deps.cookie };
  return {
    sessions,
    codes,
    auth,
    cookie: deps.cookie,
    /** /api/h5 login and registration, /auth OAuth; h5Session() before them. */
    h5Routes: [
      loginRoutes({ auth, ...shared }),
      oauthRoutes({ db, api: deps.api, appId: deps.appId, oauthBase: deps.oauthBase, logger, ...shared, publicBaseUrl: deps.publicBaseUrl }),
    ] as Array<Router<H5State>>,
  };
}

export type AuthModule = ReturnType<typeof authModule>;

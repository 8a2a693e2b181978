import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { StaffMe } from '../../common/staff-api.js';
import { requireStaff, type StaffState } from './staff-session.js';
import { TooManyAttempts, Unauthorized } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { LoginRequestSchema } from '../../common/staff-schemas.js';
import type { Logger } from '../platform/logger.js';
import { clearSessionCookie, sessionToken, setSessionCookie, type StaffCookieOptions } from './cookie.js';
import type { LoginGuard } from '../platform/login-throttle.js';
import type { StaffSessions } from './sessions.js';
import type { StaffAccounts } from './staff.service.js';

export interface StaffRoutesDeps {
  accounts: StaffAccounts;
  sessions: StaffSessions;
  /** Guessing limits, counted before the password is checked. */
  guard: LoginGuard;
  cookie?: StaffCookieOptions;
  logger: Logger;
}

export const BAD_CREDENTIALS = '用户名或密码错误';
export const LOCKED_OUT = '登录失败次数过多，请15分钟后再试';

/**
 * /api/staff/session (login, logout) and /api/staff/me. Needs staffSession() mounted before it.
 * Passwords and hashes never reach a log line or a response.
 */
export function staffRoutes(deps: StaffRoutesDeps): Router<StaffState> {
  const router = new Router<StaffState>({ prefix: '/api/staff' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' });

  router.post('/session', json, async (ctx) => {
    const body = parseInput(LoginRequestSchema, ctx.request.body, { code: 'invalid_login', message: () => '请输入用户名和密码' });
    const key = body.username.trim().toLowerCase();
    const refused = await deps.guard.attempt(key, ctx.ip);
    if (refused) {
      deps.logger.warn({ username: key, reason: refused.reason }, 'staff login refused: too many attempts');
      throw new TooManyAttempts(LOCKED_OUT);
    }
    const me = await deps.accounts.authenticate(body.username, body.password);
    if (!me) {
      deps.logger.info({ username: key }, 'staff login failed');
      throw new Unauthorized(BAD_CREDENTIALS, 'bad_credentials');
    }
    await deps.guard.succeeded(key, ctx.ip);
    const { token } = await deps.sessions.open(me.id);
    setSessionCookie(ctx, token, deps.cookie);
    deps.logger.info({ staffId: me.id, role: me.role }, 'staff logged in');
    ctx.body = me satisfies StaffMe;
  });

  router.delete('/session', async (ctx) => {
    const token = sessionToken(ctx);
    if (token) await deps.sessions.close(token);
    clearSessionCookie(ctx, deps.cookie);
    ctx.status = 204;
  });

  router.get('/me', requireStaff(), (ctx) => {
    ctx.body = ctx.state.staff satisfies StaffMe | undefined;
  });

  return router;
}

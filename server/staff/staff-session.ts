import type { Middleware } from 'koa';
import type { StaffMe, StaffRole } from '../../common/staff-api.js';
import { Forbidden, Unauthorized } from '../http/errors.js';
import { sessionToken, setSessionCookie, type StaffCookieOptions } from './cookie.js';
import type { StaffSessions } from './sessions.js';

export interface StaffState {
  /** Set by staffSession() when the request carries a live session cookie. */
  staff?: StaffMe;
  /** The session cookie's token, for logout. */
  staffToken?: string;
}

/**
 * Resolves the `staff_session` cookie into ctx.state.staff, and slides the session (and the
 * cookie) forward. Never refuses: requireStaff() does. Requests without the cookie (WeChat
 * pushes, the H5 pages) cost nothing.
 */
export function staffSession(sessions: StaffSessions, cookie?: StaffCookieOptions): Middleware<StaffState> {
  return async (ctx, next) => {
    const token = sessionToken(ctx);
    if (token) {
      const session = await sessions.resolve(token);
      if (session) {
        ctx.state.staff = session.staff;
        ctx.state.staffToken = token;
        setSessionCookie(ctx, token, cookie);
      }
    }
    await next();
  };
}

export const NOT_LOGGED_IN = '请先登录';
export const NO_PERMISSION = '没有权限执行此操作';

/**
 * Lets the request through only for a logged-in staff member with one of `roles` (any role
 * when none is given): 401 without a live session, 403 with the wrong role. Needs
 * staffSession() earlier in the chain.
 */
export function requireStaff(...roles: StaffRole[]): Middleware<StaffState> {
  return async (ctx, next) => {
    const staff = ctx.state.staff;
    if (!staff) throw new Unauthorized(NOT_LOGGED_IN, 'not_logged_in');
    if (roles.length > 0 && !roles.includes(staff.role)) throw new Forbidden(NO_PERMISSION, 'forbidden');
    await next();
  };
}

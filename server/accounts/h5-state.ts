import type { Middleware } from 'koa';
import { Unauthorized } from '../http/errors.js';

/**
 * What the H5 session middleware (server/auth/h5-session.ts) puts on ctx.state.h5: the
 * session, the WeChat openid it came with (OAuth), and the logged-in account. Every H5 route
 * reads the user from here, never from an id in the request (no access by changing an id).
 * Declared here rather than in auth/: accounts' own routes read it, and auth/ sits above accounts/.
 */
export interface H5Session {
  /** The session's id (SHA-256 of the cookie's token). */
  id: string;
  openid: string | null;
  accountId: number | null;
}

export interface H5State {
  h5?: H5Session;
}

export const LOGIN_REQUIRED = '请先登录';

/** Lets the request through only with a logged-in account: 401 not_logged_in otherwise. */
export function requireUser(): Middleware<H5State> {
  return async (ctx, next) => {
    if (!ctx.state.h5?.accountId) throw new Unauthorized(LOGIN_REQUIRED, 'not_logged_in');
    await next();
  };
}

/** The logged-in account's id (after requireUser()). */
export function accountIdOf(state: H5State): number {
  const id = state.h5?.accountId;
  if (!id) throw new Unauthorized(LOGIN_REQUIRED, 'not_logged_in');
  return id;
}

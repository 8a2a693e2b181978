import type { Context } from 'koa';
import { secureCookie } from '../http/secure-cookie.js';
import { SESSION_TTL_MS } from './sessions.js';

export const SESSION_COOKIE = 'staff_session';

export interface StaffCookieOptions {
  /** PUBLIC_BASE_URL is https: Secure even when the proxy does not say X-Forwarded-Proto. */
  alwaysSecure: boolean;
}

/**
 * httpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), and Secure when
 * the public address is https, or the request came over https (directly, or through a trusted
 * proxy saying X-Forwarded-Proto: https).
 */
export function setSessionCookie(ctx: Context, token: string, opts?: StaffCookieOptions): void {
  ctx.cookies.set(SESSION_COOKIE, token, { ...attributes(ctx, opts), maxAge: SESSION_TTL_MS });
}

export function clearSessionCookie(ctx: Context, opts?: StaffCookieOptions): void {
  ctx.cookies.set(SESSION_COOKIE, '', { ...attributes(ctx, opts), maxAge: 0 });
}

export function sessionToken(ctx: Context): string | undefined {
  return ctx.cookies.get(SESSION_COOKIE) || undefined;
}

function attributes(ctx: Context, opts?: StaffCookieOptions) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: secureCookie(ctx, !!opts?.alwaysSecure), path: '/', overwrite: true };
}

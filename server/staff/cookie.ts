import type { Context } from 'koa';
import { SESSION_TTL_MS } from './sessions.js';

export const SESSION_COOKIE = 'staff_session';

/**
 * httpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), and Secure when
 * the request came over https, directly or through a proxy saying X-Forwarded-Proto: https
 * (ctx.secure honours that header because the app sets `proxy = true`).
 */
export function setSessionCookie(ctx: Context, token: string): void {
  ctx.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/',
    maxAge: SESSION_TTL_MS,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: 0, overwrite: true });
}

export function sessionToken(ctx: Context): string | undefined {
  return ctx.cookies.get(SESSION_COOKIE) || undefined;
}

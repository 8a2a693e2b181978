import type { Context, Middleware } from 'koa';
import { Forbidden } from '../http/errors.js';

export const BAD_ORIGIN = '请求来源不被允许';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence in depth for the H5 API, beside SameSite=Lax cookies (OWASP CSRF Prevention
 * Cheat Sheet, "Verifying Origin with standard headers"): a state-changing request must come
 * from our own origin.
 *  - Origin present: it must be the request's own origin or PUBLIC_BASE_URL's. `Origin: null`
 *    (sandboxed frames, some redirects) is foreign.
 *  - No Origin: the Referer's origin is checked the same way.
 *  - Neither header: allowed. Browsers send Origin on every cross-origin request and on
 *    same-origin POSTs, so a request without either comes from a non-browser client (curl, a
 *    server) that has no victim's cookies to ride on.
 *  - Sec-Fetch-Site: cross-site is refused whatever the other headers say.
 */
export function originCheck(allowed: { publicBaseUrl?: string }): Middleware {
  const publicOrigin = allowed.publicBaseUrl ? new URL(allowed.publicBaseUrl).origin : undefined;
  return async (ctx, next) => {
    if (!SAFE_METHODS.has(ctx.method) && !isOwnOrigin(ctx.get('origin'), ctx.get('referer'), ctx.get('sec-fetch-site'), [ownOrigin(ctx), publicOrigin])) {
      throw new Forbidden(BAD_ORIGIN, 'bad_origin');
    }
    await next();
  };
}

/** The origin this request was sent to (protocol and host, as a proxy reports them). Koa 3's ctx.origin is the Origin header. */
export function ownOrigin(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}

/** Pure: whether the headers of a state-changing request say it comes from one of `own`. */
export function isOwnOrigin(origin: string, referer: string, fetchSite: string, own: Array<string | undefined>): boolean {
  if (fetchSite === 'cross-site') return false;
  const claimed = origin || (referer ? originOf(referer) : '');
  if (!origin && !referer) return true;
  return !!claimed && own.some((o) => o !== undefined && o.toLowerCase() === claimed.toLowerCase());
}

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? '' : u.origin;
  } catch {
    return '';
  }
}

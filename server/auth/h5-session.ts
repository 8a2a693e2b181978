import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, ne } from 'drizzle-orm';
import type { Context, Middleware } from 'koa';
import type { Db } from '../db/client.js';
import type { H5Session, H5State } from '../accounts/h5-state.js';
import { h5Sessions } from './schema.js';
import { secureCookie } from '../http/secure-cookie.js';

export const H5_SESSION_COOKIE = 'h5_session';
/** A week after the last request; a WeChat user whose session ended is logged in again silently by OAuth. */
export const H5_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often per session, not on every request. */
const SLIDE_EVERY_MS = 60 * 1000;

/**
 * Server-side H5 sessions (table h5_sessions). The cookie carries a random 32-byte token; the
 * table keeps only its SHA-256, so a leaked table cannot be replayed as a cookie. A session
 * holds a WeChat openid (OAuth), an account (logged in), or both.
 */
export class H5Sessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a session; returns the cookie's token and the session. */
  async start(values: { openid: string | null; accountId: number | null }): Promise<{ token: string; session: H5Session }> {
    const token = randomBytes(32).toString('base64url');
    const id = digest(token);
    await this.db.insert(h5Sessions).values({ id, openid: values.openid, accountId: values.accountId, expiresAt: new Date(this.now() + H5_SESSION_TTL_MS) });
    // Housekeeping on the rare path: expired rows go when a session starts.
    await this.db.delete(h5Sessions).where(lt(h5Sessions.expiresAt, new Date(this.now())));
    return { token, session: { id, openid: values.openid, accountId: values.accountId } };
  }

  /** The live session of a cookie token, its expiry pushed forward; `slid` says the cookie should be renewed. */
  async resolve(token: string): Promise<{ session: H5Session; slid: boolean } | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const id = digest(token);
    const now = this.now();
    const [row] = await this.db.select().from(h5Sessions).where(and(eq(h5Sessions.id, id), gt(h5Sessions.expiresAt, new Date(now)))).limit(1);
    if (!row) return undefined;
    const slid = row.expiresAt.getTime() - now < H5_SESSION_TTL_MS - SLIDE_EVERY_MS;
    if (slid) await this.db.update(h5Sessions).set({ expiresAt: new Date(now + H5_SESSION_TTL_MS) }).where(eq(h5Sessions.id, id));
    return { session: { id, openid: row.openid, accountId: row.accountId }, slid };
  }

  async destroy(id: string): Promise<void> {
    await this.db.delete(h5Sessions).where(eq(h5Sessions.id, id));
  }

  /** Ends every session of an account (password reset), or every one but `exceptId` (password change). */
  async destroyAccount(accountId: number, exceptId?: string): Promise<void> {
    await this.db
      .delete(h5Sessions)
      .where(exceptId ? and(eq(h5Sessions.accountId, accountId), ne(h5Sessions.id, exceptId)) : eq(h5Sessions.accountId, accountId));
  }

  /** Ends the account's sessions that came with `openid` (its binding was removed), but `exceptId`. */
  async destroyOpenid(accountId: number, openid: string, exceptId?: string): Promise<void> {
    const of = and(eq(h5Sessions.accountId, accountId), eq(h5Sessions.openid, openid));
    await this.db.delete(h5Sessions).where(exceptId ? and(of, ne(h5Sessions.id, exceptId)) : of);
  }
}

export interface H5CookieOptions {
  /** Secure cookies even when the request looks like http (PUBLIC_BASE_URL is https behind a proxy that does not say so). */
  alwaysSecure: boolean;
}

/**
 * Resolves the `h5_session` cookie into ctx.state.h5 and slides it. Never refuses:
 * requireUser() does. Mount it on /api/h5 and /auth only.
 */
export function h5Session(sessions: H5Sessions, opts: H5CookieOptions): Middleware<H5State> {
  return async (ctx, next) => {
    const token = ctx.cookies.get(H5_SESSION_COOKIE);
    if (token) {
      const found = await sessions.resolve(token);
      if (found) {
        ctx.state.h5 = found.session;
        if (found.slid) setCookie(ctx, token, opts);
      }
    }
    await next();
  };
}

/**
 * Starts a new session for the request (ending the one it had: a new token at every login,
 * so a planted cookie never becomes a logged-in one) and sets the cookie.
 */
export async function startH5Session(
  ctx: Context,
  sessions: H5Sessions,
  opts: H5CookieOptions,
  values: { openid: string | null; accountId: number | null },
): Promise<H5Session> {
  const old = (ctx.state as H5State).h5;
  if (old) await sessions.destroy(old.id);
  const { token, session } = await sessions.start(values);
  setCookie(ctx, token, opts);
  (ctx.state as H5State).h5 = session;
  return session;
}

/** Ends the request's session and clears the cookie. */
export async function endH5Session(ctx: Context, sessions: H5Sessions, opts: H5CookieOptions): Promise<void> {
  const old = (ctx.state as H5State).h5;
  if (old) await sessions.destroy(old.id);
  (ctx.state as H5State).h5 = undefined;
  ctx.cookies.set(H5_SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: secureCookie(ctx, opts.alwaysSecure), path: '/', maxAge: 0, overwrite: true });
}

/** httpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure behind https. */
function setCookie(ctx: Context, token: string, opts: H5CookieOptions): void {
  ctx.cookies.set(H5_SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secureCookie(ctx, opts.alwaysSecure), path: '/', maxAge: H5_SESSION_TTL_MS, overwrite: true });
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

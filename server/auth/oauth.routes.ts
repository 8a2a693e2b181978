import { randomBytes, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { accountOfOpenid } from '../accounts/accounts.repo.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { WeChatApiError } from '../wechat/api-errors.js';
import { OAuthStates } from './oauth-state.js';
import { startH5Session, type H5CookieOptions, type H5Sessions } from './h5-session.js';
import { secureCookie } from '../http/secure-cookie.js';
import type { H5State } from '../accounts/h5-state.js';
import { ownOrigin } from './origin-check.js';
import { retryPage } from './retry-page.js';
import { safeReturnPath } from './return-path.js';

export const STATE_COOKIE = 'h5_oauth_state';
const STATE_TTL_MS = 10 * 60 * 1000;

export const RETRY = {
  badState: '登录链接已失效或不是在本页面发起的，请重新进入。',
  badCode: '微信授权已过期或已被使用，请重新进入。',
  failed: '暂时无法完成微信登录，请稍后重新进入。',
};

export interface OAuthRoutesDeps {
  db: Db;
  api: Pick<WeChatApi, 'oauthExchange'>;
  sessions: H5Sessions;
  cookie: H5CookieOptions;
  appId: string;
  /** The OAuth pages' base (WECHAT_OAUTH_BASE), or, for the simulator, one built from our own origin. */
  oauthBase: string | ((origin: string) => string);
  /** PUBLIC_BASE_URL; without it, the request's origin. */
  publicBaseUrl?: string;
  logger: Logger;
}

/**
 * OAuth silent login (snsapi_base; DESIGN.md §3 "OAuth", common/h5-api.ts):
 *   GET /auth/wechat?to=  → WeChat's authorize page with a random state, also kept in an
 *                           httpOnly cookie (the state ties the callback to this browser: CSRF)
 *                           and on the server (single use: oauth-state.ts);
 *   GET /auth/wechat/callback?code&state → checks and consumes the state, exchanges the code for the openid,
 *                           starts a session (with the bound account, if any) → `to`;
 *   GET /auth/wechat/bind → the same login, ending on 个人中心 (the short link of chat messages).
 * Every failure of the callback is a Chinese retry page (400), never a 500.
 */
export function oauthRoutes(deps: OAuthRoutesDeps): Router<H5State> {
  const router = new Router<H5State>({ prefix: '/auth/wechat' });
  // Without PUBLIC_BASE_URL, the request's own origin: X-Forwarded-Host and -Proto count only
  // behind a trusted proxy (TRUST_PROXY; Koa ignores them when app.proxy is off).
  const base = (ctx: Context) => deps.publicBaseUrl ?? ownOrigin(ctx);
  const states = new OAuthStates(deps.db, STATE_TTL_MS);

  router.get('/', async (ctx) => {
    const to = safeReturnPath(ctx.query.to);
    ctx.set('cache-control', 'no-store');
    // Always through WeChat, even when this browser already has a session: the silent login is
    // invisible and quick, and it names the WeChat user who tapped now (on the simulator's phone
    // page several users share one browser; a stale session would show another user's page).
    const state = randomBytes(16).toString('base64url');
    await states.issue(state);
    ctx.cookies.set(STATE_COOKIE, `${state}.${Buffer.from(to).toString('base64url')}`, {
      httpOnly: true,
      // Lax: the callback is a top-level GET navigation coming back from WeChat's domain.
      sameSite: 'lax',
      secure: secureCookie(ctx, deps.cookie.alwaysSecure),
      path: '/auth/wechat',
      maxAge: STATE_TTL_MS,
      overwrite: true,
    });
    const oauthBase = typeof deps.oauthBase === 'function' ? deps.oauthBase(base(ctx)) : deps.oauthBase;
    ctx.redirect(authorizeUrl(oauthBase, deps.appId, `${base(ctx)}/auth/wechat/callback`, state));
  });

  router.get('/callback', async (ctx) => {
    ctx.set('cache-control', 'no-store');
    const [cookieState, encodedTo] = (ctx.cookies.get(STATE_COOKIE) ?? '').split('.');
    const to = safeReturnPath(encodedTo ? Buffer.from(encodedTo, 'base64url').toString() : undefined);
    const retry = (message: string) => {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = retryPage(message, `/auth/wechat?${new URLSearchParams({ to })}`);
    };
    ctx.cookies.set(STATE_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: secureCookie(ctx, deps.cookie.alwaysSecure), path: '/auth/wechat', maxAge: 0, overwrite: true });
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    if (!cookieState || !sameString(state, cookieState) || !(await states.consume(state))) return retry(RETRY.badState);
    if (!code) return retry(RETRY.badCode);
    try {
      const { openid } = await deps.api.oauthExchange(code);
      const accountId = await accountOfOpenid(deps.db, openid);
      await startH5Session(ctx, deps.sessions, deps.cookie, { openid, accountId });
      ctx.redirect(to);
    } catch (err) {
      if (err instanceof WeChatApiError && (err.errcode === 40029 || err.errcode === 40163)) {
        deps.logger.info({ errcode: err.errcode }, 'oauth code refused');
        return retry(RETRY.badCode);
      }
      deps.logger.warn({ err: (err as Error).message }, 'oauth login failed');
      return retry(RETRY.failed);
    }
  });

  // The short link that chat messages carry to bind an account: "/auth/wechat/bind" reads
  // better in a WeChat bubble than the URL-encoded destination it stands for.
  router.get('/bind', (ctx) => {
    ctx.set('cache-control', 'no-store');
    ctx.redirect(`/auth/wechat?to=${encodeURIComponent(BIND_DESTINATION)}`);
  });

  return router;
}

/** Where the bind link ends: 个人中心, through the login / register page for an unbound user. */
export const BIND_DESTINATION = '/h5/#/home/profile';

/** https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html */
export function authorizeUrl(oauthBase: string, appId: string, redirectUri: string, state: string): string {
  const q = new URLSearchParams({ appid: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state });
  return `${oauthBase}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

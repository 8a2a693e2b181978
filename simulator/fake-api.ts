import Router from '@koa/router';
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { apiError } from './api-errors.js';
import type { FakePlatform } from './fake-platform.js';
import { stringifyWithBigInts } from './json.js';

/**
 * The fake api.weixin.qq.com / open.weixin.qq.com routes. Each handler is one call
 * into FakePlatform; this file only deals with HTTP: call counting, injected
 * failures, the access_token guard and JSON bodies. Like WeChat, API errors are
 * HTTP 200 with {errcode, errmsg}.
 */
export function createFakeApiRouter(platform: FakePlatform): Router {
  const router = new Router();
  const guarded = [countAndInject(platform), requireAccessToken(platform)];

  router.get('/cgi-bin/token', countAndInject(platform), (ctx) => {
    ctx.body = platform.issueToken(ctx.query);
  });
  // POST only, with a JSON body, like WeChat's.
  router.post('/cgi-bin/stable_token', countAndInject(platform), async (ctx) => {
    ctx.body = platform.issueStableToken(await jsonBody(ctx));
  });
  router.post('/cgi-bin/message/custom/send', ...guarded, async (ctx) => {
    ctx.body = platform.sendCustom(await jsonBody(ctx));
  });
  router.post('/cgi-bin/message/custom/typing', ...guarded, async (ctx) => {
    ctx.body = platform.typing(await jsonBody(ctx));
  });
  router.post('/cgi-bin/menu/create', ...guarded, async (ctx) => {
    ctx.body = platform.createMenu(await jsonBody(ctx));
  });
  router.get('/cgi-bin/menu/get', ...guarded, (ctx) => {
    ctx.body = platform.getMenu();
  });
  router.get('/cgi-bin/menu/delete', ...guarded, (ctx) => {
    ctx.body = platform.deleteMenu();
  });
  router.get('/cgi-bin/user/info', ...guarded, (ctx) => {
    ctx.body = platform.userInfo(ctx.query);
  });
  router.post('/cgi-bin/message/template/send', ...guarded, async (ctx) => {
    // The msgid is a bigint: written as a bare integer, which Koa's JSON.stringify cannot do.
    ctx.type = 'application/json';
    ctx.body = stringifyWithBigInts(platform.sendTemplate(await jsonBody(ctx)));
  });
  router.get('/sns/oauth2/access_token', countAndInject(platform), (ctx) => {
    ctx.body = platform.exchangeOAuthCode(ctx.query);
  });
  router.get('/connect/oauth2/authorize', countAndInject(platform), (ctx) => {
    const outcome = platform.authorize(ctx.query, ctx.cookies.get('sim_openid'));
    if (outcome.kind === 'redirect') return ctx.redirect(outcome.location);
    ctx.type = 'html';
    if (outcome.kind === 'error') {
      ctx.status = 400;
      ctx.body = page('授权失败', `<p class="err">${escapeHtml(outcome.message)}</p>`);
      return;
    }
    const links = outcome.users
      .map((u) => {
        const q = new URLSearchParams(ctx.querystring);
        q.set('openid', u.openid);
        return `<li><a href="?${escapeHtml(q.toString())}">${escapeHtml(u.nickname)}</a></li>`;
      })
      .join('');
    ctx.body = page('选择微信用户', `<p>模拟器：请选择以哪个微信用户的身份打开此页面。</p><ul>${links}</ul>`);
  });
  return router;
}

/** The access_token guard of every protected endpoint: 41001, 40001 or 42001. */
function requireAccessToken(platform: FakePlatform) {
  return async (ctx: Context, next: Next) => {
    const errcode = platform.checkAccessToken(typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined);
    if (errcode !== 0) {
      ctx.body = apiError(errcode);
      return;
    }
    await next();
  };
}

/** Counts calls per path and plays failures queued with platform.failNext(). */
function countAndInject(platform: FakePlatform) {
  return async (ctx: Context, next: Next) => {
    platform.stats.calls[ctx.path] = (platform.stats.calls[ctx.path] ?? 0) + 1;
    const failure = platform.takeInjectedFailure(ctx.path);
    if (failure && 'httpStatus' in failure) {
      ctx.status = failure.httpStatus;
      ctx.body = `simulated failure ${failure.httpStatus}`;
      return;
    }
    if (failure) {
      ctx.body = apiError(failure.errcode);
      return;
    }
    await next();
  };
}

/** The JSON body, undefined when empty; an unparsable body answers 47001 like WeChat. */
async function jsonBody(ctx: Context): Promise<unknown> {
  const text = await getRawBody(ctx.req, { limit: '1mb', encoding: 'utf8' });
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // not a record: the platform answers 47001
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>body{font-family:system-ui,sans-serif;padding:24px;color:#111}.err{color:#c00}li{margin:12px 0}a{color:#576b95;font-size:18px}</style>
</head><body><h3>${title}</h3>${body}</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

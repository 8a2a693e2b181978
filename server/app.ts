import { openApiRoutes } from './http/openapi.js';
import Koa from 'koa';
import Router from '@koa/router';
import mount from 'koa-mount';
import type { Database } from './db/client.js';
import type { PushHandler } from './chat/push-handler.js';
import { staffSession, type StaffState } from './staff/staff-session.js';
import { errorMiddleware } from './http/error-middleware.js';
import { serveStatic } from './http/static.js';
import { securityHeaders } from './http/security-headers.js';
import type { Logger } from './platform/logger.js';
import { fromRoot } from './platform/paths.js';
import { serveConsole } from './staff/console-static.js';
import type { StaffCookieOptions } from './staff/cookie.js';
import type { StaffSessions } from './staff/sessions.js';
import { wechatEdge, type EncryptMode, type WeChatEdgeState } from './wechat/edge.js';
import { memoryReplayGuard, type ReplayGuard } from './wechat/replay-guard.js';
import { h5Session, type H5CookieOptions, type H5Sessions } from './auth/h5-session.js';
import type { H5State } from './accounts/h5-state.js';
import { originCheck } from './auth/origin-check.js';

export interface AppDeps {
  logger: Logger;
  database: Database;
  pushHandler: PushHandler;
  wechat: {
    token: string;
    appId: string;
    aesKey?: string;
    encryptMode?: EncryptMode;
    maxSkewS: number;
    /** Where signed queries are remembered (database or Redis); in memory when not given. */
    replayGuard?: ReplayGuard;
  };
  /** PUBLIC_BASE_URL: an allowed Origin for browser writes besides the request's own. */
  publicBaseUrl?: string;
  /** TRUST_PROXY: how many reverse proxies' X-Forwarded-* headers to believe (0: none, the default). */
  trustProxy?: number;
  /** Extra readiness checks (Redis in server mode). */
  readyChecks?: Array<() => Promise<void>>;
  /** Staff sessions: the session middleware of the console's routes. */
  staff?: { sessions: StaffSessions; cookie?: StaffCookieOptions };
  /** The console's routers of the modules (staff login, knowledge base, desk, admin), in this order; mounted with deps.staff. */
  staffRoutes?: Array<Router<StaffState>>;
  /** The H5 pages' API (common/h5-api.ts). */
  h5?: H5Deps;
  /** The built-in WeChat simulator, mounted at /simulator when no real credentials are configured. */
  simulator?: Koa;
  now?: () => number;
}

export interface H5Deps {
  sessions: H5Sessions;
  cookie: H5CookieOptions;
  /** PUBLIC_BASE_URL: an allowed Origin besides the request's own. */
  publicBaseUrl?: string;
  /** The /api/h5 and /auth routers of the modules (login and OAuth: server/auth/; profile, applications, service code: server/accounts/). */
  routes: Array<Router<H5State>>;
}

/** The paths that carry the H5 session: the H5 API and the OAuth entry. */
function isH5Path(path: string): boolean {
  return path === '/api/h5' || path.startsWith('/api/h5/') || path === '/auth' || path.startsWith('/auth/');
}

/** Builds the HTTP app. It never listens: server/main.ts and the tests do. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // X-Forwarded-For decides ctx.ip, which every rate limit keys on: believed only when the
  // operator says a proxy is in front, and then only the hops that proxy chain added.
  const hops = deps.trustProxy ?? 0;
  app.proxy = hops > 0;
  if (hops > 0) app.maxIpsCount = hops;
  app.silent = true; // errors are logged once, by errorMiddleware
  app.use(errorMiddleware(deps.logger));
  // WeChat's pushes get XML, not a page: they skip the browser headers (and their cost).
  const headers = securityHeaders({ https: !!(deps.publicBaseUrl ?? deps.h5?.publicBaseUrl)?.startsWith('https://') });
  app.use((ctx, next) => (ctx.path === '/wechat' ? next() : headers(ctx, next)));
  // Foreign-origin writes are refused before any session is read (server/auth/origin-check.ts):
  // the staff console's and the H5's cookies alike. WeChat's pushes are signed, not browser requests.
  const origin = originCheck({ publicBaseUrl: deps.publicBaseUrl ?? deps.h5?.publicBaseUrl });
  app.use((ctx, next) => (ctx.path === '/wechat' ? next() : origin(ctx, next)));
  // Reads the staff cookie only when one is sent: WeChat pushes pay nothing for it.
  if (deps.staff) app.use(staffSession(deps.staff.sessions, deps.staff.cookie));
  if (deps.h5) {
    const session = h5Session(deps.h5.sessions, deps.h5.cookie);
    app.use((ctx, next) => (isH5Path(ctx.path) ? session(ctx, next) : next()));
  }

  const router = new Router<WeChatEdgeState>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await deps.database.ping();
      for (const check of deps.readyChecks ?? []) await check();
      ctx.body = { status: 'ready', storage: deps.database.kind };
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'not ready');
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
  });

  const edge = wechatEdge({ ...deps.wechat, replayGuard: deps.wechat.replayGuard ?? memoryReplayGuard(deps.now), now: deps.now, logger: deps.logger });
  router.all('/wechat', edge, async (ctx) => {
    const push = ctx.state.wechat;
    push.reply(await deps.pushHandler.handle(push.inbound));
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  // Each router types its own ctx.state (staff, H5); the app's state is their union.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const apis: Array<Router<any>> = [
    openApiRoutes(),
    ...(deps.staff ? (deps.staffRoutes ?? []) : []),
    ...(deps.h5?.routes ?? []),
  ];
  // The desk WebSocket (server/desk/desk.ws.ts, WS /api/desk/ws) attaches to the HTTP server's
  // 'upgrade' in server/runtime.ts, not to this Koa app.
  for (const r of apis) {
    app.use(r.routes());
    app.use(r.allowedMethods());
  }
  app.use(serveConsole());
  app.use(serveStatic('/h5', fromRoot('h5', 'dist'), { spa: true }));
  if (deps.simulator) app.use(mount('/simulator', deps.simulator));
  app.use(async (ctx, next) => {
    if (ctx.path !== '/') return next();
    ctx.redirect(deps.simulator ? '/simulator/' : '/h5/');
  });
  return app;
}

import Koa from 'koa';
import type { Context, Next } from 'koa';
import { isValidAesKey } from './aes.js';
import { createFakeApiRouter } from './fake-api.js';
import { FakePlatform } from './fake-platform.js';
import { createPushDriver, type PushDriver } from './push-driver.js';
import { createSseHub } from './sse.js';
import { keepState, readState } from './state-file.js';
import { createUiRouter, uiErrors, type PushMode } from './ui-api.js';

export { FakePlatform } from './fake-platform.js';
export type { PlatformEvent, SimUser, TimelineEntry, Notice, SentTemplate, PlatformStats } from './fake-platform.js';
export { createPushDriver, defaultAccountId } from './push-driver.js';
export type { PushDriver, PushDriverOptions, PushResult, SendOptions, RawRequest, RawResponse } from './push-driver.js';
export type { Push, PushFactory, Scene } from './pushes.js';
export type { PushMode } from './ui-api.js';

/** The subset of a pino logger the simulator uses. */
export interface SimulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export interface SimulatorOptions {
  readonly appId: string;
  readonly appSecret: string;
  readonly token: string;
  readonly aesKey?: string;
  /** where pushes go, e.g. http://127.0.0.1:3000/wechat */
  readonly pushUrl: string;
  /** URL prefix where the simulator is mounted, default ''; e.g. '/simulator' */
  readonly basePath?: string;
  /** ms clock, for tests */
  readonly now?: () => number;
  /** default 5000 */
  readonly retryDelayMs?: number;
  /** how long a push waits for an answer, default 5000 */
  readonly timeoutMs?: number;
  /** default 7200 */
  readonly tokenTtlS?: number;
  /** the first template msgid, default 2^53 + 1 */
  readonly firstTemplateMsgId?: bigint;
  readonly logger?: SimulatorLogger;
  /** the account's display name on the phone page */
  readonly accountName?: string;
  /** the page's push mode when it opens; default 'safe' when aesKey is set, else 'plain' */
  readonly pushMode?: PushMode;
  /** where the users, chats and SMS are kept across restarts; none: they live in memory only */
  readonly stateFile?: string;
}

export interface Simulator {
  /** mountable with koa-mount at basePath, or listen() on its own */
  readonly app: Koa;
  readonly platform: FakePlatform;
  readonly driver: PushDriver;
  /** ends the page's event streams (open tabs would keep an HTTP server from closing) */
  closeStreams(): void;
  /** ends the page's event streams and aborts pushes in flight */
  close(): Promise<void>;
}

/**
 * A local stand-in for the WeChat platform: the fake API (token, custom send, typing,
 * menu, user info, templates, OAuth), a push driver that signs and retries like
 * WeChat, and a phone page to chat as a WeChat user. DESIGN.md §2 "The WeChat simulator".
 */
export function createSimulator(opts: SimulatorOptions): Simulator {
  const basePath = (opts.basePath ?? '').replace(/\/+$/, '');
  const logger = opts.logger;
  const saved = opts.stateFile ? readState(opts.stateFile, (msg) => logger?.warn({}, msg)) : null;
  const platform = new FakePlatform({
    appId: opts.appId,
    appSecret: opts.appSecret,
    basePath,
    seedUsers: saved === null,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.tokenTtlS !== undefined ? { tokenTtlS: opts.tokenTtlS } : {}),
    ...(opts.firstTemplateMsgId !== undefined ? { firstTemplateMsgId: opts.firstTemplateMsgId } : {}),
  });
  if (saved) platform.restore(saved);
  const state = opts.stateFile
    ? keepState(platform, opts.stateFile, (err) => logger?.warn({ err: err.message }, 'simulator state could not be saved'))
    : undefined;
  const driver = createPushDriver({
    pushUrl: opts.pushUrl,
    token: opts.token,
    appId: opts.appId,
    ...(opts.aesKey ? { aesKey: opts.aesKey } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    onPush: (push) => platform.recordPush(push),
    onResult: (push, result) => {
      platform.recordPushResult(push, result);
      const fields = { msgType: push.MsgType, event: push.Event, status: result.status, attempts: result.attempts, problem: result.problem };
      if (result.ok) logger?.debug?.(fields, 'simulator push answered');
      else logger?.warn(fields, 'simulator push failed');
    },
  });
  const sse = createSseHub();
  const defaultMode: PushMode = opts.pushMode ?? (opts.aesKey && isValidAesKey(opts.aesKey) ? 'safe' : 'plain');

  const app = new Koa();
  const api = createFakeApiRouter(platform);
  const ui = createUiRouter({ platform, driver, sse, accountName: opts.accountName ?? '浪潮云ERP服务', defaultMode });
  app.use(stripBasePath(basePath));
  app.use(uiErrors);
  app.use(api.routes());
  app.use(ui.routes());

  return {
    app,
    platform,
    driver,
    closeStreams: () => sse.closeAll(),
    async close() {
      sse.closeAll();
      driver.close();
      state?.flush();
      state?.stop();
    },
  };
}

/**
 * Lets the app serve basePath itself when it listens on its own; under koa-mount the
 * prefix is already gone and this does nothing.
 */
function stripBasePath(basePath: string) {
  return async (ctx: Context, next: Next) => {
    if (!basePath || !(ctx.path === basePath || ctx.path.startsWith(`${basePath}/`))) return next();
    const prev = ctx.path;
    ctx.path = ctx.path.slice(basePath.length) || '/';
    try {
      await next();
    } finally {
      ctx.path = prev;
    }
  };
}

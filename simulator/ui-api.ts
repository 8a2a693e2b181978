import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { z } from 'zod';
import { escapeHtml } from './fake-api.js';
import { isNoticeFor, type FakePlatform, type PlatformEvent, type SimUser } from './fake-platform.js';
import type { Push } from './pushes.js';
import type { PushDriver, PushResult } from './push-driver.js';
import { readPageFile } from './page-files.js';
import type { SseHub } from './sse.js';

/**
 * JSON endpoints of the phone page (under ui/) and the page itself. The page acts
 * as one WeChat user at a time: what it sends goes through the push driver, and what
 * the account sends back reaches it through the platform's timeline (SSE).
 */
export interface UiDeps {
  readonly platform: FakePlatform;
  readonly driver: PushDriver;
  readonly sse: SseHub;
  readonly accountName: string;
  /** the page's push mode when it opens */
  readonly defaultMode: PushMode;
}

export type PushMode = 'plain' | 'compat' | 'safe';

const mode = z.enum(['plain', 'compat', 'safe']).optional();
const openid = z.string().min(1).max(64);
const schemas = {
  addUser: z.object({ nickname: z.string().trim().max(20).optional(), mode }),
  select: z.object({ openid }),
  send: z.object({ openid, text: z.string().min(1).max(2000), mode }),
  click: z.object({ openid, key: z.string().min(1).max(128), mode }),
  view: z.object({ openid, url: z.string().url().max(1024), mode }),
  event: z.object({
    openid,
    event: z.enum(['subscribe', 'unsubscribe', 'scan', 'location']),
    scene: z.string().max(64).optional(),
    mode,
  }),
};

export const SIM_OPENID_COOKIE = 'sim_openid';

export function createUiRouter(deps: UiDeps): Router {
  const { platform, driver } = deps;
  const router = new Router();

  router.get('/', async (ctx) => {
    // Relative URLs in the page need the trailing slash (e.g. /simulator → /simulator/).
    const path = ctx.originalUrl.split('?')[0] ?? '';
    if (!path.endsWith('/')) return ctx.redirect(`${path}/`);
    await servePage(ctx, 'index.html');
  });
  for (const name of ['index.html', 'app.js', 'style.css']) router.get(`/${name}`, (ctx) => servePage(ctx, name));

  router.get('/ui/config', (ctx) => {
    ctx.body = { accountName: deps.accountName, accountId: driver.accountId, canEncrypt: driver.canEncrypt, mode: deps.defaultMode };
  });
  router.get('/ui/users', (ctx) => {
    ctx.body = { users: platform.users().map(userView) };
  });
  router.post('/ui/users', async (ctx) => {
    const body = await parse(ctx, schemas.addUser);
    const user = platform.addUser({ ...(body.nickname ? { nickname: body.nickname } : {}), subscribed: false });
    selectUser(ctx, user.openid);
    ctx.body = { user: userView(user), push: await push(driver.build.subscribe(user.openid), body.mode) };
  });
  router.post('/ui/select', async (ctx) => {
    const body = await parse(ctx, schemas.select);
    selectUser(ctx, knownUser(body.openid).openid);
    ctx.body = { ok: true };
  });
  router.post('/ui/send', async (ctx) => {
    const body = await parse(ctx, schemas.send);
    ctx.body = { push: await push(driver.build.text(knownUser(body.openid).openid, body.text), body.mode) };
  });
  router.post('/ui/click', async (ctx) => {
    const body = await parse(ctx, schemas.click);
    ctx.body = { push: await push(driver.build.click(knownUser(body.openid).openid, body.key), body.mode) };
  });
  router.post('/ui/view', async (ctx) => {
    const body = await parse(ctx, schemas.view);
    const user = knownUser(body.openid);
    // The page opens the URL next; the simulated OAuth reads the current user from this cookie.
    selectUser(ctx, user.openid);
    ctx.body = { url: body.url, push: await push(driver.build.view(user.openid, body.url), body.mode) };
  });
  router.post('/ui/event', async (ctx) => {
    const body = await parse(ctx, schemas.event);
    const known = knownUser(body.openid);
    // WeChat has no second 关注 for a follower, nor 取消关注 for someone who does not follow:
    // pushing one anyway would show a second welcome that no real user can ever get.
    if (body.event === 'subscribe' && known.subscribe === 1) throw new UiError(409, '该用户已关注公众号，无需再次关注');
    if (body.event === 'unsubscribe' && known.subscribe === 0) throw new UiError(409, '该用户尚未关注公众号');
    const user = known.openid;
    const scene = { scene: body.scene || '123', ticket: `gQ${createHash('md5').update(body.scene ?? '123').digest('hex')}` };
    const built: Record<typeof body.event, () => Push> = {
      subscribe: () => driver.build.subscribe(user, body.scene ? scene : undefined),
      unsubscribe: () => driver.build.unsubscribe(user),
      scan: () => driver.build.scan(user, scene),
      location: () => driver.build.locationEvent(user, { latitude: 36.6512, longitude: 117.1201 }),
    };
    ctx.body = { push: await push(built[body.event](), body.mode) };
  });
  router.get('/ui/menu', (ctx) => {
    ctx.body = { button: platform.menu?.button ?? [] };
  });
  router.get('/ui/history', (ctx) => {
    const id = typeof ctx.query.openid === 'string' ? ctx.query.openid : '';
    ctx.body = { entries: platform.timeline(id) };
  });
  router.get('/ui/notices', (ctx) => {
    const openid = typeof ctx.query.openid === 'string' && ctx.query.openid ? ctx.query.openid : undefined;
    ctx.body = { notices: platform.notices(openid) };
  });
  router.get('/ui/events', (ctx) => {
    const only = typeof ctx.query.openid === 'string' && ctx.query.openid ? ctx.query.openid : undefined;
    deps.sse.open(ctx, (client) =>
      platform.onEvent((event: PlatformEvent) => {
        if (event.type === 'timeline' && only && event.entry.openid !== only) return;
        if (event.type === 'typing' && only && event.openid !== only) return;
        if (event.type === 'notice' && only && !isNoticeFor(event.notice, only)) return;
        client.send(event.type, event);
      }),
    );
  });
  router.get('/ui/avatar/:name', (ctx) => {
    const user = platform.user((ctx.params.name ?? '').replace(/\.svg$/, ''));
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'max-age=3600');
    ctx.body = avatarSvg(user?.nickname ?? '?', user?.openid ?? '');
  });
  return router;

  async function push(p: Push, m: PushMode | undefined): Promise<PushSummary> {
    const chosen = m ?? deps.defaultMode;
    if (chosen !== 'plain' && !driver.canEncrypt) throw new UiError(400, '未配置 EncodingAESKey，不能加密推送');
    return summarize(await driver.send(p, { encrypt: chosen !== 'plain', compat: chosen === 'compat' }));
  }

  function knownUser(id: string): SimUser {
    const user = platform.user(id);
    if (!user) throw new UiError(404, '用户不存在');
    return user;
  }
}

export interface PushSummary {
  readonly ok: boolean;
  readonly status: number;
  readonly attempts: number;
  /** Chinese text for the page when the push failed */
  readonly message?: string;
  readonly problem?: string;
}

export function summarize(result: PushResult): PushSummary {
  const base = { ok: result.ok, status: result.status, attempts: result.attempts, ...(result.problem ? { problem: result.problem } : {}) };
  if (result.ok) return base;
  if (result.status === 0) return { ...base, message: `推送失败：服务器无响应（已尝试 ${result.attempts} 次）` };
  if (result.status < 200 || result.status >= 300) return { ...base, message: `推送失败：${result.status}` };
  return { ...base, message: '该公众号暂时无法提供服务' };
}

/** A UI request error, rendered as {error} with its status by uiErrors(). */
export class UiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Renders UiError and bad JSON as {error}; the simulator has no other error renderer when mounted. */
export async function uiErrors(ctx: Context, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof UiError)) throw err;
    ctx.status = err.status;
    ctx.body = { error: err.message };
  }
}

function selectUser(ctx: Context, id: string): void {
  // Readable by the page's own script too, so that it can set it before opening a link.
  ctx.cookies.set(SIM_OPENID_COOKIE, id, { path: '/', httpOnly: false, sameSite: 'lax', overwrite: true });
}

async function parse<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    const text = await getRawBody(ctx.req, { limit: '64kb', encoding: 'utf8' });
    json = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new UiError(400, '请求格式错误');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new UiError(400, `参数错误：${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

async function servePage(ctx: Context, name: string): Promise<void> {
  const file = await readPageFile(name);
  if (!file) return;
  ctx.type = file.type;
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = file.body;
}

function userView(u: SimUser) {
  return { openid: u.openid, nickname: u.nickname, headimgurl: u.headimgurl, subscribe: u.subscribe };
}

function avatarSvg(nickname: string, seed: string): string {
  const hue = createHash('md5').update(seed).digest()[0]! * (360 / 256);
  const letter = escapeHtml(Array.from(nickname)[0] ?? '?');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80"><rect width="80" height="80" rx="8" fill="hsl(${Math.round(hue)},45%,55%)"/><text x="40" y="53" font-size="36" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`;
}

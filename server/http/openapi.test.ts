import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import type { ConversationDetail, DeskEvent, DeskMessage, QueueItem } from '../../common/desk-api.js';
import type {
  AdminApplication, Application, CodeRequest, LoginInput, PasswordChange, PointsPage, Profile, ProfileInput, RankingRow, RegisterInput, ResetInput, ServiceCodeResult, SessionInfo, UserBrief,
} from '../../common/h5-api.js';
import type { Entry, KbStats, Page } from '../../common/kb-api.js';
import type { ApiErrorBody, StaffMe } from '../../common/staff-api.js';
import { ProfileInputSchema as profileInputSchema } from '../../common/h5-schemas.js';
import { accountsModule, type AccountsDeps } from '../accounts/accounts.module.js';
import { loginRoutes, type LoginRoutesDeps } from '../auth/login.routes.js';
import { oauthRoutes, type OAuthRoutesDeps } from '../auth/oauth.routes.js';
import { fromRoot } from '../platform/paths.js';
import type { Logger } from '../platform/logger.js';
import { deskRoutes } from '../desk/desk.routes.js';
import type { DeskService } from '../desk/desk.service.js';
import { kbAdminRoutes, type KbAdminService } from '../kb/kb-admin.routes.js';
import { staffRoutes, type StaffRoutesDeps } from '../staff/staff.routes.js';
import { errorMiddleware } from './error-middleware.js';
import { AppError } from './errors.js';
import { openApiDocument, openApiRoutes } from './openapi.js';

// Walking an untyped JSON document: `any` keeps the checks readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const doc = openApiDocument() as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * The routes a contract's header comment lists: "GET /api/x/:id?q= → …", "POST /api/x/:id/a | /b"
 * (both /a and /b), "WS /api/x" (a GET upgrade), "GET /auth/x?to=" (a browser route).
 * Returned as "get /api/x/{id}".
 */
function routesInHeader(file: string): string[] {
  const source = readFileSync(fromRoot('common', file), 'utf8');
  const header = source.slice(source.indexOf('/**'), source.indexOf('*/'));
  const out: string[] = [];
  for (const line of header.split('\n')) {
    const m = /^\s*\*\s+(GET|POST|PUT|PATCH|DELETE|WS)\s+(\/(?:api|auth)\/[^\s?]+)(?:\?\S*)?((?:\s*\|\s*\/[\w-]+)*)/.exec(line);
    if (!m) continue;
    const method = m[1] === 'WS' ? 'get' : m[1]!.toLowerCase();
    const path = m[2]!.replace(/:(\w+)/g, '{$1}');
    out.push(`${method} ${path}`);
    for (const alt of m[3]!.matchAll(/\/([\w-]+)/g)) out.push(`${method} ${path.replace(/\/[\w-]+$/, `/${alt[1]}`)}`);
  }
  return out;
}

function documented(): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Json)) for (const method of Object.keys(item)) if (METHODS.includes(method)) out.add(`${method} ${path}`);
  return out;
}

/** Every { $ref } anywhere in a value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k === '$ref' && typeof v === 'string') out.push(v);
    else refsIn(v, out);
  }
  return out;
}

/**
 * A small JSON Schema check (the subset the document uses): enough to prove that the schemas
 * describe real contract values, property for property.
 */
function problems(schema: Json, value: unknown, at = '$'): string[] {
  if (schema.$ref) return problems(doc.components.schemas[schema.$ref.split('/').pop()], value, at);
  if (schema.allOf) {
    const merged = schema.allOf.map((s: Json) => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s));
    const props = Object.assign({}, ...merged.map((s: Json) => s.properties ?? {}));
    const required = merged.flatMap((s: Json) => s.required ?? []);
    return problems({ type: 'object', properties: props, required, additionalProperties: false }, value, at);
  }
  if (schema.anyOf) {
    const matches = schema.anyOf.filter((s: Json) => problems(s, value, at).length === 0).length;
    return matches > 0 ? [] : [`${at}: matches none of anyOf`];
  }
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((s: Json) => problems(s, value, at).length === 0).length;
    return matches === 1 ? [] : [`${at}: matches ${matches} of oneOf`];
  }
  if ('const' in schema && value !== schema.const) return [`${at}: not ${schema.const}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  const types: string[] = schema.type === undefined ? [] : [schema.type].flat();
  const typeOf = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types.length > 0 && !types.some((t) => t === typeOf || (t === 'number' && typeOf === 'integer'))) return [`${at}: ${typeOf} is not ${types.join('|')}`];
  if (typeOf === 'array' && schema.items) return (value as unknown[]).flatMap((v, i) => problems(schema.items, v, `${at}[${i}]`));
  if (typeOf === 'object' && schema.properties) {
    const v = value as Json;
    const out = (schema.required ?? []).filter((k: string) => !(k in v)).map((k: string) => `${at}.${k}: missing`);
    for (const [k, sub] of Object.entries(v)) {
      if (schema.properties[k]) out.push(...problems(schema.properties[k], sub, `${at}.${k}`));
      else if (schema.additionalProperties === false) out.push(`${at}.${k}: not in the schema`);
    }
    return out;
  }
  return [];
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** "get /api/x/{id}" for every route a router mounts (HEAD comes with GET). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each router types its own ctx.state
function mountedBy(routers: Array<Router<any>>): string[] {
  return routers.flatMap((r) => r.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`)));
}

/** A service, database or client whose every method throws 418 `reached`: a request that gets 418 passed the router's validation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- it stands in for any dependency
const reached = (): any =>
  new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : () => { throw new AppError(418, 'reached', 'reached the service'); }) });

/** The H5 and admin routers exactly as server/app.ts assembles them (login, OAuth, server/accounts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each router types its own ctx.state
function h5Routers(): { h5: Array<Router<any>>; admin: Array<Router<any>> } {
  const accounts = accountsModule({ db: reached(), api: reached(), logger: reached() } as AccountsDeps);
  return {
    h5: [loginRoutes({ auth: reached(), sessions: reached(), cookie: { alwaysSecure: false } } as LoginRoutesDeps), oauthRoutes({} as OAuthRoutesDeps), ...accounts.h5Routes],
    admin: accounts.adminRoutes,
  };
}

describe('the OpenAPI document', () => {
  it('is an OpenAPI 3.1 document with a title, paths and components', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.securitySchemes.staffSession).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'staff_session' }));
  });

  it('gives every path at least one operation, and every operation responses and declared path parameters', () => {
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      expect(path).toMatch(/^\/(api|auth)\//);
      const ops = Object.entries(item).filter(([m]) => METHODS.includes(m)) as Array<[string, Json]>;
      expect(ops.length, path).toBeGreaterThan(0);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of ops) {
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual(templated.sort());
      }
    }
  });

  it('resolves every $ref to a schema in components.schemas', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
  });

  it('answers /api refusals with ApiErrorBody, and asks for the session cookie wherever a role is needed', () => {
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(item as Json)) {
        for (const [status, res] of Object.entries(op.responses as Json)) {
          if (Number(status) >= 400) expect(res.content['application/json'].schema, `${method} ${path} ${status}`).toEqual(schemaRef('ApiErrorBody'));
        }
        const secured = (op.security ?? []).some((s: Json) => 'staffSession' in s);
        if (secured) expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
        if (op.requestBody || (op.parameters ?? []).length > 0) expect(op.responses['400'], `${method} ${path} 400`).toBeDefined();
      }
    }
    expect(doc.paths['/api/desk/conversations/{id}/accept'].post.responses['409']).toBeDefined();
    expect(doc.paths['/api/staff/session'].post.security).toEqual([]);
  });

  it('asks for the h5_session cookie where the H5 API needs a login, and refuses foreign-origin H5 writes with 403 bad_origin', () => {
    expect(doc.components.securitySchemes.h5Session).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'h5_session' }));
    const h5Ops = Object.entries(doc.paths as Json)
      .filter(([path]) => path.startsWith('/api/h5/'))
      .flatMap(([path, item]) => Object.entries(item as Json).map(([method, op]) => [`${method} ${path}`, method, op] as [string, string, Json]));
    expect(h5Ops.length).toBeGreaterThanOrEqual(14);
    for (const [route, method, op] of h5Ops) {
      const security: Json[] = op.security ?? [];
      expect(security.length, route).toBeGreaterThan(0);
      expect(security.every((s) => Object.keys(s).every((k) => k === 'h5Session')), route).toBe(true);
      const loginRequired = !security.some((s) => Object.keys(s).length === 0);
      expect(op.responses['401'] !== undefined, `${route} 401`).toBe(loginRequired);
      if (method !== 'get') expect(op.responses['403']?.description, `${route} 403`).toMatch(/bad_origin/);
      else expect(op.responses['403'], `${route} 403`).toBeUndefined();
    }
    const h5 = (path: string, method: string) => doc.paths[path][method];
    expect(h5('/api/h5/me', 'get').security).toEqual([{ h5Session: [] }]);
    expect(h5('/api/h5/session', 'get').responses['401']).toBeUndefined();
    expect(Object.keys(h5('/api/h5/login', 'post').responses)).toEqual(expect.arrayContaining(['400', '403', '423', '429']));
    expect(h5('/api/h5/me/password', 'post').responses['423']).toBeDefined();
    expect(h5('/api/h5/codes', 'post').responses['429']).toBeDefined();
    expect(h5('/api/h5/service-code', 'post').responses['429']).toBeDefined();
    expect(h5('/api/h5/me/applications', 'post').responses['409'].description).toMatch(/already_pending/);
    expect(h5('/api/h5/me/applications', 'post').responses['400'].description).toMatch(/already holds/);
    expect(h5('/api/h5/me', 'put').responses['409'].description).toMatch(/taken/);
  });

  it('describes the admin application routes behind the staff cookie, with 404 and 409 already_decided', () => {
    for (const [method, path] of [['get', '/api/admin/applications'], ['post', '/api/admin/applications/{id}/approve'], ['post', '/api/admin/applications/{id}/reject']] as const) {
      const op = doc.paths[path][method];
      expect(op.security, path).toEqual([{ staffSession: [] }]);
      expect(op.description, path).toBe('Roles: admin.');
      expect(op.responses['403'].description, path).toMatch(/forbidden/);
      if (method === 'post') {
        expect(op.responses['404'], path).toBeDefined();
        expect(op.responses['409'].description, path).toMatch(/already_decided/);
      }
    }
    expect(doc.paths['/api/admin/applications/{id}/reject'].post.requestBody.content['application/json'].schema).toEqual(schemaRef('RejectRequest'));
  });

  it('describes the WeChat OAuth routes as browser redirects: 302, and the callback\'s HTML retry page (400)', () => {
    const entry = doc.paths['/auth/wechat'].get;
    const callback = doc.paths['/auth/wechat/callback'].get;
    expect(Object.keys(entry.responses)).toEqual(['302']);
    expect(entry.responses['302'].headers.Location).toBeDefined();
    expect(entry.parameters.map((p: Json) => p.name)).toEqual(['to']);
    expect(Object.keys(callback.responses).sort()).toEqual(['302', '400']);
    expect(Object.keys(callback.responses['400'].content)).toEqual(['text/html']);
    expect(callback.parameters.map((p: Json) => p.name).sort()).toEqual(['code', 'state']);
  });

  it('lists every route in the header comments of common/desk-api.ts and common/kb-api.ts', () => {
    const listed = [...routesInHeader('desk-api.ts'), ...routesInHeader('kb-api.ts')];
    expect(listed.length).toBeGreaterThanOrEqual(36);
    expect(listed).toContain('get /api/desk/ws');
    expect(listed).toContain('post /api/kb/entries/{id}/unpublish');
    const have = documented();
    expect(listed.filter((r) => !have.has(r))).toEqual([]);
  });

  it('lists every route in the header comment of common/h5-api.ts, the OAuth redirects included', () => {
    const listed = routesInHeader('h5-api.ts');
    expect(listed.length).toBeGreaterThanOrEqual(19);
    expect(listed).toContain('get /auth/wechat');
    expect(listed).toContain('get /auth/wechat/callback');
    expect(listed).toContain('post /api/admin/applications/{id}/reject');
    const have = documented();
    expect(listed.filter((r) => !have.has(r))).toEqual([]);
  });

  it('lists every route the H5 and admin-applications routers mount, and the H5 contract lists them too', () => {
    const { h5, admin } = h5Routers();
    const mounted = mountedBy([...h5, ...admin]);
    expect(mounted).toContain('get /auth/wechat');
    expect(mounted).toContain('post /api/h5/me/password');
    expect(mounted).toContain('post /api/admin/applications/{id}/approve');
    const have = documented();
    expect(mounted.filter((r) => !have.has(r))).toEqual([]);
    const listed = new Set(routesInHeader('h5-api.ts'));
    expect(mounted.filter((r) => !listed.has(r))).toEqual([]);
  });

  it('lists every route the staff, knowledge-base and desk routers mount', () => {
    const mounted = mountedBy([staffRoutes({} as StaffRoutesDeps), kbAdminRoutes({} as KbAdminService), deskRoutes({} as DeskService), openApiRoutes()]);
    expect(mounted).toContain('post /api/staff/session');
    expect(mounted).toContain('delete /api/staff/session');
    expect(mounted).toContain('get /api/staff/me');
    expect(mounted).toContain('post /api/desk/conversations/{id}/transfer');
    const have = documented();
    expect(mounted.filter((r) => !have.has(r))).toEqual([]);
  });

  it('describes the WebSocket as a GET upgrade answering 101, with the DeskEvent frames', () => {
    const ws = doc.paths['/api/desk/ws'].get;
    expect(ws.responses['101']).toBeDefined();
    expect(ws.responses['101']['x-websocket-frames'].server).toEqual(schemaRef('DeskEvent'));
  });

  it('has schemas that accept real contract values, property for property', () => {
    const customer = { id: 1, name: '微信用户 ab12', bound: false, vip: false, unitName: null };
    const message: DeskMessage = { id: 5, conversationId: 2, direction: 'out', sender: 'agent', staff: { id: 3, displayName: '小王' }, kind: 'text', content: '您好', delivery: 'held_window', deliveryNote: '客户已超过48小时未互动', possibleDuplicate: false, createdAt: '2024-01-01T00:00:00.000Z' };
    const item: QueueItem = { conversationId: 2, customer, lane: 0, position: 1, queuedAt: '2024-01-01T00:00:00.000Z', lastMessage: null };
    const detail: ConversationDetail = {
      id: 2, status: 'assigned', customer, assignee: { id: 3, displayName: '小王' }, createdAt: '2024-01-01T00:00:00.000Z', queuedAt: null, assignedAt: null,
      closedAt: null, closeReason: null, lastMessage: '您好', lastMessageAt: null, unread: 0, rating: { score: 5, comment: null },
      panel: { customer, account: null, unit: { name: '某单位', serviceCode: 'S1', serviceLevel: null, serviceValidUntil: null }, bindUrl: null, openTickets: [], pastChats: [{ id: 1, createdAt: '2024-01-01T00:00:00.000Z', closedAt: null, agent: null, rating: 4 }], ratings: { count: 1, average: 4 } },
      window: { closesAt: null, secondsLeft: 0, quotaLeft: 5, quotaTotal: 5 },
    };
    const { panel: _panel, window: _window, ...summary } = detail;
    const events: DeskEvent[] = [
      { type: 'hello', seq: 1, staffId: 3, serverTime: '2024-01-01T00:00:00.000Z' },
      { type: 'message', seq: 2, message },
      { type: 'delivery', seq: 3, conversationId: 2, messageId: 5, delivery: 'failed', deliveryNote: '发送失败', possibleDuplicate: false },
      { type: 'queue', seq: 4, items: [item] },
      { type: 'assigned', seq: 5, conversation: summary, note: null },
      { type: 'closed', seq: 6, conversation: summary },
      { type: 'unassigned', seq: 7, conversationId: 2, reason: 'transfer' },
    ];
    const entry: Entry = { id: 1, question: 'q', product: '', module: '', version: '', status: 'draft', hits: 0, thumbsUp: 0, thumbsDown: 0, updatedAt: '2024-01-01T00:00:00.000Z', similarCount: 0, answer: 'a', link: null, similar: [] };
    const stats: KbStats = { questions: 1, hitRate: 0.5, unansweredRate: 0.25, suggestRate: 0.25, topQuestions: [{ text: 'q', count: 1 }], thumbs: [] };
    const me: StaffMe = { id: 1, username: 'a', displayName: 'A', role: 'agent' };
    const error: ApiErrorBody = { error: { code: 'not_yours', message: '没有权限执行此操作' } };
    const cases: Array<[string, unknown]> = [
      ['DeskMessage', message], ['QueueItem', item], ['ConversationDetail', detail], ['ConversationSummary', summary],
      ['Entry', entry], ['KbStats', stats], ['StaffMe', me], ['ApiErrorBody', error],
      ...events.map((e): [string, unknown] => ['DeskEvent', e]),
    ];
    for (const [name, value] of cases) expect(problems(schemaRef(name), value), name).toEqual([]);
    // And they refuse what the contract does not have.
    expect(problems(schemaRef('DeskMessage'), { ...message, extra: 1 })).not.toEqual([]);
    expect(problems(schemaRef('QueueItem'), { ...item, lane: 2 })).not.toEqual([]);
    expect(problems(schemaRef('DeskEvent'), { type: 'hello', seq: 1 })).not.toEqual([]);
  });

  it('has H5 schemas that accept real contract values, property for property', () => {
    const user: UserBrief = { id: 7, username: '13800000000', displayName: '张三', avatarUrl: null, roles: ['customer', 'vip', 'unit_admin'], badges: ['VIP', '管理员'] };
    const session: SessionInfo = { wechat: true, user };
    const profile: Profile = {
      ...user, mobile: '13800000000', email: null, points: 15, wechatBound: true,
      unit: { fullName: '浪潮软件股份有限公司', serviceCode: 'S0001', serviceLevel: '金牌', serviceValidUntil: '2025-12-31' },
    };
    const points: PointsPage = { balance: 15, items: [{ id: 1, reason: 'register', label: '注册', points: 10, createdAt: '2024-01-01T00:00:00.000Z' }], total: 1, page: 1, pageSize: 20 };
    const row: RankingRow = { rank: 1, displayName: '张三', points: 15 };
    const ranking: { items: RankingRow[]; me: RankingRow | null } = { items: [row], me: null };
    const application: Application = { id: 3, kind: 'vip_admin', status: 'rejected', reason: '单位信息不符', createdAt: '2024-01-01T00:00:00.000Z', decidedAt: '2024-01-02T00:00:00.000Z' };
    const adminApplication: AdminApplication = { ...application, user: { id: 7, username: '13800000000', displayName: '张三', unitName: null }, decidedBy: '管理员' };
    const adminPage: Page<AdminApplication> = { items: [adminApplication], total: 1, page: 1, pageSize: 20 };
    const found: ServiceCodeResult = { found: true, fullName: '浪潮软件股份有限公司', serviceCode: 'S0001' };
    const missing: ServiceCodeResult = { found: false, message: '未找到单位全称为“某某”的服务编码。' };
    const cases: Array<[string, unknown]> = [
      ['UserBrief', user], ['SessionInfo', session], ['SessionInfo', { wechat: false, user: null } satisfies SessionInfo], ['Profile', profile], ['Profile', { ...profile, unit: null }],
      ['PointsPage', points], ['RankingRow', row], ['Ranking', ranking], ['Ranking', { items: [], me: row }], ['Application', application],
      ['Application', { ...application, status: 'pending', reason: null, decidedAt: null }], ['ApplicationList', { items: [application] }],
      ['AdminApplication', adminApplication], ['AdminApplicationPage', adminPage], ['ServiceCodeResult', found], ['ServiceCodeResult', missing],
      ['CodeSent', { sent: true, expiresInS: 300, simulated: true }], ['OkResponse', { ok: true }],
      ['ApiErrorBody', { error: { code: 'already_decided', message: '该申请已处理过' } } satisfies ApiErrorBody],
    ];
    for (const [name, value] of cases) expect(problems(schemaRef(name), value), name).toEqual([]);
    // And they refuse what the contract does not have.
    expect(problems(schemaRef('Profile'), { ...profile, password: 'x' })).not.toEqual([]);
    expect(problems(schemaRef('Profile'), { ...profile, points: undefined })).not.toEqual([]);
    expect(problems(schemaRef('UserBrief'), { ...user, badges: ['GOLD'] })).not.toEqual([]);
    expect(problems(schemaRef('Application'), { ...application, kind: 'other' })).not.toEqual([]);
    expect(problems(schemaRef('ServiceCodeResult'), { found: true, message: 'x' })).not.toEqual([]);
    expect(problems(schemaRef('SessionInfo'), { wechat: true })).not.toEqual([]);
  });

  /** One valid body per H5/admin request schema: each must satisfy its schema and get through the real router. */
  const bodies: Record<string, unknown> = {
    LoginInput: { account: 'zhangsan', password: 'secret-password' } satisfies LoginInput,
    CodeRequest: { purpose: 'register', channel: 'sms', to: '13800000000' } satisfies CodeRequest,
    RegisterInput: { mobile: '13800000000', code: '123456', password: 'new-password', displayName: '张三', unitFullName: '浪潮软件股份有限公司' } satisfies RegisterInput,
    ResetInput: { channel: 'email', to: 'a@example.com', code: '123456', newPassword: 'new-password' } satisfies ResetInput,
    ProfileInput: { displayName: '张三', email: 'a@example.com', avatarUrl: '/h5/avatar.png' } satisfies ProfileInput,
    PasswordChange: { oldPassword: 'old-password', newPassword: 'new-password' } satisfies PasswordChange,
    ApplyRequest: { kind: 'internal' },
    RejectRequest: { reason: '单位信息不符' },
    ServiceCodeRequest: { fullName: '浪潮软件股份有限公司' },
  };

  it('documents request bodies as the H5 and admin routers validate them: required properties are required, optional ones may go', async () => {
    const { h5, admin } = h5Routers();
    const app = new Koa();
    app.use(errorMiddleware({ error() {} } as unknown as Logger));
    app.use(async (ctx, next) => {
      ctx.state.h5 = { id: 'session', openid: 'openid-1', accountId: 7 };
      ctx.state.staff = { id: 1, username: 'admin', displayName: '管理员', role: 'admin' } satisfies StaffMe;
      await next();
    });
    for (const r of [...h5, ...admin]) app.use(r.routes());
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const withBody = Object.entries(doc.paths as Json)
        .filter(([path]) => path.startsWith('/api/h5/') || path.startsWith('/api/admin/'))
        .flatMap(([path, item]) => Object.entries(item as Json).filter(([, op]) => op.requestBody).map(([method, op]) => ({ path, method, op })));
      expect(withBody.length).toBeGreaterThanOrEqual(9);
      for (const { path, method, op } of withBody) {
        const name: string = op.requestBody.content['application/json'].schema.$ref.split('/').pop();
        const schema = doc.components.schemas[name];
        const body = bodies[name] as Json;
        expect(body, `a sample body for ${name}`).toBeDefined();
        expect(problems(schemaRef(name), body), name).toEqual([]);
        const send = async (value: unknown) => {
          const res = await fetch(`${base}${path.replace(/\{\w+\}/g, '1')}`, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
          return { status: res.status, code: ((await res.json()) as ApiErrorBody).error.code };
        };
        expect(await send(body), `${method} ${path}`).toEqual({ status: 418, code: 'reached' });
        for (const key of Object.keys(schema.properties)) {
          const { [key]: _dropped, ...rest } = body;
          const expected = schema.required.includes(key) ? { status: 400, code: 'invalid_input' } : { status: 418, code: 'reached' };
          expect(await send(rest), `${method} ${path} without ${key}`).toEqual(expected);
        }
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // The profile's optional fields accept what the schema describes: "" and null remove them.
    expect(profileInputSchema.safeParse({ displayName: '张三', email: '', avatarUrl: null }).success).toBe(true);
    expect(problems(schemaRef('ProfileInput'), { displayName: '张三', email: '', avatarUrl: null })).toEqual([]);
  });

  it('is served at GET /api/openapi.json', async () => {
    const app = new Koa();
    app.use(openApiRoutes().routes());
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

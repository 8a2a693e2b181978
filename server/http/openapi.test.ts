import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import type { ConversationDetail, DeskEvent, DeskMessage, QueueItem } from '../../common/desk-api.js';
import type { Entry, KbStats } from '../../common/kb-api.js';
import type { ApiErrorBody, StaffMe } from '../../common/staff-api.js';
import { fromRoot } from '../platform/paths.js';
import { deskRoutes } from '../desk/desk.routes.js';
import type { DeskService } from '../desk/desk.service.js';
import { kbAdminRoutes, type KbAdminService } from '../staff/kb-admin.routes.js';
import { staffRoutes, type StaffRoutesDeps } from '../staff/staff.routes.js';
import { openApiDocument, openApiRoutes } from './openapi.js';

// Walking an untyped JSON document: `any` keeps the checks readable.
type Json = Record<string, any>;
const doc = openApiDocument() as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * The routes a contract's header comment lists: "GET /api/x/:id?q= → …", "POST /api/x/:id/a | /b"
 * (both /a and /b), "WS /api/x" (a GET upgrade). Returned as "get /api/x/{id}".
 */
function routesInHeader(file: string): string[] {
  const source = readFileSync(fromRoot('common', file), 'utf8');
  const header = source.slice(source.indexOf('/**'), source.indexOf('*/'));
  const out: string[] = [];
  for (const line of header.split('\n')) {
    const m = /^\s*\*\s+(GET|POST|PUT|PATCH|DELETE|WS)\s+(\/api\/[^\s?]+)(?:\?\S*)?((?:\s*\|\s*\/[\w-]+)*)/.exec(line);
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
      expect(path).toMatch(/^\/api\//);
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

  it('answers refusals with ApiErrorBody, and asks for the session cookie wherever a role is needed', () => {
    for (const [path, item] of Object.entries(doc.paths as Json)) {
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

  it('lists every route in the header comments of common/desk-api.ts and common/kb-api.ts', () => {
    const listed = [...routesInHeader('desk-api.ts'), ...routesInHeader('kb-api.ts')];
    expect(listed.length).toBeGreaterThanOrEqual(36);
    expect(listed).toContain('get /api/desk/ws');
    expect(listed).toContain('post /api/kb/entries/{id}/unpublish');
    const have = documented();
    expect(listed.filter((r) => !have.has(r))).toEqual([]);
  });

  it('lists every route the staff, knowledge-base and desk routers mount', () => {
    const routers = [staffRoutes({} as StaffRoutesDeps), kbAdminRoutes({} as KbAdminService), deskRoutes({} as DeskService), openApiRoutes()];
    const mounted = routers.flatMap((r) => r.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`)));
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
    const message: DeskMessage = { id: 5, conversationId: 2, direction: 'out', sender: 'agent', staff: { id: 3, displayName: '小王' }, kind: 'text', content: '您好', delivery: 'held_window', deliveryNote: '客户已超过48小时未互动', createdAt: '2024-01-01T00:00:00.000Z' };
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
      { type: 'delivery', seq: 3, conversationId: 2, messageId: 5, delivery: 'failed', deliveryNote: '发送失败' },
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

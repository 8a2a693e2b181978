import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CannedReply } from '../../common/desk-api.js';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { testMode } from '../helpers/mode.js';
import { conversationOf, startDeskServer, StaffClient, type DeskServer } from '../helpers/desk.js';

describe(`the desk API refuses what a caller may not do (${testMode()})`, () => {
  let desk: DeskServer;
  let wang: StaffClient;
  let lili: StaffClient;
  let tech: StaffClient;
  let admin: StaffClient;
  let chat: number;

  beforeAll(async () => {
    desk = await startDeskServer();
    wang = await desk.addStaff('wang', 'agent', '小王', 1);
    lili = await desk.addStaff('lili', 'agent', '小李');
    tech = await desk.addStaff('tech', 'technician', '技术员');
    admin = await desk.addStaff('boss', 'admin', '管理员');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    chat = (await conversationOf(desk.server, openid)).id;
    expect((await wang.post(`/api/desk/conversations/${chat}/accept`)).status).toBe(200);
  });
  afterAll(async () => {
    await desk?.close();
  });

  const routes = (id: number): Array<[string, string, unknown?]> => [
    ['GET', '/api/desk/queue'],
    ['GET', '/api/desk/conversations?mine=1'],
    ['GET', '/api/desk/conversations?q=发票'],
    ['GET', `/api/desk/conversations/${id}`],
    ['GET', `/api/desk/conversations/${id}/messages`],
    ['POST', `/api/desk/conversations/${id}/accept`],
    ['POST', `/api/desk/conversations/${id}/messages`, { text: 'hi' }],
    ['POST', `/api/desk/conversations/${id}/notes`, { text: 'hi' }],
    ['POST', `/api/desk/conversations/${id}/typing`, { typing: true }],
    ['POST', `/api/desk/conversations/${id}/transfer`, { agent: 'lili' }],
    ['POST', `/api/desk/conversations/${id}/close`],
    ['GET', '/api/desk/agents'],
    ['PUT', '/api/desk/me/status', { status: 'online' }],
    ['GET', '/api/desk/canned'],
    ['POST', '/api/desk/canned', { shortcut: 'x', title: 'x', content: 'x' }],
    ['PUT', '/api/desk/canned/1', { shortcut: 'x', title: 'x', content: 'x' }],
    ['DELETE', '/api/desk/canned/1'],
    ['GET', '/api/desk/left-messages'],
    ['POST', '/api/desk/left-messages/1/done'],
  ];

  it('answers 401 not_logged_in on every route without a session', async () => {
    const anonymous = StaffClient.anonymous(desk.server.url);
    for (const [method, path, body] of routes(chat)) {
      const r = await anonymous.request<ApiErrorBody>(method, path, body);
      expect([path, r.status, r.body?.error?.code]).toEqual([path, 401, 'not_logged_in']);
    }
  });

  it('answers 403 forbidden on every route to a technician', async () => {
    for (const [method, path, body] of routes(chat)) {
      const r = await tech.request<ApiErrorBody>(method, path, body);
      expect([path, r.status, r.body?.error?.code]).toEqual([path, 403, 'forbidden']);
    }
  });

  it("guards only the desk's own routes: a technician still reads the knowledge base", async () => {
    expect((await tech.get('/api/staff/me')).status).toBe(200);
    expect((await tech.get('/api/kb/entries')).status).toBe(200);
  });

  it("answers 403 not_yours when an agent acts on another agent's chat", async () => {
    const acts: Array<[string, unknown?]> = [
      [`/api/desk/conversations/${chat}/messages`, { text: '我来回答' }],
      [`/api/desk/conversations/${chat}/notes`, { text: '备注' }],
      [`/api/desk/conversations/${chat}/typing`, { typing: true }],
      [`/api/desk/conversations/${chat}/transfer`, { agent: 'lili' }],
      [`/api/desk/conversations/${chat}/close`],
    ];
    for (const [path, body] of acts) {
      const r = await lili.post<ApiErrorBody>(path, body);
      expect([path, r.status, r.body?.error?.code]).toEqual([path, 403, 'not_yours']);
    }
    expect((await lili.post<ApiErrorBody>(`/api/desk/conversations/${chat}/accept`)).body.error.code).toBe('already_taken');
  });

  it('answers 400 invalid_input for bad input', async () => {
    const bad: Array<[string, string, unknown?]> = [
      ['POST', `/api/desk/conversations/${chat}/messages`, { text: '   ' }],
      ['POST', `/api/desk/conversations/${chat}/messages`, { text: 'x'.repeat(2001) }],
      ['POST', `/api/desk/conversations/${chat}/messages`, '{not json'],
      ['POST', `/api/desk/conversations/${chat}/typing`, { typing: 'yes' }],
      ['POST', `/api/desk/conversations/${chat}/transfer`, {}],
      ['POST', '/api/desk/conversations/abc/close'],
      ['GET', '/api/desk/conversations?pageSize=1000'],
      ['GET', '/api/desk/conversations?status=lost'],
      ['PUT', '/api/desk/me/status', { status: 'sleeping' }],
    ];
    for (const [method, path, body] of bad) {
      const r = await wang.request(method, path, body);
      expect([path, r.status]).toEqual([path, 400]);
    }
    const canned = await admin.post<ApiErrorBody>('/api/desk/canned', { shortcut: 'has space', title: '', content: 'x' });
    expect([canned.status, canned.body.error.code]).toEqual([400, 'invalid_input']);
  });

  it('lets agents read canned replies but only admins write them', async () => {
    const list = await wang.get<{ items: CannedReply[] }>('/api/desk/canned');
    expect(list.body.items.map((c) => c.shortcut)).toEqual(expect.arrayContaining(['hi', 'wait', 'pwd', 'ticket', 'bye']));
    expect((await wang.post('/api/desk/canned', { shortcut: 'new', title: '新', content: '内容' })).status).toBe(403);
    const created = await admin.post<CannedReply>('/api/desk/canned', { shortcut: 'new', title: '新', content: '内容' });
    expect(created.status).toBe(200);
    expect((await admin.post('/api/desk/canned', { shortcut: 'new', title: '重复', content: '内容' })).status).toBe(409);
    expect((await admin.put<CannedReply>(`/api/desk/canned/${created.body.id}`, { shortcut: 'new', title: '改', content: '新内容' })).body.title).toBe('改');
    expect((await admin.del(`/api/desk/canned/${created.body.id}`)).status).toBe(204);
    expect((await admin.del(`/api/desk/canned/${created.body.id}`)).status).toBe(404);
  });

  it('refuses an agent at capacity (409 at_capacity) and a closed chat (409 not_open)', async () => {
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const second = (await conversationOf(desk.server, openid)).id;
    const full = await wang.post<ApiErrorBody>(`/api/desk/conversations/${second}/accept`); // wang's cap is 1
    expect([full.status, full.body.error.code]).toEqual([409, 'at_capacity']);
    expect((await wang.post(`/api/desk/conversations/${chat}/close`)).status).toBe(200);
    for (const path of [`/api/desk/conversations/${chat}/messages`, `/api/desk/conversations/${chat}/close`, `/api/desk/conversations/${chat}/accept`]) {
      const r = await wang.post<ApiErrorBody>(path, { text: '还在吗' });
      expect([path, r.status, r.body.error.code]).toEqual([path, 409, 'not_open']);
    }
    expect((await wang.get('/api/desk/conversations/999999')).status).toBe(404);
    // An admin may act on any chat.
    expect((await admin.post(`/api/desk/conversations/${second}/accept`)).status).toBe(200);
    expect((await admin.post(`/api/desk/conversations/${second}/close`)).status).toBe(200);
  });
});

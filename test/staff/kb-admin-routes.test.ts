import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../common/staff-api.js';
import type { Entry, EntryInput } from '../../common/kb-api.js';
import { kbAdminRoutes } from '../../server/kb/kb-admin.routes.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { TWO_ENTRIES, stubKb } from './kb-stub.js';
import { sessionCookieOf, startStaffApp, type StaffTestApp } from './staff-app.js';

const ENTRY: Entry = { ...TWO_ENTRIES[0]!, answer: '请先检查凭证是否全部过账。', link: null, similar: ['月结失败'] };

/** The /api/kb routes as the console calls them: roles, validation, multipart import. The services are stubbed. */
describe('the knowledge-base API routes', () => {
  let app: StaffTestApp;
  let admin: string;
  let agent: string;
  const kb = stubKb(TWO_ENTRIES, {
    createEntry: async (input: EntryInput) => ({ ...ENTRY, ...input, link: input.link ?? null }),
    importFile: async (file, opts) => ({ imported: file.data.toString('utf8').split('\n').length - 1, rejected: opts.publish ? [] : [{ row: 3, reason: '答案为空' }] }),
    exportXlsx: async () => Buffer.from('PK fake xlsx'),
  });

  beforeAll(async () => {
    app = await startStaffApp(await freshStorageTarget(), [kbAdminRoutes(kb)]);
    await app.accounts.createStaff({ username: 'kb-admin', password: 'admin-pass-1', role: 'admin', displayName: '管理员' });
    await app.accounts.createStaff({ username: 'kb-agent', password: 'agent-pass-1', role: 'agent', displayName: '客服' });
    const login = async (username: string, password: string) =>
      sessionCookieOf(await fetch(`${app.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) }))!;
    admin = await login('kb-admin', 'admin-pass-1');
    agent = await login('kb-agent', 'agent-pass-1');
  });
  afterAll(async () => {
    await app?.close();
  });

  const call = (method: string, path: string, cookie?: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('refuses every route without a session', async () => {
    for (const [method, path] of [['GET', '/api/kb/entries'], ['POST', '/api/kb/entries'], ['GET', '/api/kb/stats'], ['GET', '/api/kb/export']] as const) {
      expect((await call(method, path)).status).toBe(401);
    }
  });

  it('lets an agent search entries but refuses every write and the admin pages with 403', async () => {
    const list = await call('GET', '/api/kb/entries?q=密码&page=2&pageSize=5', agent);
    expect(list.status).toBe(200);
    expect(kb.calls.at(-1)).toEqual({ method: 'listEntries', args: [{ q: '密码', page: 2, pageSize: 5 }] });
    const before = kb.calls.length;
    for (const [method, path] of [
      ['POST', '/api/kb/entries'],
      ['PUT', '/api/kb/entries/1'],
      ['POST', '/api/kb/entries/1/publish'],
      ['DELETE', '/api/kb/entries/1'],
      ['GET', '/api/kb/unanswered'],
      ['POST', '/api/kb/unanswered/1/dismiss'],
      ['GET', '/api/kb/candidates'],
      ['GET', '/api/kb/stats'],
      ['POST', '/api/kb/import'],
      ['GET', '/api/kb/export'],
    ] as const) {
      expect((await call(method, path, agent, method === 'POST' || method === 'PUT' ? {} : undefined)).status, `${method} ${path}`).toBe(403);
    }
    expect(kb.calls.length).toBe(before); // refused before reaching the service
  });

  it('validates an entry before the service sees it, in Chinese', async () => {
    const res = await call('POST', '/api/kb/entries', admin, { question: '', answer: '', similar: [], product: '', module: '', version: '', status: 'live' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiErrorBody;
    expect(error.message).toContain('标准问题不能为空');
    expect(error.message).toContain('答案不能为空');
    expect((await call('GET', '/api/kb/entries/abc', admin)).status).toBe(400);
  });

  it('creates an entry for an admin, with the staff member passed along', async () => {
    const input = { question: '  发票怎么作废 ', similar: ['作废发票'], answer: '在发票管理里选择作废。', link: '', product: 'GS', module: '税务', version: 'V7', status: 'draft' };
    const res = await call('POST', '/api/kb/entries', admin, input);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ question: '发票怎么作废', link: null, module: '税务' });
    const last = kb.calls.at(-1)!;
    expect(last.method).toBe('createEntry');
    expect(last.args[1]).toMatchObject({ username: 'kb-admin', role: 'admin' });
  });

  it('reads an uploaded file from multipart/form-data with the publish flag', async () => {
    const form = new FormData();
    form.append('file', new Blob(['标准问题,相似问题,答案\na,b,c\nd,e,']), '知识库.csv');
    const plain = await fetch(`${app.url}/api/kb/import`, { method: 'POST', headers: { cookie: admin }, body: form });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ imported: 2, rejected: [{ row: 3, reason: '答案为空' }] });
    const last = kb.calls.at(-1)!;
    expect((last.args[0] as { name: string }).name).toBe('知识库.csv');
    expect(last.args[1]).toEqual({ publish: false });

    form.append('publish', '1');
    await fetch(`${app.url}/api/kb/import`, { method: 'POST', headers: { cookie: admin }, body: form });
    expect(kb.calls.at(-1)!.args[1]).toEqual({ publish: true });
  });

  it('refuses an import that is not a spreadsheet or has no file', async () => {
    const form = new FormData();
    form.append('file', new Blob(['MZ']), 'virus.exe');
    const bad = await fetch(`${app.url}/api/kb/import`, { method: 'POST', headers: { cookie: admin }, body: form });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiErrorBody).error.message).toContain('.xlsx');
    expect((await call('POST', '/api/kb/import', admin, {})).status).toBe(400);
  });

  it('exports an .xlsx attachment', async () => {
    const res = await call('GET', '/api/kb/export', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toMatch(/attachment;.*\.xlsx/);
  });
});

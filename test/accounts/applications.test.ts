import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { AdminApplication, Application, Profile } from '../../common/h5-api.js';
import type { Page } from '../../common/kb-api.js';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { DEFAULT_RESULT_TEMPLATE_ID } from '../../server/accounts/applications.service.js';
import { applications } from '../../server/accounts/schema.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { caller, staffLogin, startAccountsApp, type AccountsTestApp } from './accounts-app.js';

/** VIP + administrator and internal-staff applications: the user's side and the console's. */
describe('the applications API', () => {
  let app: AccountsTestApp;
  let call: ReturnType<typeof caller>;
  let admin: string;
  let agent: string;
  let unitId: number;

  beforeAll(async () => {
    app = await startAccountsApp(await freshStorageTarget());
    call = caller(app);
    unitId = await app.createUnit('山东示例科技有限公司', 'SD-0001');
    await app.staff.createStaff({ username: 'app-admin', password: 'admin-pass-1', role: 'admin', displayName: '审核管理员' });
    await app.staff.createStaff({ username: 'app-agent', password: 'agent-pass-1', role: 'agent', displayName: '客服' });
    admin = await staffLogin(app, 'app-admin', 'admin-pass-1');
    agent = await staffLogin(app, 'app-agent', 'agent-pass-1');
  });
  afterAll(async () => {
    await app?.close();
  });

  const apply = async (account: number, kind: string) => call('POST', '/api/h5/me/applications', { account }, { kind });
  const mine = async (account: number) => ((await (await call('GET', '/api/h5/me/applications', { account })).json()) as { items: Application[] }).items;
  const profile = async (account: number) => (await (await call('GET', '/api/h5/me', { account })).json()) as Profile;

  it('files an application and refuses a second pending one of the same kind (409 already_pending)', async () => {
    const user = await app.createAccount('applicant1', { unitId });
    const first = await apply(user, 'vip_admin');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ kind: 'vip_admin', status: 'pending', reason: null, decidedAt: null });
    const again = await apply(user, 'vip_admin');
    expect(again.status).toBe(409);
    expect(((await again.json()) as ApiErrorBody).error).toMatchObject({ code: 'already_pending' });
    expect((await apply(user, 'internal')).status).toBe(200); // the other kind is separate
    expect((await mine(user)).map((a) => [a.kind, a.status])).toEqual([
      ['internal', 'pending'],
      ['vip_admin', 'pending'],
    ]);
  });

  it('keeps one pending application when the user taps twice at once', async () => {
    const user = await app.createAccount('double-tap');
    const statuses = (await Promise.all([apply(user, 'internal'), apply(user, 'internal')])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect(await mine(user)).toHaveLength(1);
  });

  it('refuses an unknown kind and an anonymous caller', async () => {
    const user = await app.createAccount('applicant-bad');
    expect((await apply(user, 'superuser')).status).toBe(400);
    expect((await call('POST', '/api/h5/me/applications', { openid: 'o-anon' }, { kind: 'vip_admin' })).status).toBe(401);
    expect((await call('GET', '/api/h5/me/applications')).status).toBe(401);
  });

  it("shows a user only their own applications", async () => {
    const a = await app.createAccount('owner-a');
    const b = await app.createAccount('owner-b');
    await apply(a, 'internal');
    expect(await mine(b)).toEqual([]);
    expect((await call('GET', `/api/h5/me/applications?accountId=${a}`, { account: b })).status).toBe(200);
    expect(await mine(b)).toEqual([]);
  });

  it('lets only admins list and decide applications: 401 without a session, 403 for an agent or an H5 user', async () => {
    const user = await app.createAccount('guarded');
    const id = ((await (await apply(user, 'internal')).json()) as Application).id;
    for (const [method, path, body] of [
      ['GET', '/api/admin/applications', undefined],
      ['POST', `/api/admin/applications/${id}/approve`, undefined],
      ['POST', `/api/admin/applications/${id}/reject`, { reason: '资料不全' }],
    ] as const) {
      expect((await call(method, path, {}, body)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(method, path, { account: user }, body)).status, `${method} ${path} as the H5 user`).toBe(401);
      expect((await call(method, path, { cookie: agent }, body)).status, `${method} ${path} as an agent`).toBe(403);
    }
    expect((await mine(user))[0]!.status).toBe('pending');
  });

  it('approves a VIP + administrator application: the flags are set, the user sees it and gets a template message', async () => {
    const user = await app.createAccount('to-approve', { unitId, openid: 'o-approve' });
    const id = ((await (await apply(user, 'vip_admin')).json()) as Application).id;

    const listed = (await (await call('GET', '/api/admin/applications?status=pending', { cookie: admin })).json()) as Page<AdminApplication>;
    expect(listed.items.find((a) => a.id === id)).toMatchObject({ kind: 'vip_admin', status: 'pending', user: { id: user, username: 'to-approve', unitName: '山东示例科技有限公司' }, decidedBy: null });

    const res = await call('POST', `/api/admin/applications/${id}/approve`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'approved', decidedBy: '审核管理员' });

    const me = await profile(user);
    expect(me.roles).toEqual(['customer', 'vip', 'unit_admin']);
    expect(me.badges).toEqual(['VIP', '管理员']);
    expect((await mine(user))[0]).toMatchObject({ id, status: 'approved' });
    expect((await mine(user))[0]!.decidedAt).not.toBeNull();

    const sent = app.api.sent.filter((m) => m.openid === 'o-approve');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ templateId: DEFAULT_RESULT_TEMPLATE_ID, url: 'http://h5.test/h5/#/home/profile' });
    expect(sent[0]!.data.keyword2!.value).toBe('已通过');
    expect(sent[0]!.data.first!.value).toContain('VIP');
  });

  it('approves an internal-staff application with the TAD mark', async () => {
    const user = await app.createAccount('to-tad');
    const id = ((await (await apply(user, 'internal')).json()) as Application).id;
    const before = app.api.sent.length;
    expect((await call('POST', `/api/admin/applications/${id}/approve`, { cookie: admin })).status).toBe(200);
    expect((await profile(user)).badges).toEqual(['TAD']);
    // Nothing to send: no WeChat user is bound to this account.
    expect(app.api.sent.length).toBe(before);
    expect((await apply(user, 'internal')).status).toBe(400); // already internal staff
  });

  it('rejects with a reason the user sees, and tells them through WeChat', async () => {
    const user = await app.createAccount('to-reject', { openid: 'o-reject' });
    const id = ((await (await apply(user, 'vip_admin')).json()) as Application).id;
    const noReason = await call('POST', `/api/admin/applications/${id}/reject`, { cookie: admin }, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as ApiErrorBody).error.message).toContain('请填写驳回原因');

    const res = await call('POST', `/api/admin/applications/${id}/reject`, { cookie: admin }, { reason: '未提供单位授权书' });
    expect(await res.json()).toMatchObject({ status: 'rejected', reason: '未提供单位授权书' });
    expect((await mine(user))[0]).toMatchObject({ status: 'rejected', reason: '未提供单位授权书' });
    expect((await profile(user)).roles).toEqual(['customer']);
    const sent = app.api.sent.find((m) => m.openid === 'o-reject');
    expect(sent?.data.keyword2?.value).toBe('未通过');
    expect(sent?.data.remark?.value).toContain('未提供单位授权书');
    // A rejected application may be filed again.
    expect((await apply(user, 'vip_admin')).status).toBe(200);
  });

  it('refuses to decide an application twice (409) and an unknown one (404)', async () => {
    const user = await app.createAccount('decided-once');
    const id = ((await (await apply(user, 'internal')).json()) as Application).id;
    expect((await call('POST', `/api/admin/applications/${id}/reject`, { cookie: admin }, { reason: '不符合条件' })).status).toBe(200);
    const twice = await call('POST', `/api/admin/applications/${id}/approve`, { cookie: admin });
    expect(twice.status).toBe(409);
    expect((await profile(user)).roles).toEqual(['customer']);
    expect((await call('POST', '/api/admin/applications/999999/approve', { cookie: admin })).status).toBe(404);
  });

  it('keeps the decision when the template message fails', async () => {
    const user = await app.createAccount('wechat-down', { openid: 'o-down' });
    const id = ((await (await apply(user, 'vip_admin')).json()) as Application).id;
    app.api.failNext();
    const res = await call('POST', `/api/admin/applications/${id}/approve`, { cookie: admin });
    expect(res.status).toBe(200);
    const [row] = await app.database.db.select().from(applications).where(eq(applications.id, id));
    expect(row!.status).toBe('approved');
    expect((await profile(user)).roles).toContain('vip');
  });

  it('pages and filters the console list', async () => {
    const all = (await (await call('GET', '/api/admin/applications?pageSize=2', { cookie: admin })).json()) as Page<AdminApplication>;
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThan(5);
    const pending = (await (await call('GET', '/api/admin/applications?status=pending&pageSize=100', { cookie: admin })).json()) as Page<AdminApplication>;
    expect(pending.items.every((a) => a.status === 'pending')).toBe(true);
    expect(pending.total).toBe(pending.items.length);
    const times = pending.items.map((a) => a.createdAt);
    expect(times).toEqual([...times].sort()); // oldest waiting first
    expect((await call('GET', '/api/admin/applications?status=lost', { cookie: admin })).status).toBe(400);
  });
});

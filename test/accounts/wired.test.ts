import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application, Profile, ServiceCodeResult } from '../../common/h5-api.js';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { createAccount, bindOpenid } from '../../server/accounts/accounts.repo.js';
import { DEMO_UNITS } from '../../server/accounts/seed.js';
import type { Running } from '../../server/runtime.js';
import { hashPassword } from '../../server/platform/password.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from '../auth/h5-client.js';

/**
 * The accounts module inside the whole server (server/runtime.ts + server/app.ts): the real H5
 * session cookie, the Origin check, the staff console session, WeChat chat and the simulator.
 */
describe(`the accounts module in the running server (${testMode()})`, () => {
  let server: Running;
  let n = 0;

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
  });
  afterAll(async () => {
    await server?.close();
  });

  const loggedIn = async (username: string, openid?: string) => {
    const account = await createAccount(server.database.db, { username, passwordHash: await hashPassword('right-password-1'), displayName: `用户${username}` });
    if (openid) await bindOpenid(server.database.db, openid, account.id);
    const c = new H5Client(server.url);
    const res = await c.post('/api/h5/login', { account: username, password: 'right-password-1' }, { 'x-forwarded-for': `10.7.0.${++n}` });
    expect(res.status).toBe(200);
    return { c, id: account.id };
  };

  it('seeds the demo units in embedded mode with the simulator, and only there', async () => {
    const res = await new H5Client(server.url).post('/api/h5/service-code', { fullName: DEMO_UNITS[0].fullName });
    expect(res.status).toBe(200);
    const body = res.json as ServiceCodeResult;
    if (testMode() === 'pglite') expect(body).toEqual({ found: true, fullName: DEMO_UNITS[0].fullName, serviceCode: DEMO_UNITS[0].serviceCode });
    else expect(body.found).toBe(false); // a PostgreSQL server is never given invented units
  });

  it('serves 个人中心 to the session cookie, and 401 without it', async () => {
    const { c, id } = await loggedIn('wired-me');
    const me = await c.get('/api/h5/me');
    expect(me.status).toBe(200);
    expect((me.json as Profile).id).toBe(id);
    expect((await new H5Client(server.url).get('/api/h5/me')).status).toBe(401);
  });

  it('refuses a profile edit from a foreign origin (403 bad_origin)', async () => {
    const { c } = await loggedIn('wired-origin');
    const res = await c.request<ApiErrorBody>('/api/h5/me', { method: 'PUT', body: { displayName: '黑客' }, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('bad_origin');
  });

  it('takes an application from H5, lets an admin approve it in the console, and tells the user on WeChat', async () => {
    const openid = server.simulator!.platform.addUser().openid;
    const { c } = await loggedIn('wired-apply', openid);
    const applied = await c.post('/api/h5/me/applications', { kind: 'vip_admin' });
    expect(applied.status).toBe(200);
    const { id } = applied.json as Application;

    await new StaffAccounts(server.database.db).createStaff({ username: 'wired-admin', password: 'admin-pass-1', role: 'admin', displayName: '管理员' });
    const login = await fetch(`${server.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wired-admin', password: 'admin-pass-1' }) });
    const cookie = login.headers.getSetCookie().find((s) => s.startsWith('staff_session='))!.split(';')[0]!;
    const approved = await fetch(`${server.url}/api/admin/applications/${id}/approve`, { method: 'POST', headers: { cookie, origin: server.url } });
    expect(approved.status).toBe(200);

    expect(((await c.get('/api/h5/me')).json as Profile).badges).toEqual(['VIP', '管理员']);
    expect(server.simulator!.platform.templates.filter((t) => t.openid === openid)).toHaveLength(1);
  });

  it('answers "服务编码 <全称>" in WeChat chat', async () => {
    const openid = server.simulator!.platform.addUser().openid;
    const name = testMode() === 'pglite' ? DEMO_UNITS[0].fullName : '不存在的单位全称';
    const r = await server.simulator!.driver.send(server.simulator!.driver.build.text(openid, `服务编码 ${name}`));
    expect(r.status).toBe(200);
    const reply = String(r.reply?.Content ?? '');
    if (testMode() === 'pglite') expect(reply).toContain(DEMO_UNITS[0].serviceCode);
    else expect(reply).toContain('400-658-6000');
  });
});

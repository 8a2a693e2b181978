import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The staff console rides on a cookie: a page on another site must not be able to make an
 * admin's browser create, publish or import knowledge entries (CSRF), whatever SameSite does.
 */
describe('the staff API checks where a write comes from', () => {
  let server: Running;
  let cookie: string;
  const entry = { question: '跨站请求能建条目吗', answer: '不能。' };
  const write = (path: string, headers: Record<string, string>, body: unknown = entry) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
    await new StaffAccounts(server.database.db).createStaff({ username: 'origin-admin', password: 'origin-admin-pass', role: 'admin', displayName: '管理员' });
    const res = await fetch(`${server.url}/api/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'origin-admin', password: 'origin-admin-pass' }),
    });
    expect(res.status).toBe(200);
    cookie = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))!.split(';')[0]!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['a foreign Referer without Origin', { referer: 'http://evil.example/page' }],
    ['Sec-Fetch-Site: cross-site', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s with 403 and a reason, and creates nothing', async (_name, headers) => {
    const res = await write('/api/kb/entries', headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_origin' } });
    const list = await fetch(`${server.url}/api/kb/entries?q=${encodeURIComponent('跨站请求')}`, { headers: { cookie } });
    expect(JSON.stringify(await list.json())).not.toContain('跨站请求能建条目吗');
  });

  it('refuses a foreign publish, import and logout too', async () => {
    for (const path of ['/api/kb/entries/1/publish', '/api/kb/import', '/api/desk/me/status']) {
      const res = await write(path, { origin: 'http://evil.example' }, {});
      expect(res.status, path).toBe(403);
    }
    const logout = await fetch(`${server.url}/api/staff/session`, { method: 'DELETE', headers: { cookie, origin: 'http://evil.example' } });
    expect(logout.status).toBe(403);
  });

  it('accepts the console on its own origin', async () => {
    const res = await write('/api/kb/entries', { origin: server.url });
    expect(res.status).toBe(200);
  });
});

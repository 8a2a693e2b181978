import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** Behind an https PUBLIC_BASE_URL the staff cookie is Secure even when the proxy does not send X-Forwarded-Proto. */
describe(`staff cookie behind https (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { env: { PUBLIC_BASE_URL: 'https://kf.example.com' } });
    await new StaffAccounts(server.database.db).createStaff({ username: 'https-admin', password: 'https-admin-pass', role: 'admin', displayName: '管理员' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sets Secure on login and on logout', async () => {
    const res = await fetch(`${server.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'https-admin', password: 'https-admin-pass' }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))!;
    expect(cookie).toMatch(/;\s*secure/i);
    const out = await fetch(`${server.url}/api/staff/session`, { method: 'DELETE', headers: { cookie: cookie.split(';')[0]! } });
    expect(out.headers.getSetCookie().find((c) => c.startsWith('staff_session='))).toMatch(/;\s*secure/i);
  });
});

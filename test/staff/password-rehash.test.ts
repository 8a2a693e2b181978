import { randomBytes, scryptSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../server/accounts/accounts.repo.js';
import { accounts } from '../../server/accounts/schema.js';
import type { Running } from '../../server/runtime.js';
import { staff } from '../../server/staff/schema.js';
import { H5Client } from '../auth/h5-client.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** A hash made with the old cost (N=2^14), as stored before the cost was raised. */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 64, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Passwords hashed at the old scrypt cost still log in, and are rehashed at N=2^17 on that login. */
describe(`password rehash on login (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a staff member with an N=2^14 hash logs in, and the hash becomes N=2^17', async () => {
    await server.database.db.insert(staff).values({ username: 'legacy-agent', passwordHash: legacyHash('legacy-pass-1'), role: 'agent', displayName: '老员工' });
    const res = await fetch(`${server.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'legacy-agent', password: 'legacy-pass-1' }) });
    expect(res.status).toBe(200);
    const [row] = await server.database.db.select().from(staff).where(eq(staff.username, 'legacy-agent'));
    expect(row!.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const again = await fetch(`${server.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'legacy-agent', password: 'legacy-pass-1' }) });
    expect(again.status).toBe(200);
  });

  it('an H5 account with an N=2^14 hash logs in, and the hash becomes N=2^17', async () => {
    const account = await createAccount(server.database.db, { username: 'legacy-user', passwordHash: legacyHash('legacy-pass-2'), displayName: '老用户' });
    const c = new H5Client(server.url);
    expect((await c.post('/api/h5/login', { account: 'legacy-user', password: 'legacy-pass-2' })).status).toBe(200);
    const [row] = await server.database.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await new H5Client(server.url).post('/api/h5/login', { account: 'legacy-user', password: 'legacy-pass-2' })).status).toBe(200);
  });
});

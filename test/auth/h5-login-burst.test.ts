import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { createAccount } from '../../server/accounts/accounts.repo.js';
import type { Running } from '../../server/runtime.js';
import { hashPassword } from '../../server/platform/password.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

/** The H5 login's lockout counts each guess before checking it: a burst gets 5 checks, like a sequence. */
describe(`H5 login under a burst of guesses (${testMode()})`, () => {
  let server: Running;

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { env: { TRUST_PROXY: '1' }, overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
    await createAccount(server.database.db, { username: 'burst-h5', passwordHash: await hashPassword('right-password-1'), displayName: '并发' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses the right password sent 13th among 30 simultaneous logins (423 locked)', async () => {
    const c = new H5Client(server.url);
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => c.post<ApiErrorBody>('/api/h5/login', { account: 'burst-h5', password: i === 12 ? 'right-password-1' : `wrong-password-${i}` }, { 'x-forwarded-for': '10.30.0.1' })),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses[12], `statuses: ${statuses.join(',')}`).toBe(423);
    expect(burst[12]!.json.error.code).toBe('locked');
    expect(statuses.filter((s) => s !== 423).length).toBeLessThanOrEqual(5);
    // Another address is not locked out by these guesses.
    const owner = await new H5Client(server.url).post('/api/h5/login', { account: 'burst-h5', password: 'right-password-1' }, { 'x-forwarded-for': '10.30.0.2' });
    expect(owner.status).toBe(200);
  });
});

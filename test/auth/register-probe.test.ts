import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../server/accounts/accounts.repo.js';
import type { Running } from '../../server/runtime.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

/** Registration does not tell which mobiles are registered: the code is checked first, and the endpoint is limited per IP. */
describe(`registration probing (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { env: { TRUST_PROXY: '1' }, overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
    await createAccount(server.database.db, { username: 'taken-mobile', mobile: '13700000001', passwordHash: 'scrypt$x', displayName: '已注册' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const register = (mobile: string, ip: string) =>
    new H5Client(server.url).post('/api/h5/register', { mobile, code: '123456', password: 'probe-password-1', displayName: '探测' }, { 'x-forwarded-for': ip });

  it('answers a wrong code on a taken mobile exactly as on a free one', async () => {
    const taken = await register('13700000001', '10.40.0.1');
    const free = await register('13700000002', '10.40.0.1');
    expect(taken.status).toBe(400);
    expect({ status: taken.status, body: taken.json }).toEqual({ status: free.status, body: free.json });
  });

  it('answers a register-code request for a taken mobile exactly as for a free one', async () => {
    const ask = (mobile: string) => new H5Client(server.url).post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: mobile }, { 'x-forwarded-for': '10.40.0.9' });
    const taken = await ask('13700000001');
    const free = await ask('13700000003');
    expect(taken.status).toBe(200);
    expect({ status: taken.status, body: taken.json }).toEqual({ status: free.status, body: free.json });
  });

  it('limits registration attempts to 20 per IP per hour', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await register(`1370000${String(1000 + i)}`, '10.40.0.2')).status);
    expect(statuses).toEqual([...Array(20).fill(400), 429]);
    expect((await register('13700009999', '10.40.0.3')).status).toBe(400);
  });
});

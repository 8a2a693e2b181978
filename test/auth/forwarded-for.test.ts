import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceCodeLookups } from '../../server/accounts/schema.js';
import type { Running } from '../../server/runtime.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

/** Every limit keys on ctx.ip: X-Forwarded-For decides it only behind a trusted proxy, and then only its last hop. */
describe(`client address and X-Forwarded-For (${testMode()})`, () => {
  let direct: Running;
  let proxied: Running;
  beforeAll(async () => {
    const prefix = () => ({ h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } });
    direct = await startTestServer(await freshStorageTarget(), { overrides: prefix() });
    proxied = await startTestServer(await freshStorageTarget(), { env: { TRUST_PROXY: '1' }, overrides: prefix() });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  const lookup = (s: Running, xff: string) => new H5Client(s.url).post('/api/h5/service-code', { fullName: '不存在的单位有限公司' }, { 'x-forwarded-for': xff });

  it('TRUST_PROXY off: a rotating X-Forwarded-For does not escape the 服务编码 limit (10 per hour)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await lookup(direct, `198.51.100.${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
  });

  it('TRUST_PROXY off: a rotating X-Forwarded-For does not escape the per-IP code limit (20 per hour)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const to = `139${String(10_000_000 + i).padStart(8, '0')}`;
      statuses.push((await new H5Client(direct.url).post('/api/h5/codes', { purpose: 'reset', channel: 'sms', to }, { 'x-forwarded-for': `203.0.113.${i}` })).status);
    }
    expect(statuses).toEqual([...Array(20).fill(200), 429]);
  });

  it('TRUST_PROXY=1: the last hop is the client; what the client wrote before it is ignored', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await lookup(proxied, `198.51.100.${i}, 10.9.9.9`)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect((await lookup(proxied, '10.9.9.9, 10.8.8.8')).status).toBe(200);
    const audited = await proxied.database.db.select({ ip: serviceCodeLookups.ip }).from(serviceCodeLookups).where(eq(serviceCodeLookups.ip, '10.8.8.8'));
    expect(audited).toHaveLength(1);
  });
});

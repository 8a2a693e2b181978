import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { ServiceCodeResult } from '../../common/h5-api.js';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { serviceCodeLookups } from '../../server/accounts/schema.js';
import { HOTLINE, SERVICE_CODE_LIMIT } from '../../server/accounts/service-code.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { caller, startAccountsApp, type AccountsTestApp } from './accounts-app.js';

const FULL = '浪潮软件股份有限公司示例单位';

/** 服务编码 over HTTP: exact full names only, rate-limited per IP and openid, every lookup audited. */
describe('the service-code lookup API', () => {
  let app: AccountsTestApp;
  let call: ReturnType<typeof caller>;
  let ipSeq = 0;
  const freshIp = () => `10.9.${Math.floor(++ipSeq / 200)}.${ipSeq % 200}`;

  beforeAll(async () => {
    app = await startAccountsApp(await freshStorageTarget());
    call = caller(app);
    await app.createUnit(FULL, 'LC-0001');
    await app.createUnit('山东示例科技有限公司（济南）', 'SD-0002');
    await app.createUnit('ABC示例集团有限公司', 'ABC-0003');
  });
  afterAll(async () => {
    await app?.close();
  });

  const lookup = async (fullName: unknown, who: { ip?: string; openid?: string; account?: number } = {}) => {
    const res = await call('POST', '/api/h5/service-code', { ip: who.ip ?? freshIp(), ...who }, { fullName });
    return { status: res.status, body: (await res.json()) as ServiceCodeResult & Partial<ApiErrorBody> };
  };

  it('finds the code by the exact full name', async () => {
    expect((await lookup(FULL)).body).toEqual({ found: true, fullName: FULL, serviceCode: 'LC-0001' });
  });

  it('finds it with spaces around the name and with full-width letters, brackets and spaces', async () => {
    expect((await lookup(`  ${FULL}\u3000`)).body).toMatchObject({ found: true, serviceCode: 'LC-0001' });
    expect((await lookup('ＡＢＣ示例集团有限公司')).body).toMatchObject({ found: true, serviceCode: 'ABC-0003' });
    // Stored with full-width brackets, typed with half-width ones.
    expect((await lookup('山东示例科技有限公司(济南)')).body).toMatchObject({ found: true, fullName: '山东示例科技有限公司（济南）', serviceCode: 'SD-0002' });
  });

  it.each([
    ['a shortened name', '浪潮软件'],
    ['a prefix', '浪潮软件股份有限公司'],
    ['a longer name', `${FULL}分公司`],
    ['a name with one character changed', '浪潮软件股份有限公司示范单位'],
    ['a wildcard', '%'],
    ['a different case', 'abc示例集团有限公司'],
  ])('misses on %s, and says to check the full name or call the hotline', async (_what, name) => {
    const { status, body } = await lookup(name);
    expect(status).toBe(200);
    expect(body.found).toBe(false);
    if (body.found) return;
    expect(body.message).toContain('全称');
    expect(body.message).toContain(HOTLINE);
    expect(JSON.stringify(body)).not.toMatch(/LC-0001|ABC-0003|SD-0002/);
  });

  it('refuses an empty name', async () => {
    expect((await lookup('   ')).status).toBe(400);
    expect((await lookup(undefined)).status).toBe(400);
  });

  it(`allows ${SERVICE_CODE_LIMIT.limit} lookups an hour per IP, then answers 429 rate_limited with when to retry`, async () => {
    const ip = '10.1.1.1';
    for (let i = 0; i < SERVICE_CODE_LIMIT.limit; i++) expect((await lookup(`单位${i}`, { ip })).status).toBe(200);
    const refused = await lookup(FULL, { ip });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    expect(refused.body.error!.message).toMatch(/查询过于频繁，请\d+分钟后再试/);
    expect((await lookup(FULL, { ip: '10.1.1.2' })).status).toBe(200); // another IP is not affected
  });

  it('limits per openid too, across IPs', async () => {
    const openid = 'o-harvester';
    for (let i = 0; i < SERVICE_CODE_LIMIT.limit; i++) expect((await lookup(`单位${i}`, { openid })).status).toBe(200);
    expect((await lookup(FULL, { openid })).status).toBe(429);
    expect((await lookup(FULL, { openid: 'o-someone-else' })).status).toBe(200);
  });

  it('audits every lookup: openid, account, IP, the normalised name, hit or miss', async () => {
    const account = await app.createAccount('auditor');
    await lookup(`  ${FULL} `, { ip: '10.2.2.2', openid: 'o-audit', account });
    await lookup('浪潮软件', { ip: '10.2.2.2', openid: 'o-audit', account });
    const rows = await app.database.db.select().from(serviceCodeLookups).where(eq(serviceCodeLookups.openid, 'o-audit')).orderBy(serviceCodeLookups.id);
    expect(rows.map((r) => ({ openid: r.openid, accountId: r.accountId, ip: r.ip, fullName: r.fullName, hit: r.hit }))).toEqual([
      { openid: 'o-audit', accountId: account, ip: '10.2.2.2', fullName: FULL, hit: true },
      { openid: 'o-audit', accountId: account, ip: '10.2.2.2', fullName: '浪潮软件', hit: false },
    ]);
    expect(rows.every((r) => r.createdAt instanceof Date)).toBe(true);
  });

  it('does not audit or count a refused lookup', async () => {
    const ip = '10.3.3.3';
    for (let i = 0; i < SERVICE_CODE_LIMIT.limit; i++) await lookup(`单位${i}`, { ip });
    const before = await app.database.db.select().from(serviceCodeLookups).where(eq(serviceCodeLookups.ip, ip));
    expect((await lookup(FULL, { ip })).status).toBe(429);
    const after = await app.database.db.select().from(serviceCodeLookups).where(eq(serviceCodeLookups.ip, ip));
    expect(after.length).toBe(before.length);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../server/db/raw.js';
import type { Running } from '../server/runtime.js';
import { createPushDriver } from '../simulator/index.js';
import { freshStorageTarget, testMode } from './helpers/mode.js';
import { freePort } from './helpers/ports.js';
import { startTestServer } from './helpers/server.js';
import { credentialsEnv, startStandaloneSimulator, type StandaloneSimulator } from './helpers/simulator.js';

/**
 * A signed query vouches for one message only: WeChat's retries (same query, same body) pass,
 * the query with another body is refused, whatever the storage. And the encrypt modes.
 */
describe(`signed queries at /wechat (${testMode()})`, () => {
  let server: Running;

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
  });
  afterAll(async () => {
    await server?.close();
  });

  const driver = () => server.simulator!.driver;
  const newUser = () => server.simulator!.platform.addUser().openid;
  const pushes = async () => Number((await rowsOf<{ n: number }>(server.database.db, sql`SELECT count(*)::int AS n FROM processed_pushes`))[0]!.n);

  it('answers the same signed query with the same body twice, the second like a retry', async () => {
    const openid = newUser();
    const push = driver().encode(driver().build.text(openid, '你好'));
    const first = await driver().sendRaw(push);
    const retry = await driver().sendRaw(push);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toBe(first.body);
    expect(first.body).toContain('<xml>');
  });

  it('refuses the same signed query with another body with 401, and stores nothing of it', async () => {
    const openid = newUser();
    const genuine = driver().encode(driver().build.text(openid, '你好'));
    expect((await driver().sendRaw(genuine)).status).toBe(200);
    const before = await pushes();
    const forged = await Promise.all(
      Array.from({ length: 20 }, () => driver().sendRaw({ query: genuine.query, body: driver().encode(driver().build.text(openid, '#人工')).body })),
    );
    expect(forged.map((r) => r.status)).toEqual(forged.map(() => 401));
    expect(forged[0]!.body).toContain('already used with another body');
    expect(await pushes()).toBe(before);
  });

  it('lets exactly one of many bodies racing under one fresh query through', async () => {
    const openid = newUser();
    const query = driver().encode(driver().build.text(openid, 'x')).query;
    const bodies = Array.from({ length: 12 }, (_, i) => driver().encode(driver().build.text(openid, `第${i}条`)).body);
    const results = await Promise.all(bodies.map((body) => driver().sendRaw({ query, body })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(11);
  });

  it('accepts plain and encrypted pushes in compatible mode, and encrypts the reply to an encrypted one', async () => {
    expect(server.wechat.encryptMode).toBe('compatible');
    const openid = newUser();
    const plain = await driver().send(driver().build.text(openid, '明文'));
    const sealed = await driver().send(driver().build.text(openid, '密文'), { encrypt: true });
    expect([plain.status, sealed.status]).toEqual([200, 200]);
    expect(plain.body).not.toContain('<Encrypt>');
    expect(sealed.body).toContain('<Encrypt>');
    expect(sealed).toMatchObject({ ok: true, encrypted: true });
  });
});

describe(`safe mode at /wechat (${testMode()})`, () => {
  let sim: StandaloneSimulator;
  let server: Running;

  beforeAll(async () => {
    const port = await freePort();
    sim = await startStandaloneSimulator(`http://127.0.0.1:${port}/wechat`);
    server = await startTestServer(await freshStorageTarget(), { env: { ...credentialsEnv(sim), WECHAT_ENCRYPT_MODE: 'safe', PORT: String(port) } });
  });
  afterAll(async () => {
    await server?.close();
    await sim?.stop();
  });

  const driver = () => createPushDriver({ pushUrl: `${server.url}/wechat`, token: sim.credentials.token, appId: sim.credentials.appId, aesKey: sim.credentials.aesKey });

  it('refuses a plain push with 401 and says why', async () => {
    const d = driver();
    const res = await d.sendRaw(d.encode(d.build.text(sim.platform.addUser().openid, '明文')));
    expect(res.status).toBe(401);
    expect(res.body).toContain('safe mode: the push must be encrypted');
    d.close();
  });

  it('accepts an encrypted push and answers it encrypted', async () => {
    const d = driver();
    const r = await d.send(d.build.text(sim.platform.addUser().openid, '你好'), { encrypt: true });
    expect(r).toMatchObject({ ok: true, status: 200, encrypted: true });
    expect(r.body).toContain('<Encrypt>');
    d.close();
  });
});

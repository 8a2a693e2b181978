import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY, STATE_COOKIE } from '../../server/auth/oauth.routes.js';
import type { Running } from '../../server/runtime.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

/** The OAuth state is single-use on the server, and redirect_uri believes X-Forwarded-Host only behind a trusted proxy. */
describe(`OAuth state and redirect_uri (${testMode()})`, () => {
  let server: Running;
  let proxied: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
    proxied = await startTestServer(await freshStorageTarget(), { env: { TRUST_PROXY: '1' }, overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
  });
  afterAll(async () => {
    await server?.close();
    await proxied?.close();
  });

  const wechatBrowser = (s: Running) => {
    const c = new H5Client(s.url);
    c.cookies.set('sim_openid', s.simulator!.platform.addUser().openid);
    return c;
  };

  it('refuses a replayed callback with an already used state, even with a fresh WeChat code', async () => {
    const c = wechatBrowser(server);
    const start = await c.get('/auth/wechat?to=' + encodeURIComponent('/h5/#home'));
    const authorize = start.headers.get('location')!;
    const stateCookie = c.cookies.get(STATE_COOKIE)!;
    const first = await c.follow(authorize);
    expect(first.chain.at(-1)).toBe('/h5/#home');

    // The same state again: a new code from WeChat's page, and the state cookie as it was.
    const again = await c.get(authorize);
    const callback = again.headers.get('location')!;
    expect(new URL(callback).searchParams.get('state')).toBe(new URL(authorize).searchParams.get('state'));
    c.cookies.set(STATE_COOKIE, stateCookie);
    const replay = await c.get(callback);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain(RETRY.badState);
  });

  it('ignores a forged X-Forwarded-Host in redirect_uri when TRUST_PROXY is off', async () => {
    const c = wechatBrowser(server);
    const res = await c.request('/auth/wechat?to=/h5/', { headers: { 'x-forwarded-host': 'evil.example' } });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).not.toContain('evil.example');
    expect(new URL(location).searchParams.get('redirect_uri')).toBe(`${server.url}/auth/wechat/callback`);
  });

  it('uses X-Forwarded-Host and -Proto from a trusted proxy (TRUST_PROXY=1)', async () => {
    const c = wechatBrowser(proxied);
    const res = await c.request('/auth/wechat?to=/h5/', { headers: { 'x-forwarded-host': 'kf.example.com', 'x-forwarded-proto': 'https' } });
    expect(new URL(res.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://kf.example.com/auth/wechat/callback');
  });
});

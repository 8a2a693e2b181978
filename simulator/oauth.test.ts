import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './index.js';
import { listen, manualClock, type Listening } from './test-support.js';

const creds = { appId: 'wx0123456789abcdef', appSecret: 'secret0123456789abcdef0123456789', token: 'simtoken123' };

let sim: Simulator;
let http: Listening;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  sim = createSimulator({ ...creds, pushUrl: 'http://127.0.0.1:9/wechat', now: clock.now, basePath: '/simulator' });
  http = await listen(sim.app);
});
afterEach(async () => {
  await sim.close();
  await http.close();
});

const redirectUri = 'https://desk.example.com/h5/auth/callback?from=menu';

async function authorize(headers: Record<string, string> = {}, extra = ''): Promise<Response> {
  const q = new URLSearchParams({ appid: creds.appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state: 'st4te' });
  return fetch(`${http.url}/simulator/connect/oauth2/authorize?${q}${extra}#wechat_redirect`, { redirect: 'manual', headers });
}

async function codeFor(openid: string): Promise<string> {
  const res = await authorize({ cookie: `sim_openid=${openid}` });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe('https://desk.example.com/h5/auth/callback');
  expect(location.searchParams.get('from')).toBe('menu');
  expect(location.searchParams.get('state')).toBe('st4te');
  return location.searchParams.get('code') ?? '';
}

async function exchange(code: string): Promise<Record<string, unknown>> {
  const q = new URLSearchParams({ appid: creds.appId, secret: creds.appSecret, code, grant_type: 'authorization_code' });
  return (await (await fetch(`${http.url}/simulator/sns/oauth2/access_token?${q}`)).json()) as Record<string, unknown>;
}

describe('OAuth (snsapi_base)', () => {
  it('redirects the cookie\'s user with a code that yields their openid', async () => {
    const openid = sim.platform.users()[1]!.openid;
    const r = await exchange(await codeFor(openid));
    expect(r).toMatchObject({ openid, scope: 'snsapi_base', expires_in: 7200 });
    expect(typeof r.access_token).toBe('string');
    expect(typeof r.refresh_token).toBe('string');
  });

  it('takes the user from the openid query parameter too', async () => {
    const openid = sim.platform.users()[0]!.openid;
    const res = await authorize({}, `&openid=${openid}`);
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    expect((await exchange(code)).openid).toBe(openid);
  });

  it('answers 40163 when a code is used twice', async () => {
    const code = await codeFor(sim.platform.users()[0]!.openid);
    expect((await exchange(code)).errcode).toBeUndefined();
    expect((await exchange(code)).errcode).toBe(40163);
  });

  it('answers 40029 for an unknown code and for a code older than 5 minutes', async () => {
    expect((await exchange('0123456789abcdef0123456789abcdef')).errcode).toBe(40029);
    const code = await codeFor(sim.platform.users()[0]!.openid);
    clock.advance(5 * 60_000);
    expect((await exchange(code)).errcode).toBe(40029);
  });

  it('refuses a wrong secret with 40125', async () => {
    const code = await codeFor(sim.platform.users()[0]!.openid);
    const q = new URLSearchParams({ appid: creds.appId, secret: 'wrong', code, grant_type: 'authorization_code' });
    const r = (await (await fetch(`${http.url}/simulator/sns/oauth2/access_token?${q}`)).json()) as Record<string, unknown>;
    expect(r.errcode).toBe(40125);
  });

  it('asks which user to be when the browser has none', async () => {
    const res = await authorize();
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const u of sim.platform.users()) expect(html).toContain(u.nickname);
  });
});

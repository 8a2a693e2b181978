import { sql } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../common/h5-api.js';
import { createAccount } from '../../server/accounts/accounts.repo.js';
import { customers } from '../../server/db/schema.js';
import { hashPassword } from '../../server/platform/password.js';
import { RETRY } from '../../server/auth/oauth.routes.js';
import type { Running } from '../../server/runtime.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

describe(`WeChat OAuth silent login (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  const sim = () => server.simulator!;
  /** A browser inside WeChat: the simulator's OAuth page knows the user by the sim_openid cookie. */
  const wechatBrowser = (openid = sim().platform.addUser().openid) => {
    const c = new H5Client(server.url);
    c.cookies.set('sim_openid', openid);
    return { c, openid };
  };
  const lastCode = (target: string) => {
    const notice = [...sim().platform.notices()].reverse().find((n) => n.text.includes(target));
    return /验证码 (\d{6})/.exec(notice?.text ?? '')?.[1] ?? '';
  };

  it('goes /auth/wechat → the authorize page (snsapi_base, random state in an httpOnly cookie) → callback → the H5 route with a session', async () => {
    const { c, openid } = wechatBrowser();
    const first = await c.get('/auth/wechat?to=' + encodeURIComponent('/h5/#home/profile'));
    expect(first.status).toBe(302);
    const authorize = new URL(first.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${server.url}/simulator/connect/oauth2/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('snsapi_base');
    expect(authorize.searchParams.get('appid')).toBe(server.wechat.appId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${server.url}/auth/wechat/callback`);
    expect(authorize.hash).toBe('#wechat_redirect');
    const state = authorize.searchParams.get('state')!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const stateCookie = first.headers.getSetCookie().find((s) => s.startsWith('h5_oauth_state='))!;
    expect(stateCookie).toContain(state);
    expect(stateCookie).toMatch(/httponly/i);
    expect(stateCookie).toMatch(/samesite=lax/i);

    const { chain } = await c.follow(first.headers.get('location')!);
    expect(new URL(chain[0]!).pathname).toBe('/auth/wechat/callback');
    expect(chain.at(-1)).toBe('/h5/#home/profile');
    const session = await c.get('/api/h5/session');
    expect(session.json).toEqual({ wechat: true, user: null });
    const [row] = await server.database.db.select().from(customers).where(eq(customers.openid, openid));
    expect(row).toMatchObject({ openid, accountId: null });
  });

  it('uses a different state for each login', async () => {
    const { c } = wechatBrowser();
    const a = new URL((await c.get('/auth/wechat?to=/h5/')).headers.get('location')!).searchParams.get('state');
    const b = new URL((await c.get('/auth/wechat?to=/h5/')).headers.get('location')!).searchParams.get('state');
    expect(a).not.toBe(b);
  });

  it('shows the retry page (400, not 500) for a state that does not match the browser', async () => {
    const { c } = wechatBrowser();
    const start = await c.get('/auth/wechat?to=' + encodeURIComponent('/h5/#home'));
    const sent = await c.get(start.headers.get('location')!);
    const callback = new URL(sent.headers.get('location')!);
    callback.searchParams.set('state', 'forged-state-value');
    const res = await c.get(callback.toString());
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain(RETRY.badState);
    expect(res.text).toContain(`href="/auth/wechat?to=%2Fh5%2F%23home"`);
    const stranger = new H5Client(server.url);
    const noCookie = await stranger.get(`/auth/wechat/callback?code=abc&state=xyz`);
    expect(noCookie.status).toBe(400);
    expect(noCookie.text).toContain('重新进入');
  });

  it('shows the retry page for a reused code (40163) and an unknown code (40029)', async () => {
    const { c } = wechatBrowser();
    const start = await c.get('/auth/wechat?to=/h5/');
    const callback = (await c.get(start.headers.get('location')!)).headers.get('location')!;
    expect((await c.get(callback)).status).toBe(302);
    // A new login in the same browser, replaying the old code with the new state.
    for (const code of [new URL(callback).searchParams.get('code')!, '0123456789abcdef0123456789abcdef']) {
      // Even with a session, the entry goes through WeChat again (it names who tapped now).
      const again = new URL((await c.get('/auth/wechat/?to=/h5/')).headers.get('location') ?? '', server.url);
      expect(again.pathname).toMatch(/\/connect\/oauth2\/authorize$/);
      const fresh = wechatBrowser().c;
      const state = new URL((await fresh.get('/auth/wechat?to=/h5/')).headers.get('location')!).searchParams.get('state')!;
      const res = await fresh.get(`/auth/wechat/callback?code=${code}&state=${state}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain(RETRY.badCode);
      expect(await fresh.get('/api/h5/session').then((r) => r.json)).toEqual({ wechat: false, user: null });
    }
  });

  it('names whoever tapped now when two WeChat users share one browser (the simulator phone page)', async () => {
    const { c } = wechatBrowser();
    await c.follow('/auth/wechat?to=/h5/');
    expect((await c.get('/api/h5/session').then((r) => r.json)) as { wechat: boolean }).toMatchObject({ wechat: true });
    // The phone page switches to another user: same cookies, another sim_openid.
    const other = sim().platform.addUser().openid;
    c.cookies.set('sim_openid', other);
    await c.follow('/auth/wechat?to=/h5/');
    const sessions = await server.database.db.execute(sql`SELECT openid FROM h5_sessions ORDER BY created_at DESC LIMIT 1`);
    expect((sessions as unknown as { rows: Array<{ openid: string }> }).rows[0]?.openid).toBe(other);
  });

  it('refuses open redirects: only a local /h5/ path is a destination', async () => {
    for (const to of ['https://evil.example/h5/', '//evil.example/h5/', '/\\evil.example/h5/', '/h5/../../admin', '/h5/%2F%2Fevil', 'javascript:alert(1)', '/api/h5/me']) {
      const { c } = wechatBrowser();
      const { chain } = await c.follow(`/auth/wechat?to=${encodeURIComponent(to)}`);
      expect(chain.at(-1), to).toBe('/h5/');
      // Again in the same browser, with a session now: still only a local /h5/ path.
      const again = await c.follow(`/auth/wechat?to=${encodeURIComponent(to)}`);
      expect(again.chain.at(-1), to).toBe('/h5/');
    }
  });

  it('logs a bound openid straight in (no form); logging out inside WeChat unbinds it', async () => {
    const { c, openid } = wechatBrowser();
    await c.follow('/auth/wechat?to=/h5/');
    const mobile = `139${String(Date.now()).slice(-8)}`;
    const sent = await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: mobile });
    expect(sent.json).toEqual({ sent: true, expiresInS: 300, simulated: true });
    const code = lastCode(mobile);
    expect(code).toMatch(/^\d{6}$/);
    expect(sim().platform.notices().at(-1)!.text).toContain('【模拟短信】');
    const reg = await c.post<SessionInfo>('/api/h5/register', { mobile, code, password: 'good-password-1', displayName: '张三' });
    expect(reg.status).toBe(200);
    expect(reg.json).toMatchObject({ wechat: true, user: { username: mobile, displayName: '张三', roles: ['customer'], badges: [] } });
    const [row] = await server.database.db.select().from(customers).where(eq(customers.openid, openid));
    expect(row!.accountId).toBe(reg.json.user!.id);

    // Another visit from the same WeChat user, in a new browser: in, with no form.
    const other = wechatBrowser(openid).c;
    await other.follow('/auth/wechat?to=' + encodeURIComponent('/h5/#home/profile'));
    expect((await other.get('/api/h5/session')).json).toMatchObject({ wechat: true, user: { id: reg.json.user!.id } });

    // Logging out inside WeChat unbinds this WeChat user: the next visit shows the form.
    expect((await other.post('/api/h5/logout')).json).toEqual({ ok: true, unboundWechat: true });
    expect((await other.get('/api/h5/session')).json).toEqual({ wechat: false, user: null });
    const [after] = await server.database.db.select().from(customers).where(eq(customers.openid, openid));
    expect(after!.accountId).toBeNull();
    await other.follow('/auth/wechat?to=/h5/');
    expect((await other.get('/api/h5/session')).json).toEqual({ wechat: true, user: null });
  });

  it('binds the openid to an existing account when the WeChat user logs in with a password', async () => {
    const { c, openid } = wechatBrowser();
    await c.follow('/auth/wechat?to=/h5/');
    const account = await createAccount(server.database.db, { username: `bind${Date.now()}`, passwordHash: await hashPassword('bind-password-1'), displayName: '绑定' });
    const res = await c.post('/api/h5/login', { account: account.username, password: 'bind-password-1' });
    expect(res.json).toMatchObject({ wechat: true, user: { id: account.id } });
    const [row] = await server.database.db.select().from(customers).where(eq(customers.openid, openid));
    expect(row!.accountId).toBe(account.id);
  });

  it('sends the custom menu\'s view links through /auth/wechat, and the simulator\'s OAuth works end to end from them', async () => {
    let menu = sim().platform.menu;
    for (let i = 0; i < 100 && !menu; i++) {
      await new Promise((r) => setTimeout(r, 50));
      menu = sim().platform.menu;
    }
    const views = (menu!.button as unknown as Array<{ sub_button?: Array<{ type: string; url?: string; name: string }> }>).flatMap((b) => b.sub_button ?? []).filter((b) => b.type === 'view');
    expect(views.length).toBeGreaterThan(0);
    for (const v of views) expect(v.url).toMatch(/^http:\/\/localhost:\d+\/auth\/wechat\?to=%2Fh5%2F/);
    const profile = views.find((v) => v.name === '个人中心')!;
    const { c } = wechatBrowser();
    const { chain } = await c.follow(profile.url!.replace('localhost', '127.0.0.1'));
    expect(chain.at(-1)).toBe('/h5/#home/profile');
    expect((await c.get<SessionInfo>('/api/h5/session')).json.wechat).toBe(true);
  });

  it('never sends the AppSecret', () => {
    expect(H5Client.seen.join('\n')).not.toContain(server.wechat.appSecret);
  });
});

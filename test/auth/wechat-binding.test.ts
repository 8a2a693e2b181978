import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PasswordChanged, SessionInfo, WechatBinding } from '../../common/h5-api.js';
import { createAccount } from '../../server/accounts/accounts.repo.js';
import type { Running } from '../../server/runtime.js';
import { hashPassword } from '../../server/platform/password.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

/**
 * A WeChat binding made by someone who once knew the password does not survive a password
 * change or reset, and the owner can see and remove bindings in 个人中心.
 */
describe(`WeChat bindings and passwords (${testMode()})`, () => {
  let server: Running;
  let n = 0;
  let hash: string;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { overrides: { h5: { redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
    hash = await hashPassword('old-password-1');
  });
  afterAll(async () => {
    await server?.close();
  });

  const account = async () => {
    const username = `bindme${++n}`;
    const mobile = `1350000${String(1000 + n)}`;
    await createAccount(server.database.db, { username, mobile, passwordHash: hash, displayName: '机主' });
    return { username, mobile };
  };
  /** A browser inside WeChat, after the silent OAuth login. */
  const wechat = async () => {
    const c = new H5Client(server.url);
    const openid = server.simulator!.platform.addUser().openid;
    c.cookies.set('sim_openid', openid);
    await c.follow('/auth/wechat?to=/h5/');
    return { c, openid };
  };
  /** Binds a WeChat browser to the account by logging in with the password. */
  const bound = async (username: string, password = 'old-password-1') => {
    const w = await wechat();
    expect((await w.c.post('/api/h5/login', { account: username, password })).status).toBe(200);
    return w;
  };
  /** Who a fresh silent login of this WeChat user opens. */
  const silentUser = async (openid: string) => {
    const c = new H5Client(server.url);
    c.cookies.set('sim_openid', openid);
    await c.follow('/auth/wechat?to=/h5/');
    return (await c.get<SessionInfo>('/api/h5/session')).json.user?.username ?? null;
  };

  it('a password change unbinds every other WeChat user and says so; the changing one stays bound', async () => {
    const { username } = await account();
    const attacker = await bound(username);
    const owner = await bound(username);
    expect(await silentUser(attacker.openid)).toBe(username);
    const res = await owner.c.post<PasswordChanged>('/api/h5/me/password', { oldPassword: 'old-password-1', newPassword: 'new-password-1' });
    expect(res.status).toBe(200);
    expect(await silentUser(attacker.openid)).toBeNull();
    expect(res.json).toMatchObject({ ok: true, unboundWechat: 1 });
    expect(res.json.message).toContain('已解除其他 1 个微信号的绑定');
    expect((await attacker.c.get<SessionInfo>('/api/h5/session')).json.user).toBeNull();
    expect(await silentUser(owner.openid)).toBe(username);
  });

  it('退出登录 inside WeChat unbinds this WeChat user, so the next menu tap shows the login form; other bindings stay', async () => {
    const { username } = await account();
    const other = await bound(username);
    const me = await bound(username);
    expect(await silentUser(me.openid)).toBe(username);
    const res = await me.c.post('/api/h5/logout', {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, unboundWechat: true });
    expect(await silentUser(me.openid)).toBeNull();
    expect(await silentUser(other.openid)).toBe(username);
  });

  it('a password reset by SMS code unbinds every WeChat user of the account', async () => {
    const { username, mobile } = await account();
    const attacker = await bound(username);
    const c = new H5Client(server.url);
    await c.post('/api/h5/codes', { purpose: 'reset', channel: 'sms', to: mobile });
    const notice = [...server.simulator!.platform.notices()].reverse().find((x) => x.text.includes(mobile));
    const code = /验证码 (\d{6})/.exec(notice?.text ?? '')?.[1] ?? '';
    const res = await c.post<PasswordChanged>('/api/h5/password/reset', { channel: 'sms', to: mobile, code, newPassword: 'new-password-2' });
    expect(res.status).toBe(200);
    expect(await silentUser(attacker.openid)).toBeNull();
    expect(res.json).toMatchObject({ ok: true, unboundWechat: 1 });
    expect(res.json.message).toContain('已解除其他 1 个微信号的绑定');
  });

  it('lists the bindings (masked, with the time and the current one) and removes one by 解除绑定', async () => {
    const { username } = await account();
    const other = await bound(username);
    const me = await bound(username);
    const list = await me.c.get<{ items: WechatBinding[] }>('/api/h5/me/wechat');
    expect(list.status).toBe(200);
    const items = list.json.items;
    expect(items).toHaveLength(2);
    expect(JSON.stringify(items)).not.toContain(other.openid);
    expect(items.find((b) => b.current)!.openid).toBe(`${me.openid.slice(0, 4)}****${me.openid.slice(-4)}`);
    expect(Date.parse(items[0]!.boundAt!)).toBeGreaterThan(Date.now() - 60_000);
    const target = items.find((b) => !b.current)!;

    const foreign = await me.c.request(`/api/h5/me/wechat/${target.id}`, { method: 'DELETE', headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    // Another account cannot remove it.
    const { username: stranger } = await account();
    const strangerClient = (await bound(stranger)).c;
    expect((await strangerClient.request(`/api/h5/me/wechat/${target.id}`, { method: 'DELETE', headers: { origin: server.url } })).status).toBe(404);
    expect(await silentUser(other.openid)).toBe(username);

    const removed = await me.c.request(`/api/h5/me/wechat/${target.id}`, { method: 'DELETE', headers: { origin: server.url } });
    expect(removed.status).toBe(200);
    expect((await me.c.get<{ items: WechatBinding[] }>('/api/h5/me/wechat')).json.items).toHaveLength(1);
    expect(await silentUser(other.openid)).toBeNull();
    expect((await other.c.get<SessionInfo>('/api/h5/session')).json.user).toBeNull();
    expect((await me.c.get<SessionInfo>('/api/h5/session')).json.user!.username).toBe(username);
  });
});

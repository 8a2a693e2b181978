import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PointsPage, SessionInfo } from '../../common/h5-api.js';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { createAccount } from '../../server/accounts/accounts.repo.js';
import { credit, POINT_RULES } from '../../server/accounts/points.js';
import { accounts, units } from '../../server/accounts/schema.js';
import { h5Sessions, verificationCodes } from '../../server/auth/schema.js';
import type { Running } from '../../server/runtime.js';
import { hashPassword } from '../../server/platform/password.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';
import { H5Client } from './h5-client.js';

const MINUTE = 60_000;

describe(`H5 login, registration, codes and passwords (${testMode()})`, () => {
  let server: Running;
  let clock = Date.now();
  let n = 0;
  const codesSeen: string[] = [];
  /** A fresh mobile number and a fresh client IP (the send limits count per number and per IP). */
  const mobile = () => `137${String(1_000_000 + ++n).padStart(8, '0')}`;
  const client = (ip = `10.1.0.${++n}`) => {
    const c = new H5Client(server.url);
    const post = c.post.bind(c);
    c.post = (path, body, headers = {}) => post(path, body, { 'x-forwarded-for': ip, ...headers });
    return c;
  };
  const lastCode = (target: string) => {
    const notice = [...server.simulator!.platform.notices()].reverse().find((x) => x.text.includes(target));
    const code = /验证码 (\d{6})/.exec(notice?.text ?? '')?.[1] ?? '';
    codesSeen.push(code);
    return code;
  };
  const seedAccount = async (over: { username: string; mobile?: string; email?: string; password?: string }) =>
    createAccount(server.database.db, { ...over, passwordHash: await hashPassword(over.password ?? 'right-password-1'), displayName: `用户${over.username}` });
  const register = async (c: H5Client, m = mobile(), password = 'good-password-1') => {
    await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m });
    return c.post('/api/h5/register', { mobile: m, code: lastCode(m), password, displayName: '李四' });
  };

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), { env: { TRUST_PROXY: '1' }, overrides: { h5: { now: () => clock, redisPrefix: `test:${Math.random().toString(36).slice(2)}:` } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('tells a browser without a session to show the login form', async () => {
    const res = await client().get('/api/h5/session');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ wechat: false, user: null });
  });

  it('logs in by user name, mobile or e-mail, with an httpOnly SameSite=Lax cookie', async () => {
    const a = await seedAccount({ username: 'wangwu', mobile: '13600000001', email: 'Wang.Wu@Example.com' });
    await server.database.db.update(accounts).set({ vip: true, internalStaff: true }).where(eq(accounts.id, a.id));
    for (const account of ['wangwu', 'WangWu', '13600000001', 'wang.wu@example.com']) {
      const c = client();
      const res = await c.post('/api/h5/login', { account, password: 'right-password-1' });
      expect(res.status, account).toBe(200);
      expect(res.json).toEqual({
        wechat: false,
        user: { id: a.id, username: 'wangwu', displayName: '用户wangwu', avatarUrl: null, roles: ['customer', 'vip', 'internal'], badges: ['VIP', 'TAD'] },
      });
      const cookie = res.headers.getSetCookie().find((s) => s.startsWith('h5_session='))!;
      expect(cookie).toMatch(/httponly/i);
      expect(cookie).toMatch(/samesite=lax/i);
      expect(cookie).not.toMatch(/;\s*secure/i);
      expect((await c.get<SessionInfo>('/api/h5/session')).json.user!.id).toBe(a.id);
    }
  });

  it('marks the cookie Secure behind https', async () => {
    await seedAccount({ username: 'secure1' });
    const res = await client().post('/api/h5/login', { account: 'secure1', password: 'right-password-1' }, { 'x-forwarded-proto': 'https', origin: server.url.replace('http:', 'https:') });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((s) => s.startsWith('h5_session='))).toMatch(/;\s*secure/i);
  });

  it('refuses a wrong password and an unknown account with the same 400 wrong_password', async () => {
    await seedAccount({ username: 'zhaoliu' });
    for (const [account, password] of [['zhaoliu', 'wrong-password'], ['nobody-here', 'whatever-pass']]) {
      const res = await client().post('/api/h5/login', { account, password });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: { code: 'wrong_password', message: '账号或密码错误' } });
    }
  });

  it('locks the account for an address after 5 failures in 15 minutes with a clear message, even for the right password, and unlocks after', async () => {
    await seedAccount({ username: 'locked1', mobile: '13600000002' });
    const ip = `10.1.9.${++n}`;
    for (let i = 0; i < 5; i++) expect((await client(ip).post('/api/h5/login', { account: i % 2 ? 'locked1' : '13600000002', password: `bad-${i}-password` })).status).toBe(400);
    const res = await client(ip).post<ApiErrorBody>('/api/h5/login', { account: 'locked1', password: 'right-password-1' });
    expect(res.status).toBe(423);
    expect(res.json.error).toEqual({ code: 'locked', message: '登录失败次数过多，账号已锁定，请15分钟后再试' });
    // The guesses do not lock the owner out from another address.
    expect((await client().post('/api/h5/login', { account: 'locked1', password: 'right-password-1' })).status).toBe(200);
    clock += 15 * MINUTE + 1000;
    expect((await client(ip).post('/api/h5/login', { account: 'locked1', password: 'right-password-1' })).status).toBe(200);
  });

  it('registers by mobile and SMS code, credits the registration points once, logs in, and never says to others that a mobile is taken', async () => {
    const c = client();
    const m = mobile();
    const sent = await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m });
    expect(sent.json).toEqual({ sent: true, expiresInS: 300, simulated: true });
    const res = await c.post('/api/h5/register', { mobile: m, code: lastCode(m), password: 'good-password-1', displayName: '李四' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ wechat: false, user: { username: m, displayName: '李四', roles: ['customer'], badges: [] } });
    expect((await c.get<SessionInfo>('/api/h5/session')).json.user!.username).toBe(m);
    // 我的积分 is not empty: one 注册账号 line, and crediting the same event again adds nothing.
    const points = await c.get('/api/h5/me/points');
    expect(points.json).toMatchObject({ balance: POINT_RULES.register.points, total: 1, items: [{ reason: 'register', label: POINT_RULES.register.label, points: POINT_RULES.register.points }] });
    const [account] = await server.database.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.mobile, m));
    expect(await credit(server.database.db, account!.id, 'register', `account:${account!.id}`)).toBe(0);
    expect((await c.get<PointsPage>('/api/h5/me/points')).json.balance).toBe(POINT_RULES.register.points);
    expect((await client().post('/api/h5/login', { account: m, password: 'good-password-1' })).status).toBe(200);
    // Asking for a register code again answers as for any number: only the owner's SMS says it is registered.
    clock += MINUTE + 1000; // one code a minute per number
    const again = await client().post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(sent.json);
    const notice = [...server.simulator!.platform.notices()].reverse().find((x) => x.text.includes(m));
    expect(notice?.text).toContain('该手机号已注册');
    expect(notice?.text).not.toMatch(/验证码 \d{6}/);
    const [row] = await server.database.db.select().from(verificationCodes).where(eq(verificationCodes.target, m));
    expect(row!.codeHash).not.toContain(codesSeen.at(-1)!);
    expect(row!.consumedAt).not.toBeNull();
  });

  it('binds the new account to the unit of that full name, compared as 服务编码 compares it (full-width brackets, spaces), and to no unit for a shortened name', async () => {
    const [unit] = await server.database.db
      .insert(units)
      .values({ fullName: '青岛示例电子有限公司（市南）', serviceCode: 'SC-REG-0001', serviceLevel: null, serviceValidUntil: null })
      .returning({ id: units.id });
    const unitOf = async (unitFullName: string) => {
      const c = client();
      const m = mobile();
      await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m });
      const res = await c.post('/api/h5/register', { mobile: m, code: lastCode(m), password: 'good-password-1', displayName: '赵六', unitFullName });
      expect(res.status).toBe(200);
      const [row] = await server.database.db.select({ unitId: accounts.unitId }).from(accounts).where(eq(accounts.mobile, m));
      return row!.unitId;
    };
    expect(await unitOf('青岛示例电子有限公司（市南）')).toBe(unit!.id);
    expect(await unitOf(' 青岛示例电子有限公司(市南) ')).toBe(unit!.id);
    expect(await unitOf('青岛示例电子')).toBeNull();
  });

  it('refuses an expired code, and a code after 5 wrong attempts', async () => {
    const c = client();
    const m1 = mobile();
    expect((await register(c, m1)).status).toBe(200);
    const m2 = mobile();
    await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m2 });
    const code2 = lastCode(m2);
    clock += 5 * MINUTE;
    const expired = await c.post<ApiErrorBody>('/api/h5/register', { mobile: m2, code: code2, password: 'good-password-1', displayName: '过期' });
    expect(expired.status).toBe(400);
    expect(expired.json.error).toEqual({ code: 'bad_code', message: '验证码错误或已过期' });

    const m3 = mobile();
    await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m3 });
    const code3 = lastCode(m3);
    const wrong = String((Number(code3) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const r = await c.post<ApiErrorBody>('/api/h5/register', { mobile: m3, code: wrong, password: 'good-password-1', displayName: '王' });
      expect(r.json.error.code).toBe('bad_code');
    }
    const late = await c.post<ApiErrorBody>('/api/h5/register', { mobile: m3, code: code3, password: 'good-password-1', displayName: '王' });
    expect(late.status).toBe(400);
    expect(late.json.error).toEqual({ code: 'bad_code', message: '验证码错误次数过多，请重新获取' });
  });

  it('rate-limits codes per number (429 with when to retry) and per IP', async () => {
    const c = client();
    const m = mobile();
    expect((await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m })).status).toBe(200);
    const second = await c.post<ApiErrorBody>('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m });
    expect(second.status).toBe(429);
    expect(second.json.error.code).toBe('rate_limited');
    expect(second.json.error.message).toMatch(/请\d+秒后再试/);
    clock += MINUTE;
    expect((await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: m })).status).toBe(200);

    const ip = client('10.9.9.9');
    for (let i = 0; i < 20; i++) expect((await ip.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: mobile() })).status).toBe(200);
    const over = await ip.post<ApiErrorBody>('/api/h5/codes', { purpose: 'register', channel: 'sms', to: mobile() });
    expect(over.status).toBe(429);
    expect(over.json.error.message).toMatch(/请\d+分钟后再试/);
  });

  it('changes the password with the old one, ending every other session of the account', async () => {
    const a = client();
    const m = mobile();
    expect((await register(a, m)).status).toBe(200);
    const b = client();
    expect((await b.post('/api/h5/login', { account: m, password: 'good-password-1' })).status).toBe(200);
    const wrong = await a.post<ApiErrorBody>('/api/h5/me/password', { oldPassword: 'not-the-password', newPassword: 'new-password-2' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('wrong_password');
    expect((await a.post('/api/h5/me/password', { oldPassword: 'good-password-1', newPassword: 'new-password-2' })).json).toEqual({ ok: true, unboundWechat: 0, message: '密码已修改，其他设备上的登录已退出' });
    expect((await a.get<SessionInfo>('/api/h5/session')).json.user!.username).toBe(m);
    expect((await b.get<SessionInfo>('/api/h5/session')).json.user).toBeNull();
    expect((await client().post('/api/h5/login', { account: m, password: 'good-password-1' })).status).toBe(400);
    expect((await client().post('/api/h5/login', { account: m, password: 'new-password-2' })).status).toBe(200);
    expect((await client().post('/api/h5/me/password', { oldPassword: 'x', newPassword: 'new-password-3' })).status).toBe(401);
  });

  it('resets the password by e-mail code, ending every session of the account', async () => {
    const email = `reset${Date.now()}@example.com`;
    const acc = await seedAccount({ username: `reset${n++}`, email });
    const logged = client();
    expect((await logged.post('/api/h5/login', { account: email, password: 'right-password-1' })).status).toBe(200);
    const c = client();
    expect((await c.post('/api/h5/codes', { purpose: 'reset', channel: 'email', to: email })).json).toMatchObject({ sent: true });
    expect(server.simulator!.platform.notices().at(-1)!.text).toContain('【模拟邮件】');
    const reset = { channel: 'email', to: email, code: lastCode(email), newPassword: 'brand-new-pass' };
    expect((await c.post('/api/h5/password/reset', reset)).json).toEqual({ ok: true, unboundWechat: 0, message: '密码已重置，请重新登录' });
    // A code works once.
    const twice = await c.post<ApiErrorBody>('/api/h5/password/reset', { ...reset, newPassword: 'another-new-pass' });
    expect(twice.json.error).toEqual({ code: 'bad_code', message: '验证码错误或已过期' });
    expect((await logged.get<SessionInfo>('/api/h5/session')).json.user).toBeNull();
    expect(await server.database.db.select().from(h5Sessions).where(eq(h5Sessions.accountId, acc.id))).toEqual([]);
    expect((await client().post('/api/h5/login', { account: email, password: 'brand-new-pass' })).status).toBe(200);
  });

  it('answers a reset request for an unknown address like any other, without sending anything', async () => {
    const before = server.simulator!.platform.notices().length;
    const res = await client().post('/api/h5/codes', { purpose: 'reset', channel: 'sms', to: mobile() });
    expect(res.json).toEqual({ sent: true, expiresInS: 300, simulated: true });
    expect(server.simulator!.platform.notices().length).toBe(before);
  });

  it('refuses state-changing requests from a foreign Origin or Referer with 403 bad_origin', async () => {
    await seedAccount({ username: 'origin1' });
    const body = { account: 'origin1', password: 'right-password-1' };
    for (const headers of <Array<Record<string, string>>>[{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: '', referer: 'https://evil.example/page' }, { origin: server.url, 'sec-fetch-site': 'cross-site' }]) {
      const res = await client().post<ApiErrorBody>('/api/h5/login', body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.json.error.code).toBe('bad_origin');
    }
    expect((await client().post('/api/h5/login', body, { origin: '', referer: `${server.url}/h5/` })).status).toBe(200);
    // No Origin and no Referer: a non-browser client, which carries no victim's cookies.
    expect((await client().post('/api/h5/login', body, { origin: '' })).status).toBe(200);
  });

  it('logs out: the session ends and the cookie is cleared', async () => {
    const c = client();
    await register(c);
    expect((await c.post('/api/h5/logout')).json).toEqual({ ok: true, unboundWechat: false }); // outside WeChat: nothing to unbind
    expect(c.cookies.has('h5_session')).toBe(false);
    expect((await c.get('/api/h5/session')).json).toEqual({ wechat: false, user: null });
  });

  it('never sends a password hash, a code or the AppSecret in any response', async () => {
    const all = H5Client.seen.join('\n');
    expect(all).not.toMatch(/scrypt\$/);
    expect(all).not.toMatch(/password_?hash|codeHash|code_hash/i);
    expect(all).not.toContain(server.wechat.appSecret);
    for (const code of codesSeen.filter(Boolean)) expect(all).not.toMatch(new RegExp(`\\b${code}\\b`));
  });
});

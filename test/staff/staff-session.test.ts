import Router from '@koa/router';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../common/staff-api.js';
import { requireStaff, type StaffState } from '../../server/staff/staff-session.js';
import { staff, staffSessions } from '../../server/staff/schema.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { sessionCookieOf, startStaffApp, type StaffTestApp } from './staff-app.js';

/** A route only admins may use, and one any staff member may use, to exercise the guard. */
function guarded(): Router<StaffState> {
  const r = new Router<StaffState>({ prefix: '/api/test' });
  r.get('/admin-only', requireStaff('admin'), (ctx) => void (ctx.body = { who: ctx.state.staff!.username }));
  r.get('/agents', requireStaff('agent', 'technician'), (ctx) => void (ctx.body = { who: ctx.state.staff!.username }));
  return r;
}

describe('staff accounts and sessions', () => {
  let app: StaffTestApp;
  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    });
  const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { headers: cookie ? { cookie } : {} });

  beforeAll(async () => {
    app = await startStaffApp(await freshStorageTarget(), [guarded()]);
    await app.accounts.createStaff({ username: 'Admin1', password: 'admin-pass-1', role: 'admin', displayName: '管理员' });
    await app.accounts.createStaff({ username: 'agent1', password: 'agent-pass-1', role: 'agent', displayName: '小王', maxConcurrent: 3 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('stores a salted scrypt hash, never the password', async () => {
    const [row] = await app.database.db.select().from(staff).where(eq(staff.username, 'admin1'));
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    expect(row!.passwordHash).not.toContain('admin-pass-1');
    expect(row!.maxConcurrent).toBe(5);
  });

  it('refuses a duplicate username, a short password and a bad role', async () => {
    await expect(app.accounts.createStaff({ username: 'ADMIN1', password: 'another-pass', role: 'admin', displayName: 'x' })).rejects.toThrow('已存在');
    await expect(app.accounts.createStaff({ username: 'newbie', password: 'short', role: 'agent', displayName: 'x' })).rejects.toThrow('密码至少8位');
    await expect(app.accounts.createStaff({ username: 'newbie', password: 'long-enough', role: 'boss' as 'admin', displayName: 'x' })).rejects.toThrow('角色');
    await expect(app.accounts.createStaff({ username: 'a b', password: 'long-enough', role: 'agent', displayName: 'x' })).rejects.toThrow('用户名');
  });

  it('logs in with the right password: the account, and an httpOnly SameSite=Lax cookie', async () => {
    const res = await login('admin1', 'admin-pass-1');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ id: expect.any(Number), username: 'admin1', displayName: '管理员', role: 'admin' });
    expect(JSON.stringify(body)).not.toMatch(/pass|hash/i);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))!;
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=lax/i);
    expect(setCookie).not.toMatch(/secure/i);
  });

  it('stores only the SHA-256 of the session token', async () => {
    const cookie = sessionCookieOf(await login('admin1', 'admin-pass-1'))!;
    const token = cookie.split('=')[1]!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await app.database.db.select().from(staffSessions);
    expect(rows.some((r) => r.id === token)).toBe(false);
    const { createHash } = await import('node:crypto');
    expect(rows.some((r) => r.id === createHash('sha256').update(token).digest('hex'))).toBe(true);
  });

  it('marks the cookie Secure behind a proxy that says X-Forwarded-Proto: https', async () => {
    const res = await login('admin1', 'admin-pass-1', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))).toMatch(/;\s*secure/i);
  });

  it('refuses a wrong password and an unknown user with 401 and the same Chinese message', async () => {
    for (const [u, p] of [['admin1', 'wrong-password'], ['nobody', 'whatever-pass']] as const) {
      const res = await login(u, p);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'bad_credentials', message: '用户名或密码错误' } });
      expect(sessionCookieOf(res)).toBeUndefined();
    }
  });

  it('answers /me for a live session and 401 without one', async () => {
    const cookie = sessionCookieOf(await login('agent1', 'agent-pass-1'))!;
    const me = await get('/api/staff/me', cookie);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'agent1', displayName: '小王', role: 'agent' });
    const anonymous = await get('/api/staff/me');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as ApiErrorBody).error.code).toBe('not_logged_in');
    expect((await get('/api/staff/me', 'staff_session=forged-token-value')).status).toBe(401);
  });

  it('logs out: the session no longer works', async () => {
    const cookie = sessionCookieOf(await login('agent1', 'agent-pass-1'))!;
    expect((await get('/api/staff/me', cookie)).status).toBe(200);
    const out = await fetch(`${app.url}/api/staff/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('staff_session='))).toMatch(/expires=Thu, 01 Jan 1970/i);
    expect((await get('/api/staff/me', cookie)).status).toBe(401);
  });

  it('refuses an expired session', async () => {
    const cookie = sessionCookieOf(await login('agent1', 'agent-pass-1'))!;
    await app.database.db.update(staffSessions).set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await get('/api/staff/me', cookie)).status).toBe(401);
  });

  it('locks a username out after 5 failures in 15 minutes, even with the right password', async () => {
    await app.accounts.createStaff({ username: 'victim', password: 'victim-pass-1', role: 'agent', displayName: '受害者' });
    for (let i = 0; i < 5; i++) expect((await login('victim', `guess-${i}-xx`)).status).toBe(401);
    const locked = await login('victim', 'victim-pass-1');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toEqual({ error: { code: 'too_many_attempts', message: '登录失败次数过多，请15分钟后再试' } });
    expect(sessionCookieOf(locked)).toBeUndefined();
    // Other usernames are not affected.
    expect((await login('admin1', 'admin-pass-1')).status).toBe(200);
  });

  it('clears the failure count after a successful login', async () => {
    await app.accounts.createStaff({ username: 'forgetful', password: 'forgetful-pass', role: 'agent', displayName: '健忘' });
    for (let i = 0; i < 4; i++) expect((await login('forgetful', 'nope-nope')).status).toBe(401);
    expect((await login('forgetful', 'forgetful-pass')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('forgetful', 'nope-nope')).status).toBe(401);
    expect((await login('forgetful', 'forgetful-pass')).status).toBe(200);
  });

  describe('requireStaff', () => {
    it('answers 401 without a session', async () => {
      const res = await get('/api/test/admin-only');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'not_logged_in', message: '请先登录' } });
    });

    it('answers 403 to a role it does not allow', async () => {
      const agent = sessionCookieOf(await login('agent1', 'agent-pass-1'))!;
      const admin = sessionCookieOf(await login('admin1', 'admin-pass-1'))!;
      const refused = await get('/api/test/admin-only', agent);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as ApiErrorBody).error.code).toBe('forbidden');
      expect((await get('/api/test/agents', admin)).status).toBe(403);
    });

    it('lets the allowed role through with ctx.state.staff set', async () => {
      const admin = sessionCookieOf(await login('admin1', 'admin-pass-1'))!;
      const agent = sessionCookieOf(await login('agent1', 'agent-pass-1'))!;
      expect(await (await get('/api/test/admin-only', admin)).json()).toEqual({ who: 'admin1' });
      expect(await (await get('/api/test/agents', agent)).json()).toEqual({ who: 'agent1' });
    });
  });
});

import type { CodeRequest, LoginInput, PasswordChange, PasswordChanged, RegisterInput, ResetInput, SessionInfo, WechatBinding } from '../../common/h5-api.js';
import { AccountTaken, accountBrief, bindingsOf, bindOpenid, createAccount, EMAIL_RE, findAccountById, findAccountByLogin, MOBILE_RE, normalizeLogin, setPassword, unbindAllBut, unbindOpenid, unbindOpenidOf, type Account } from '../accounts/accounts.repo.js';
import { credit } from '../accounts/points.js';
import { units } from '../accounts/schema.js';
import { unitNamed } from '../accounts/service-code.js';
import type { Db } from '../db/client.js';
import { AppError, BadRequest, Conflict, Locked, Unauthorized } from '../http/errors.js';
import type { Logger } from '../platform/logger.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../platform/password.js';
import type { LoginGuard } from '../platform/login-throttle.js';
import { rateLimited, type VerificationCodes } from './codes.js';
import { LOGIN_REQUIRED, type H5Session } from '../accounts/h5-state.js';
import type { H5Sessions } from './h5-session.js';
import type { RateLimiter } from '../platform/rate-limit.js';

export const WRONG_PASSWORD = '账号或密码错误';
export const WRONG_OLD_PASSWORD = '原密码错误';
export const LOCKED = '登录失败次数过多，账号已锁定，请15分钟后再试';
export const PASSWORD_RULE = '密码长度为8到64位';

/** The SMS for a register code asked for a mobile that already has an account. */
export const ALREADY_REGISTERED_SMS = '该手机号已注册浪潮云ERP服务账号，可直接登录；忘记密码请使用“找回密码”。如非本人操作，请忽略。';

const taken = (field: 'username' | 'mobile' | 'email') =>
  new Conflict('taken', field === 'mobile' ? '该手机号已注册，请直接登录' : field === 'email' ? '该邮箱已被使用' : '该用户名已被使用');

export interface H5AuthDeps {
  db: Db;
  sessions: H5Sessions;
  codes: VerificationCodes;
  /** Guessing limits (per account and IP, per account, per IP), counted before the password is checked. */
  guard: LoginGuard;
  /** Registration attempts per IP: each one costs a code check and a hash. */
  registerPerIp: RateLimiter;
  logger: Logger;
}

/**
 * Login, registration, codes and passwords for the H5 pages (common/h5-api.ts).
 * Returns account ids; the routes start the session and set the cookie. Passwords, hashes and
 * codes never reach a log line or a response.
 */
export class H5Auth {
  constructor(private readonly d: H5AuthDeps) {}

  async sessionInfo(h5: H5Session | undefined): Promise<SessionInfo> {
    const user = h5?.accountId ? ((await accountBrief(this.d.db, h5.accountId)) ?? null) : null;
    return { wechat: !!h5?.openid, user };
  }

  /** The account for a user name, mobile or e-mail and password: 400 wrong_password, 423 locked, 429 for an IP guessing. */
  async login(input: LoginInput, ip: string): Promise<number> {
    const account = await findAccountByLogin(this.d.db, input.account);
    const key = account ? `account:${account.id}` : `login:${normalizeLogin(input.account)}`;
    await this.countAttempt(key, ip);
    // An unknown account costs one scrypt too: the answer's timing does not tell which exist.
    const ok = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !ok) {
      this.d.logger.info({ accountId: account?.id ?? null }, 'h5 login failed');
      throw new BadRequest(WRONG_PASSWORD, 'wrong_password');
    }
    await this.d.guard.succeeded(key, ip);
    // The password is known now: an old, cheaper hash is replaced by one at today's cost.
    if (needsRehash(account.passwordHash)) await setPassword(this.d.db, account.id, await hashPassword(input.password));
    return account.id;
  }

  /** One attempt against the guessing limits, before any password is checked: 423 locked, 429 for an IP guessing. */
  private async countAttempt(key: string, ip: string): Promise<void> {
    const refused = await this.d.guard.attempt(key, ip);
    if (refused?.reason === 'ip') throw rateLimited(refused.waitMs, '登录尝试');
    if (refused) throw new Locked(LOCKED);
  }

  /**
   * Sends a register code or a reset code. The answer never tells whether the address has an
   * account: a reset code for an unknown address is silently not sent, and a register code for a
   * registered mobile becomes an SMS to that mobile saying so.
   */
  async sendCode(req: CodeRequest, ip: string, openid: string | null = null) {
    const to = checkTarget(req.channel, req.to);
    if (req.purpose === 'register' && req.channel !== 'sms') throw new BadRequest('请使用手机号注册', 'invalid_input');
    const existing = await findAccountByLogin(this.d.db, to);
    if (req.purpose === 'reset' && !existing) this.d.logger.info({ channel: req.channel }, 'reset code asked for an unknown address: not sent');
    const deliver = req.purpose === 'register' ? (existing ? { notice: ALREADY_REGISTERED_SMS } : true) : !!existing;
    return this.d.codes.send({ purpose: req.purpose, channel: req.channel, to }, ip, deliver, openid ? { openid } : undefined);
  }

  /** A new account from a mobile number and its SMS code; the mobile is also the user name. */
  async register(input: RegisterInput, ip: string): Promise<number> {
    const mobile = checkTarget('sms', input.mobile);
    checkPassword(input.password);
    const wait = await this.d.registerPerIp.hit(ip);
    if (wait > 0) throw rateLimited(wait, '注册');
    // The code first: without it, the answer is the same whether or not the mobile is registered.
    await this.d.codes.verify({ purpose: 'register', channel: 'sms', to: mobile, code: input.code });
    if (await findAccountByLogin(this.d.db, mobile)) throw taken('mobile');
    const unitId = input.unitFullName ? await this.unitIdOf(input.unitFullName) : null;
    const passwordHash = await hashPassword(input.password);
    try {
      const account = await createAccount(this.d.db, { username: mobile, mobile, passwordHash, displayName: input.displayName, unitId });
      this.d.logger.info({ accountId: account.id }, 'h5 account registered');
      // The first line of 我的积分; the event key makes a retried credit count once.
      await credit(this.d.db, account.id, 'register', `account:${account.id}`);
      return account.id;
    } catch (err) {
      if (err instanceof AccountTaken) throw taken(err.field);
      throw err;
    }
  }

  /** A new password by mobile or e-mail code; every session of the account ends. */
  async resetPassword(input: ResetInput, ip: string, session?: H5Session): Promise<PasswordChanged> {
    const to = checkTarget(input.channel, input.to);
    checkPassword(input.newPassword);
    const account = await findAccountByLogin(this.d.db, to);
    // No account: no code was ever sent, so the answer is the same as for a wrong code.
    if (!account) throw new BadRequest('验证码错误或已过期', 'bad_code');
    await this.d.codes.verify({ purpose: 'reset', channel: input.channel, to, code: input.code });
    await this.setNewPassword(account, input.newPassword, ip);
    // Whoever knew the old password may have bound his WeChat: only the resetting one's stays.
    const unboundWechat = await unbindAllBut(this.d.db, account.id, session?.openid ?? null);
    await this.d.sessions.destroyAccount(account.id);
    this.d.logger.info({ accountId: account.id, unboundWechat }, 'h5 password reset by code');
    return changed('密码已重置，请重新登录', unboundWechat);
  }

  /** Changes the password (the old one required); every other session of the account ends. */
  async changePassword(session: H5Session, input: PasswordChange, ip: string): Promise<PasswordChanged> {
    const account = session.accountId ? await findAccountById(this.d.db, session.accountId) : undefined;
    if (!account) throw new Unauthorized(LOGIN_REQUIRED, 'not_logged_in');
    checkPassword(input.newPassword);
    const key = `account:${account.id}`;
    await this.countAttempt(key, ip);
    if (!(await verifyPassword(input.oldPassword, account.passwordHash))) {
      throw new BadRequest(WRONG_OLD_PASSWORD, 'wrong_password');
    }
    await this.setNewPassword(account, input.newPassword, ip);
    const unboundWechat = await unbindAllBut(this.d.db, account.id, session.openid);
    await this.d.sessions.destroyAccount(account.id, session.id);
    this.d.logger.info({ accountId: account.id, unboundWechat }, 'h5 password changed');
    return changed('密码已修改，其他设备上的登录已退出', unboundWechat);
  }

  /** The WeChat users bound to the session's account. */
  async bindings(session: H5Session): Promise<WechatBinding[]> {
    const accountId = session.accountId;
    if (!accountId) throw new Unauthorized(LOGIN_REQUIRED, 'not_logged_in');
    const rows = await bindingsOf(this.d.db, accountId);
    return rows.map((r) => ({ id: r.id, openid: maskOpenid(r.openid), boundAt: r.boundAt?.toISOString() ?? null, current: r.openid === session.openid }));
  }

  /** Unbinds one WeChat user from the session's account, and ends that user's other sessions of it. */
  async unbind(session: H5Session, bindingId: number): Promise<void> {
    const accountId = session.accountId;
    if (!accountId) throw new Unauthorized(LOGIN_REQUIRED, 'not_logged_in');
    const openid = await unbindOpenid(this.d.db, accountId, bindingId);
    if (!openid) throw new AppError(404, 'not_found', '该微信绑定不存在或已解除');
    await this.d.sessions.destroyOpenid(accountId, openid, session.id);
    this.d.logger.info({ accountId }, 'h5 wechat binding removed');
  }

  /** Unbinds the session's own WeChat user from its account (logout inside WeChat); whether one was bound. */
  async unbindSessionWechat(session: H5Session): Promise<boolean> {
    if (!session.openid || !session.accountId) return false;
    const unbound = await unbindOpenidOf(this.d.db, session.accountId, session.openid);
    if (unbound) await this.d.sessions.destroyOpenid(session.accountId, session.openid, session.id);
    if (unbound) this.d.logger.info({ accountId: session.accountId }, 'h5 logout unbound the wechat user');
    return unbound;
  }

  /** Remembers the WeChat user's account: the next OAuth login is silent. */
  async bind(openid: string | null, accountId: number): Promise<void> {
    if (openid) await bindOpenid(this.d.db, openid, accountId);
  }

  private async setNewPassword(account: Account, password: string, ip: string): Promise<void> {
    await setPassword(this.d.db, account.id, await hashPassword(password));
    await this.d.guard.clear(`account:${account.id}`, ip);
  }

  /** The unit of that exact full name, compared as the service-code lookup compares it (both sides normalised). */
  private async unitIdOf(fullName: string): Promise<number | null> {
    const [row] = await this.d.db.select({ id: units.id }).from(units).where(unitNamed(fullName)).limit(1);
    return row?.id ?? null;
  }
}

function changed(done: string, unboundWechat: number): PasswordChanged {
  const message = unboundWechat > 0 ? `${done}；已解除其他 ${unboundWechat} 个微信号的绑定` : done;
  return { ok: true, unboundWechat, message };
}

/** oAbc****wxyz: enough for the owner to tell bindings apart, not the openid itself. */
export function maskOpenid(openid: string): string {
  return openid.length > 8 ? `${openid.slice(0, 4)}****${openid.slice(-4)}` : '****';
}

function checkTarget(channel: 'sms' | 'email', to: string): string {
  const t = normalizeLogin(to);
  if (channel === 'sms' && !MOBILE_RE.test(t)) throw new BadRequest('请输入正确的11位手机号', 'invalid_input');
  if (channel === 'email' && !EMAIL_RE.test(t)) throw new BadRequest('请输入正确的邮箱地址', 'invalid_input');
  return t;
}

function checkPassword(password: string): void {
  if (password.length < 8 || password.length > 64) throw new BadRequest(PASSWORD_RULE, 'invalid_input');
}

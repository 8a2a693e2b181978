import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { CodeRequest } from '../../common/h5-api.js';
import type { Db } from '../db/client.js';
import { BadRequest, RateLimited } from '../http/errors.js';
import type { Logger } from '../platform/logger.js';
import { waitText, type RateLimiter } from '../platform/rate-limit.js';
import { verificationCodes } from './schema.js';

export const CODE_TTL_MS = 5 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
export const BAD_CODE = '验证码错误或已过期';
export const TOO_MANY_CODE_ATTEMPTS = '验证码错误次数过多，请重新获取';

export type Channel = CodeRequest['channel'];
export type Purpose = CodeRequest['purpose'];

/** Sends one text to a mobile number or an e-mail address. `simulated`: nothing really leaves the server. */
export interface CodeSender {
  readonly simulated: boolean;
  /** `requestedBy`: the WeChat user whose page asked, when known (the simulator shows it only to them). */
  send(to: string, text: string, requestedBy?: { openid?: string }): Promise<void>;
}

/** The pluggable senders: a real SMS gateway or SMTP client implements CodeSender. */
export interface CodeSenders {
  sms: CodeSender;
  email: CodeSender;
}

/**
 * Embedded mode with no provider: the code is written to the log marked simulated and, when
 * the simulator runs, shown on its phone page (the issue: "codes are shown in the simulator
 * page and the log, marked as simulated").
 */
export function simulatedSenders(logger: Logger, notify?: (text: string, openid?: string) => void): CodeSenders {
  const make = (channel: Channel, label: string): CodeSender => ({
    simulated: true,
    async send(to, text, requestedBy) {
      logger.info({ channel, to: mask(to), simulated: true, text }, `simulated ${channel}: not sent, shown here instead`);
      notify?.(`${label}${text}（${to}）`, requestedBy?.openid);
    },
  });
  return { sms: make('sms', '【模拟短信】'), email: make('email', '【模拟邮件】') };
}

/** 429 rate_limited, saying when to retry. */
export const rateLimited = (waitMs: number, what = '操作') => new RateLimited(`${what}过于频繁，请${waitText(waitMs)}后再试`);

/** Send limits: per target one a minute and five an hour; per IP twenty an hour. */
export interface CodeLimits {
  perTargetMinute: RateLimiter;
  perTargetHour: RateLimiter;
  perIp: RateLimiter;
}

/**
 * One-time codes for registration and password reset (table verification_codes): 6 random
 * digits, stored salted and hashed, valid 5 minutes, at most 5 attempts, single use. A new code
 * for the same target and purpose supersedes the previous one.
 */
export class VerificationCodes {
  constructor(
    private readonly db: Db,
    private readonly senders: CodeSenders,
    private readonly limits: CodeLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether codes are only simulated (the contract's `simulated` flag). */
  simulated(channel: Channel): boolean {
    return this.senders[channel].simulated;
  }

  /**
   * Counts the request against the limits (429 rate_limited), then stores and sends a code.
   * `deliver: false` stores nothing and sends nothing but answers the same, so a reset request
   * for an unknown address does not reveal that it is unknown; `{ notice }` sends that text
   * instead of a code (a register code asked for a number that already has an account).
   */
  async send(
    req: { purpose: Purpose; channel: Channel; to: string },
    ip: string,
    deliver: boolean | { notice: string } = true,
    requestedBy?: { openid?: string },
  ): Promise<{ sent: true; expiresInS: number; simulated: boolean }> {
    const target = req.to;
    for (const [limiter, key] of [
      [this.limits.perIp, ip],
      [this.limits.perTargetMinute, target],
      [this.limits.perTargetHour, target],
    ] as const) {
      const wait = await limiter.hit(key);
      if (wait > 0) throw rateLimited(wait, '获取验证码');
    }
    if (typeof deliver === 'object') {
      // Only the number's owner learns what the answer hides from everyone else.
      await this.senders[req.channel].send(target, deliver.notice, requestedBy);
    } else if (deliver) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const at = new Date(this.now());
      await this.db
        .update(verificationCodes)
        .set({ consumedAt: at })
        .where(and(eq(verificationCodes.target, target), eq(verificationCodes.purpose, req.purpose), isNull(verificationCodes.consumedAt)));
      await this.db.insert(verificationCodes).values({
        purpose: req.purpose,
        channel: req.channel,
        target,
        codeHash: hashCode(code),
        expiresAt: new Date(at.getTime() + CODE_TTL_MS),
        createdAt: at,
      });
      await this.db.delete(verificationCodes).where(lt(verificationCodes.expiresAt, new Date(at.getTime() - 24 * 3600_000)));
      await this.senders[req.channel].send(target, `验证码 ${code}，5分钟内有效，${req.purpose === 'register' ? '用于注册' : '用于找回密码'}，请勿告诉他人。`, requestedBy);
    }
    return { sent: true, expiresInS: CODE_TTL_MS / 1000, simulated: this.simulated(req.channel) };
  }

  /** Consumes the target's latest code when `code` matches; 400 bad_code otherwise (each try counts). */
  async verify(req: { purpose: Purpose; channel: Channel; to: string; code: string }): Promise<void> {
    const [row] = await this.db
      .select()
      .from(verificationCodes)
      .where(and(eq(verificationCodes.target, req.to), eq(verificationCodes.purpose, req.purpose), eq(verificationCodes.channel, req.channel), isNull(verificationCodes.consumedAt)))
      .orderBy(desc(verificationCodes.createdAt), desc(verificationCodes.id))
      .limit(1);
    if (!row || row.expiresAt.getTime() <= this.now()) throw new BadRequest(BAD_CODE, 'bad_code');
    // The attempt is counted before the comparison, atomically: parallel guesses cannot exceed the limit.
    const [counted] = await this.db
      .update(verificationCodes)
      .set({ attempts: sql`${verificationCodes.attempts} + 1` })
      .where(and(eq(verificationCodes.id, row.id), lt(verificationCodes.attempts, MAX_CODE_ATTEMPTS)))
      .returning({ attempts: verificationCodes.attempts });
    if (!counted) throw new BadRequest(TOO_MANY_CODE_ATTEMPTS, 'bad_code');
    if (!/^\d{6}$/.test(req.code) || !codeMatches(req.code, row.codeHash)) {
      throw new BadRequest(counted.attempts >= MAX_CODE_ATTEMPTS ? TOO_MANY_CODE_ATTEMPTS : BAD_CODE, 'bad_code');
    }
    const [used] = await this.db
      .update(verificationCodes)
      .set({ consumedAt: new Date(this.now()) })
      .where(and(eq(verificationCodes.id, row.id), isNull(verificationCodes.consumedAt)))
      .returning({ id: verificationCodes.id });
    if (!used) throw new BadRequest(BAD_CODE, 'bad_code');
  }
}

/** salt$sha256(salt:code): never the code itself. */
export function hashCode(code: string): string {
  const salt = randomBytes(12).toString('base64url');
  return `${salt}$${createHash('sha256').update(`${salt}:${code}`).digest('hex')}`;
}

export function codeMatches(code: string, stored: string): boolean {
  const [salt, hex] = stored.split('$');
  if (!salt || !hex) return false;
  const want = Buffer.from(hex, 'hex');
  const got = createHash('sha256').update(`${salt}:${code}`).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** 138****0000, a****@example.com: enough to tell targets apart in a log. */
export function mask(target: string): string {
  if (target.includes('@')) {
    const [user, domain] = target.split('@');
    return `${user!.slice(0, 1)}****@${domain}`;
  }
  return target.length > 7 ? `${target.slice(0, 3)}****${target.slice(-4)}` : '****';
}

import type { RateLimiterFactory, RateRule } from './rate-limit.js';

/**
 * Password-guessing limits for a login form (the console's and the H5's):
 *  - per (account, IP): a handful of attempts, the lockout the user sees. Keyed by the pair, so
 *    an attacker's guesses lock the account for the attacker's address only, not for its owner;
 *  - per account, from every address: much higher, against a guesser with many addresses;
 *  - per IP, over every account: against one address trying many accounts.
 *
 * Each attempt is counted BEFORE the password is checked, in one atomic step per limit
 * (server/platform/rate-limit.ts), so a burst of simultaneous guesses gets no more tries than a
 * sequence would. A successful login takes its own attempt back and clears the pair's count.
 */
const WINDOW_MS = 15 * 60 * 1000;

export interface LoginRules {
  perPair: RateRule;
  perAccount: RateRule;
  perIp: RateRule;
}

/** 5 per (account, IP), 100 per account, 20 per IP, each in 15 minutes. */
export const STAFF_LOGIN_RULES: LoginRules = {
  perPair: { limit: 5, windowMs: WINDOW_MS },
  perAccount: { limit: 100, windowMs: WINDOW_MS },
  perIp: { limit: 20, windowMs: WINDOW_MS },
};

/** The H5 form: the same, with more per IP (many WeChat users share a carrier's address). */
export const H5_LOGIN_RULES: LoginRules = { ...STAFF_LOGIN_RULES, perIp: { limit: 50, windowMs: WINDOW_MS } };

/** Why an attempt was refused: the account is locked for this address, or the address tried too much. */
export type LoginRefusal = { reason: 'locked' | 'ip'; waitMs: number };

export class LoginGuard {
  private readonly pair;
  private readonly account;
  private readonly ip;

  constructor(limiter: RateLimiterFactory, rules: LoginRules) {
    this.pair = limiter(rules.perPair, 'pair');
    this.account = limiter(rules.perAccount, 'account');
    this.ip = limiter(rules.perIp, 'ip');
  }

  /**
   * Counts one attempt for `account` from `ip`, before the password is checked. Undefined when
   * the check may go ahead; otherwise why not. A refusal by one limit counts nothing further.
   */
  async attempt(account: string, ip: string): Promise<LoginRefusal | undefined> {
    const ipWait = await this.ip.hit(ip);
    if (ipWait > 0) return { reason: 'ip', waitMs: ipWait };
    for (const [limiter, key] of [
      [this.pair, pairKey(account, ip)],
      [this.account, account],
    ] as const) {
      const wait = await limiter.hit(key);
      if (wait > 0) return { reason: 'locked', waitMs: wait };
    }
    return undefined;
  }

  /** The password was right: this attempt does not count, and the pair's earlier failures are forgiven. */
  async succeeded(account: string, ip: string): Promise<void> {
    await Promise.all([this.pair.reset(pairKey(account, ip)), this.account.refund(account), this.ip.refund(ip)]);
  }

  /** A new password (reset by code): the account's lock from every address, and this address's pair, are lifted. */
  async clear(account: string, ip: string): Promise<void> {
    await Promise.all([this.pair.reset(pairKey(account, ip)), this.account.reset(account)]);
  }
}

function pairKey(account: string, ip: string): string {
  return `${account}|${ip}`;
}

import { randomBytes } from 'node:crypto';

/**
 * The access_tokens of the fake platform, by the two ways WeChat hands them out, which do
 * not affect each other:
 *  - /cgi-bin/token: every call issues a new token; the previous ones die 5 minutes later;
 *  - /cgi-bin/stable_token: the normal mode returns the current token while it has more than
 *    5 minutes left (then a new one, the old one living on until its own expiry); the force mode
 *    kills the current token at once and issues a new one, at most 20 times a day and not twice
 *    within 30 s (a force too soon is answered as the normal mode, as WeChat does).
 * https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 */
export interface IssuedToken {
  readonly token: string;
  /** seconds left */
  readonly expiresInS: number;
  /** false when the stable token already current was handed out again */
  readonly fresh: boolean;
  /** a force refresh replaced the stable token */
  readonly forced: boolean;
}

export type StableOutcome = IssuedToken | { readonly errcode: 45009 };

interface TokenRecord {
  readonly kind: 'basic' | 'stable';
  expiresAt: number;
  /** set when a newer basic token was issued: this one dies 5 minutes later */
  supersededAt?: number;
}

const GRACE_MS = 5 * 60 * 1000;
const STABLE_RENEW_MS = 5 * 60 * 1000;
const FORCE_INTERVAL_MS = 30_000;
const FORCE_PER_DAY = 20;
/** WeChat's days are China's (UTC+8). */
const CHINA_OFFSET_MS = 8 * 3600_000;

export class FakeTokens {
  private readonly records = new Map<string, TokenRecord>();
  private stable: string | undefined;
  private lastForceAt: number | undefined;
  private forces = { day: -1, count: 0 };

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  issueBasic(): IssuedToken {
    const at = this.now();
    for (const [token, record] of this.records) {
      if (record.kind !== 'basic') continue;
      if (record.expiresAt <= at - GRACE_MS) this.records.delete(token);
      else record.supersededAt = Math.min(record.supersededAt ?? Infinity, at + GRACE_MS);
    }
    return this.mint('basic', at);
  }

  issueStable(force: boolean): StableOutcome {
    const at = this.now();
    if (force && !(this.lastForceAt !== undefined && at - this.lastForceAt < FORCE_INTERVAL_MS)) {
      const day = Math.floor((at + CHINA_OFFSET_MS) / 86_400_000);
      if (this.forces.day !== day) this.forces = { day, count: 0 };
      if (this.forces.count >= FORCE_PER_DAY) return { errcode: 45009 };
      this.forces.count += 1;
      this.lastForceAt = at;
      if (this.stable) this.records.delete(this.stable);
      return { ...this.mintStable(at), forced: true };
    }
    const current = this.stable === undefined ? undefined : this.records.get(this.stable);
    if (this.stable && current && current.expiresAt - STABLE_RENEW_MS > at) {
      return { token: this.stable, expiresInS: Math.floor((current.expiresAt - at) / 1000), fresh: false, forced: false };
    }
    return this.mintStable(at);
  }

  /** 0 when the token may be used, else the errcode WeChat answers. */
  check(token: string | undefined): 0 | 40001 | 41001 | 42001 {
    if (!token) return 41001;
    const record = this.records.get(token);
    if (!record) return 40001;
    const at = this.now();
    if (at >= record.expiresAt) return 42001;
    if (record.supersededAt !== undefined && at >= record.supersededAt) return 40001;
    return 0;
  }

  /** Every token issued so far answers 42001 from now on. */
  expireAll(): void {
    const at = this.now();
    for (const record of this.records.values()) record.expiresAt = Math.min(record.expiresAt, at);
  }

  private mintStable(at: number): IssuedToken {
    const issued = this.mint('stable', at);
    this.stable = issued.token;
    // Stable tokens long dead are dropped, so that the map does not grow with every renewal.
    for (const [token, record] of this.records) if (record.kind === 'stable' && record.expiresAt <= at - GRACE_MS) this.records.delete(token);
    return issued;
  }

  private mint(kind: TokenRecord['kind'], at: number): IssuedToken {
    const token = randomBytes(64).toString('base64url');
    this.records.set(token, { kind, expiresAt: at + this.ttlMs });
    return { token, expiresInS: Math.round(this.ttlMs / 1000), fresh: true, forced: false };
  }
}

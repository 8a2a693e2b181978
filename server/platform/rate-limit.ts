import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A sliding-window limiter: at most `limit` hits per key within `windowMs`. `hit` counts the
 * request only when it is allowed, and otherwise says how long to wait. Embedded mode counts in
 * memory (one process); server mode in Redis, so every instance sees the same counts.
 *
 * Checking and counting are one step in both: in memory nothing awaits between them, in Redis
 * one Lua script does both. A burst of simultaneous requests therefore gets exactly `limit`
 * through, not every request that checked before the first one was counted.
 */
export interface RateLimiter {
  /** 0 when allowed (and counted), else the milliseconds until the next hit would be allowed. */
  hit(key: string): Promise<number>;
  /** Takes back one counted hit: an attempt that turned out fine (a successful login) does not count. */
  refund(key: string): Promise<void>;
  /** Forgets every hit of the key. */
  reset(key: string): Promise<void>;
}

export interface RateRule {
  limit: number;
  windowMs: number;
}

/** Builds a limiter for a rule under a name (a key prefix): memory or Redis, as the runtime decides. */
export type RateLimiterFactory = (rule: RateRule, name: string) => RateLimiter;

export function memoryRateLimiter(rule: RateRule, now: () => number = Date.now): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    async hit(key) {
      const t = now();
      const kept = (hits.get(key) ?? []).filter((h) => h > t - rule.windowMs);
      if (kept.length >= rule.limit) {
        hits.set(key, kept);
        return kept[kept.length - rule.limit]! + rule.windowMs - t;
      }
      kept.push(t);
      hits.set(key, kept);
      // A flood of distinct keys does not grow memory without bound.
      if (hits.size > 10_000) for (const k of [...hits.keys()].slice(0, 1000)) hits.delete(k);
      return 0;
    },
    async refund(key) {
      hits.get(key)?.pop();
    },
    async reset(key) {
      hits.delete(key);
    },
  };
}

/**
 * KEYS[1] the key's sorted set (score: the hit's time); ARGV now, window, limit, a unique member.
 * Returns 0 when counted, else the wait in ms.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  local wait = tonumber(oldest[2]) + window - now
  if wait < 1 then wait = 1 end
  return wait
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

type ScriptedRedis = Redis & { rateLimitHit(key: string, now: number, windowMs: number, limit: number, member: string): Promise<number> };

function scripted(redis: Redis): ScriptedRedis {
  const r = redis as ScriptedRedis;
  if (typeof r.rateLimitHit !== 'function') r.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  return r;
}

export function redisRateLimiter(redis: Redis, rule: RateRule, prefix: string, now: () => number = Date.now): RateLimiter {
  const r = scripted(redis);
  return {
    async hit(key) {
      return Number(await r.rateLimitHit(`${prefix}${key}`, now(), rule.windowMs, rule.limit, randomBytes(8).toString('base64url')));
    },
    async refund(key) {
      // The newest hit goes: the same count as this attempt's own, whichever member it was.
      await redis.zpopmax(`${prefix}${key}`);
    },
    async reset(key) {
      await redis.del(`${prefix}${key}`);
    },
  };
}

/** "N秒" up to 90 seconds, else "N分钟", rounded up. */
export function waitText(ms: number): string {
  return ms > 90_000 ? `${Math.ceil(ms / 60_000)}分钟` : `${Math.max(1, Math.ceil(ms / 1000))}秒`;
}

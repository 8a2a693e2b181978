import type { Redis } from 'ioredis';

/**
 * A sliding-window limiter: at most `limit` hits per key within `windowMs`. `hit` counts the
 * request only when it is allowed, and otherwise says how long to wait. Embedded mode counts in
 * memory (one process); server mode in Redis, so every instance sees the same counts.
 */
export interface RateLimiter {
  /** 0 when allowed (and counted), else the milliseconds until the next hit would be allowed. */
  hit(key: string): Promise<number>;
}

export interface RateRule {
  limit: number;
  windowMs: number;
}

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
  };
}

export function redisRateLimiter(redis: Redis, rule: RateRule, prefix: string, now: () => number = Date.now): RateLimiter {
  return {
    async hit(key) {
      const k = `${prefix}${key}`;
      const t = now();
      await redis.zremrangebyscore(k, 0, t - rule.windowMs);
      const recent = await redis.zrange(k, 0, -1, 'WITHSCORES');
      const scores = recent.filter((_, i) => i % 2 === 1).map(Number);
      if (scores.length >= rule.limit) return scores[scores.length - rule.limit]! + rule.windowMs - t;
      await redis.multi().zadd(k, t, `${t}:${Math.random().toString(36).slice(2)}`).pexpire(k, rule.windowMs).exec();
      return 0;
    },
  };
}

/** "N秒" up to 90 seconds, else "N分钟", rounded up. */
export function waitText(ms: number): string {
  return ms > 90_000 ? `${Math.ceil(ms / 60_000)}分钟` : `${Math.max(1, Math.ceil(ms / 1000))}秒`;
}

import type { Redis } from 'ioredis';

/**
 * Login lockout: after MAX_FAILURES failed logins for one username within WINDOW_MS, further
 * attempts are refused until the oldest failure leaves the window. Embedded mode counts in
 * memory (one process owns the data); server mode counts in Redis so that every instance
 * sees the same failures.
 */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

export interface LoginThrottle {
  /** True when the username has MAX_FAILURES failures within the window. */
  isLocked(username: string): Promise<boolean>;
  recordFailure(username: string): Promise<void>;
  clear(username: string): Promise<void>;
}

export function memoryLoginThrottle(now: () => number = Date.now): LoginThrottle {
  const failures = new Map<string, number[]>();
  const recent = (username: string): number[] => {
    const since = now() - WINDOW_MS;
    const kept = (failures.get(username) ?? []).filter((t) => t > since);
    if (kept.length) failures.set(username, kept);
    else failures.delete(username);
    return kept;
  };
  return {
    isLocked: async (username) => recent(username).length >= MAX_FAILURES,
    recordFailure: async (username) => {
      const list = recent(username);
      // Only the last MAX_FAILURES matter; a flood of guesses does not grow memory.
      failures.set(username, [...list, now()].slice(-MAX_FAILURES));
      if (failures.size > 10_000) for (const key of [...failures.keys()].slice(0, 1000)) recent(key);
    },
    clear: async (username) => void failures.delete(username),
  };
}

export function redisLoginThrottle(redis: Redis, now: () => number = Date.now, prefix = 'staff:login-failures:'): LoginThrottle {
  const key = (username: string) => `${prefix}${username}`;
  return {
    isLocked: async (username) => {
      await redis.zremrangebyscore(key(username), 0, now() - WINDOW_MS);
      return (await redis.zcard(key(username))) >= MAX_FAILURES;
    },
    recordFailure: async (username) => {
      const t = now();
      await redis
        .multi()
        .zadd(key(username), t, `${t}:${Math.random().toString(36).slice(2)}`)
        .zremrangebyscore(key(username), 0, t - WINDOW_MS)
        .pexpire(key(username), WINDOW_MS)
        .exec();
    },
    clear: async (username) => void (await redis.del(key(username))),
  };
}

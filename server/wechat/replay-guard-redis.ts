/**
 * The replay guard in server mode: one Redis for every instance. SET NX EX makes the first
 * claim win atomically; the comparison runs in the same script, so a claim is one round trip.
 */
import type { Redis } from 'ioredis';
import type { ReplayGuard, ReplayVerdict } from './replay-guard.js';

// 0: set now (first); 1: held with the same digest (retry); 2: held with another (replay).
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 2`;

const VERDICTS: readonly ReplayVerdict[] = ['first', 'retry', 'replay'];

type ScriptedRedis = Redis & { replayClaim(key: string, digest: string, ttlS: string): Promise<number> };

/** The script as a command of its own: sent by its SHA (EVALSHA) on every push, not as text. */
function scripted(redis: Redis): ScriptedRedis {
  const r = redis as ScriptedRedis;
  if (typeof r.replayClaim !== 'function') r.defineCommand('replayClaim', { numberOfKeys: 1, lua: CLAIM });
  return r;
}

/** `prefix` is the deployment's namespace (server/platform/redis-namespace.ts) plus what keeps these keys apart. */
export function redisReplayGuard(redis: Redis, prefix: string): ReplayGuard {
  const r = scripted(redis);
  return {
    async claim(key, digest, ttlS) {
      const code = Number(await r.replayClaim(`${prefix}${key}`, digest, String(ttlS)));
      const verdict = VERDICTS[code];
      if (!verdict) throw new Error(`replay guard script answered ${code}`);
      return verdict;
    },
  };
}

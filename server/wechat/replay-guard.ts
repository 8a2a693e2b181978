/**
 * The push endpoint's memory of signed queries. The plain signature covers token, timestamp and
 * nonce but never the body, so a captured query would otherwise carry any body for as long as its
 * timestamp is fresh. Each (timestamp, nonce) is remembered with a digest of its message for that
 * long: the same message again is WeChat retrying; another message is a forgery.
 *
 * Stores: memory (below; the front of the embedded store and the tests'), the database
 * (replay-guard-db.ts) and Redis (replay-guard-redis.ts).
 */

/** first: never seen; retry: seen with the same digest; replay: seen with another digest. */
export type ReplayVerdict = 'first' | 'retry' | 'replay';

export interface ReplayGuard {
  /**
   * Remembers `key` with `digest` for `ttlS` seconds unless it is already remembered, atomically:
   * of two claims racing for one key, exactly one is first and the other compares with it.
   */
  claim(key: string, digest: string, ttlS: number): Promise<ReplayVerdict>;
}

export interface MemoryReplayGuard extends ReplayGuard {
  /** What is already known about `key` (retry or replay), or undefined when nothing is: synchronous. */
  lookup(key: string, digest: string): ReplayVerdict | undefined;
  /** Remembers a key decided elsewhere (loaded at start, or won by another instance). */
  remember(key: string, digest: string, expiresAtMs: number): void;
  readonly size: number;
}

interface Entry {
  digest: string;
  expiresAtMs: number;
}

/**
 * In-process memory. Entries are bucketed by the second they expire in, so dropping the
 * expired ones costs only what is dropped, never a scan of the whole window.
 */
export function memoryReplayGuard(now: () => number = Date.now): MemoryReplayGuard {
  const entries = new Map<string, Entry>();
  const buckets = new Map<number, string[]>();
  let prunedUpTo = Math.floor(now() / 1000);

  const prune = (nowMs: number) => {
    const second = Math.floor(nowMs / 1000);
    if (second <= prunedUpTo) return;
    // Buckets are few (one per second of the window): walking them is cheap.
    for (const [s, keys] of buckets) {
      if (s >= second) continue;
      for (const key of keys) {
        const entry = entries.get(key);
        if (entry && entry.expiresAtMs <= nowMs) entries.delete(key);
      }
      buckets.delete(s);
    }
    prunedUpTo = second;
  };

  const remember = (key: string, digest: string, expiresAtMs: number) => {
    entries.set(key, { digest, expiresAtMs });
    const s = Math.floor(expiresAtMs / 1000);
    const bucket = buckets.get(s);
    if (bucket) bucket.push(key);
    else buckets.set(s, [key]);
  };

  const held = (key: string, nowMs: number): Entry | undefined => {
    const entry = entries.get(key);
    return entry && entry.expiresAtMs > nowMs ? entry : undefined;
  };

  const lookup = (key: string, digest: string): ReplayVerdict | undefined => {
    const nowMs = now();
    prune(nowMs);
    const entry = held(key, nowMs);
    if (!entry) return undefined;
    return entry.digest === digest ? 'retry' : 'replay';
  };

  return {
    lookup,
    // Lookup and remember run without an await in between: one claim at a time in this process.
    async claim(key, digest, ttlS) {
      const known = lookup(key, digest);
      if (known) return known;
      remember(key, digest, now() + ttlS * 1000);
      return 'first';
    },
    remember(key, digest, expiresAtMs) {
      if (expiresAtMs > now()) remember(key, digest, expiresAtMs);
    },
    get size() {
      return entries.size;
    },
  };
}

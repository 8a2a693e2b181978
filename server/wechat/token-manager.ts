import type { Redis } from 'ioredis';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { kv } from '../db/schema.js';

/**
 * The access_token, shared by every instance. Exactly one refresher runs across all instances
 * (in-process single flight, plus a cross-instance lock held by the store), so that a token WeChat
 * refuses is replaced once, not once per instance or per request: a force refresh is rationed
 * (stable-token.ts), and with /cgi-bin/token every fetch would invalidate the others' token.
 */
export interface CachedToken {
  token: string;
  expiresAt: number; // epoch ms
}

export interface TokenStore {
  read(): Promise<CachedToken | null>;
  write(t: CachedToken): Promise<void>;
  /** Runs `fn` while holding the cross-instance refresh lock. */
  withRefreshLock<T>(fn: () => Promise<T>): Promise<T>;
}

/** `refused`: the token WeChat just refused, when that is why a new one is wanted. */
export type FetchToken = (refused?: string) => Promise<{ token: string; expiresInS: number }>;

/** A token this close to expiry is treated as expired. */
const EARLY_MS = 60_000;

export class TokenManager {
  private inflight?: Promise<string>;

  constructor(
    private readonly store: TokenStore,
    private readonly fetchToken: FetchToken,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    const cached = await this.store.read();
    if (cached && cached.expiresAt - EARLY_MS > this.now()) return cached.token;
    return this.renew(cached?.token, undefined);
  }

  /**
   * After WeChat refused `stale`: returns a token other than it, the one another refresher
   * already stored, or one fetched from WeChat.
   */
  refresh(stale?: string): Promise<string> {
    return this.renew(stale, stale);
  }

  private renew(stale: string | undefined, refused: string | undefined): Promise<string> {
    this.inflight ??= this.store
      .withRefreshLock(async () => {
        const cached = await this.store.read();
        if (cached && cached.token !== stale && cached.expiresAt - EARLY_MS > this.now()) return cached.token;
        const fresh = await this.fetchToken(refused);
        await this.store.write({ token: fresh.token, expiresAt: this.now() + fresh.expiresInS * 1000 });
        return fresh.token;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}

/** Token kept in the database (embedded mode, or a server without Redis). */
export function dbTokenStore(database: Database, appId: string): TokenStore {
  const key = `wechat:access_token:${appId}`;
  const { db } = database;
  return {
    async read() {
      const rows = await db.select().from(kv).where(eq(kv.key, key)).limit(1);
      const row = rows[0];
      return row?.expiresAt ? { token: row.value, expiresAt: row.expiresAt.getTime() } : null;
    },
    async write(t) {
      const values = { key, value: t.token, expiresAt: new Date(t.expiresAt), updatedAt: new Date() };
      await db.insert(kv).values(values).onConflictDoUpdate({ target: kv.key, set: values });
    },
    async withRefreshLock(fn) {
      // PGlite belongs to this one process: the in-process single flight is the lock.
      if (database.kind === 'pglite') return fn();
      // A PostgreSQL server may have several instances: a transaction-scoped advisory lock.
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
        return fn();
      });
    },
  };
}

/** Token kept in Redis (server mode), with a SET NX lock for the refresher. */
export function redisTokenStore(redis: Redis, appId: string, lockTtlMs = 15_000, namespace = 'wxdesk'): TokenStore {
  const key = `${namespace}:access_token:${appId}`;
  const lockKey = `${key}:lock`;
  return {
    async read() {
      const raw = await redis.get(key);
      return raw ? (JSON.parse(raw) as CachedToken) : null;
    },
    async write(t) {
      const ttl = Math.max(1000, t.expiresAt - Date.now());
      await redis.set(key, JSON.stringify(t), 'PX', ttl);
    },
    async withRefreshLock(fn) {
      const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
      const deadline = Date.now() + lockTtlMs;
      while ((await redis.set(lockKey, owner, 'PX', lockTtlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error('timed out waiting for the access_token refresh lock');
        await new Promise((r) => setTimeout(r, 25));
      }
      try {
        return await fn();
      } finally {
        // Release only our own lock.
        await redis.eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
          1,
          lockKey,
          owner,
        );
      }
    },
  };
}

/**
 * The replay guard on the database, in the `kv` table (key `wechat:nonce:<timestamp>:<nonce>`,
 * value the message digest, expires_at when the query goes stale), with memory in front.
 *
 *  - Embedded (PGlite, one process per data folder): memory decides at once and the database keeps
 *    a copy, written behind in group commits, so that a restart within the window still knows the
 *    queries. The push never waits for the database.
 *  - PostgreSQL without Redis (instances share the database): a new key waits for the database's
 *    verdict; one upsert decides, so the first writer wins on every instance.
 * Expired rows are purged on a timer; memory drops its own as it goes.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { affectedBy, rowsOf, toDate, ts } from '../db/raw.js';
import { Batcher } from '../platform/batcher.js';
import type { Logger } from '../platform/logger.js';
import { Periodic } from '../platform/periodic.js';
import { memoryReplayGuard, type MemoryReplayGuard, type ReplayGuard, type ReplayVerdict } from './replay-guard.js';

export interface DbReplayGuardOptions {
  db: Db;
  /** Other instances use this database too: wait for its verdict on each new key. */
  shared: boolean;
  logger: Pick<Logger, 'warn' | 'error'>;
  now?: () => number;
  /** How often expired rows are deleted; default one minute. */
  purgeEveryMs?: number;
}

const PREFIX = 'wechat:nonce:';
const PURGE_CHUNK = 2000;

interface Claim {
  key: string;
  digest: string;
  expiresAtMs: number;
}

interface Held {
  digest: string;
  expiresAtMs: number;
}

export class DbReplayGuard implements ReplayGuard {
  private readonly memory: MemoryReplayGuard;
  private readonly writes: Batcher<Claim, Held>;
  private readonly purger: Periodic;
  private readonly now: () => number;

  constructor(private readonly o: DbReplayGuardOptions) {
    this.now = o.now ?? Date.now;
    this.memory = memoryReplayGuard(this.now);
    // Writes behind can wait for company: bigger batches cost PGlite less per row. A shared
    // guard's push waits for its write, so it goes at once.
    this.writes = new Batcher({
      write: (claims) => this.upsert(claims),
      conflictKey: (c) => c.key,
      maxBatch: o.shared ? 200 : 500,
      lingerMs: o.shared ? 0 : 50,
    });
    this.purger = new Periodic(() => this.purge(), {
      everyMs: o.purgeEveryMs ?? 60_000,
      onError: (err) => o.logger.error({ err }, 'replay guard purge failed'),
    });
  }

  async claim(key: string, digest: string, ttlS: number): Promise<ReplayVerdict> {
    const known = this.memory.lookup(key, digest);
    if (known) return known;
    const expiresAtMs = this.now() + ttlS * 1000;
    if (!this.o.shared) {
      this.memory.remember(key, digest, expiresAtMs);
      this.writes.submit({ key, digest, expiresAtMs }).catch((err: unknown) => this.o.logger.warn({ err: (err as Error).message }, 'replay guard could not store a query'));
      return 'first';
    }
    const held = await this.writes.submit({ key, digest, expiresAtMs });
    this.memory.remember(key, held.digest, held.expiresAtMs);
    if (held.digest !== digest) return 'replay';
    return held.expiresAtMs === expiresAtMs ? 'first' : 'retry';
  }

  /** Reads the queries still within their window into memory (at start, before pushes arrive). */
  async load(): Promise<number> {
    const rows = await rowsOf<{ key: string; value: string; expires_at: Date | string }>(this.o.db, sql`
      SELECT key, value, expires_at FROM kv WHERE key LIKE ${`${PREFIX}%`} AND expires_at > ${ts(new Date(this.now()))}
    `);
    for (const r of rows) this.memory.remember(r.key.slice(PREFIX.length), r.value, toDate(r.expires_at)!.getTime());
    return rows.length;
  }

  start(): void {
    this.purger.start();
  }

  /** Stops the purge and waits for the writes behind. */
  async stop(): Promise<void> {
    await this.purger.stop();
    await this.writes.idle();
  }

  /** Deletes expired rows, in short statements (PGlite runs every push behind them). */
  async purge(): Promise<number> {
    const before = ts(new Date(this.now()));
    let total = 0;
    for (;;) {
      const n = await affectedBy(this.o.db, sql`
        DELETE FROM kv WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM kv WHERE key LIKE ${`${PREFIX}%`} AND expires_at <= ${before} LIMIT ${PURGE_CHUNK}
        ))
      `);
      total += n;
      if (n < PURGE_CHUNK) return total;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** One upsert per batch: a live row is kept as it is (first writer wins), an expired one replaced. */
  private async upsert(claims: Claim[]): Promise<Held[]> {
    const nowTs = ts(new Date(this.now()));
    const values = sql.join(
      claims.map((c) => sql`(${PREFIX + c.key}, ${c.digest}, ${ts(new Date(c.expiresAtMs))})`),
      sql`, `,
    );
    const rows = await rowsOf<{ key: string; value: string; expires_at: Date | string }>(this.o.db, sql`
      INSERT INTO kv (key, value, expires_at) VALUES ${values}
      ON CONFLICT (key) DO UPDATE SET
        value = CASE WHEN kv.expires_at IS NULL OR kv.expires_at <= ${nowTs} THEN excluded.value ELSE kv.value END,
        expires_at = CASE WHEN kv.expires_at IS NULL OR kv.expires_at <= ${nowTs} THEN excluded.expires_at ELSE kv.expires_at END,
        updated_at = now()
      RETURNING key, value, expires_at
    `);
    const byKey = new Map(rows.map((r) => [r.key, { digest: r.value, expiresAtMs: toDate(r.expires_at)!.getTime() }]));
    return claims.map((c) => {
      const held = byKey.get(PREFIX + c.key);
      if (!held) throw new Error('replay guard upsert returned no row for a key');
      return held;
    });
  }
}

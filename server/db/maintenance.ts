import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import type { Logger } from '../platform/logger.js';
import { Periodic } from '../platform/periodic.js';
import { affectedBy, rowsOf, ts } from './raw.js';

export interface MaintenanceOptions {
  db: Db;
  /** PGlite runs no autovacuum (single-user mode): the pass does its vacuuming and ANALYZE. */
  kind: 'pglite' | 'postgres';
  logger: Logger;
  /** processed_pushes rows older than this are deleted (WeChat retries a push within seconds). */
  pushLogRetentionH: number;
  /** How often a pass runs. */
  everyMs: number;
  now?: () => Date;
}

export interface MaintenanceReport {
  /** processed_pushes rows deleted. */
  pushesDeleted: number;
  /** Tables vacuumed (with ANALYZE), embedded only. */
  vacuumed: string[];
  /** Tables only analysed, embedded only. */
  analyzed: string[];
}

/** Rows per DELETE: each statement stays short, since PGlite runs every push behind it. */
const DELETE_CHUNK = 2000;
const FIRST_PASS_MS = 10 * 60_000;
/** autovacuum's default rules (threshold + scale factor × live rows). */
const VACUUM_MIN = 1000;
const VACUUM_SCALE = 0.2;
const ANALYZE_MIN = 1000;
const ANALYZE_SCALE = 0.1;

/**
 * Housekeeping on a timer, on every instance:
 *  - the push log (processed_pushes: one row per push with its reply XML, the dedupe key) keeps
 *    only the last pushLogRetentionH hours; it grew without end before;
 *  - embedded only: PGlite has no autovacuum, so tables past autovacuum's own thresholds get
 *    VACUUM (ANALYZE), or ANALYZE alone. Without it, dead rows were never reclaimed and the
 *    planner never had statistics (see docs/benchmarks.md, session 4).
 * A PostgreSQL server's autovacuum does the second part itself.
 */
export class Maintenance {
  private readonly timer: Periodic;

  /** The first pass comes after FIRST_PASS_MS at most, so a server restarted often still gets one. */
  constructor(private readonly o: MaintenanceOptions) {
    this.timer = new Periodic(async () => o.logger.info(await this.run(), 'database maintenance done'), {
      everyMs: o.everyMs,
      firstMs: Math.min(o.everyMs, FIRST_PASS_MS),
      onError: (err) => o.logger.error({ err }, 'database maintenance failed'),
    });
  }

  start(): void {
    this.timer.start();
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }

  /** One pass (tests call it directly). */
  async run(): Promise<MaintenanceReport> {
    const pushesDeleted = await this.trimPushLog();
    const report: MaintenanceReport = { pushesDeleted, vacuumed: [], analyzed: [] };
    if (this.o.kind === 'pglite') await this.vacuumWhereDue(report);
    return report;
  }

  private async trimPushLog(): Promise<number> {
    const now = (this.o.now ?? (() => new Date()))();
    const before = ts(new Date(now.getTime() - this.o.pushLogRetentionH * 3600_000));
    let total = 0;
    for (;;) {
      // By ctid: a TID scan of the chunk, not a join over the whole table. Old rows sit at the
      // front of the heap, so the inner scan stops early.
      const n = await affectedBy(this.o.db, sql`
        DELETE FROM processed_pushes WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM processed_pushes WHERE created_at < ${before} LIMIT ${DELETE_CHUNK}
        ))
      `);
      total += n;
      if (n < DELETE_CHUNK) return total;
      await new Promise((r) => setImmediate(r)); // let waiting pushes in between chunks
    }
  }

  private async vacuumWhereDue(report: MaintenanceReport): Promise<void> {
    // Counters are published when the backend goes idle; force it so this pass sees them.
    await this.o.db.execute(sql`SELECT pg_stat_force_next_flush()`);
    const tables = await rowsOf<{ relname: string; live: number; dead: number; modified: number }>(this.o.db, sql`
      SELECT relname, n_live_tup::float8 AS live, n_dead_tup::float8 AS dead, n_mod_since_analyze::float8 AS modified
      FROM pg_stat_user_tables WHERE schemaname = 'public'
    `);
    for (const t of tables) {
      if (!/^[a-z_][a-z0-9_]*$/.test(t.relname)) continue; // our own snake_case tables only
      const table = sql.identifier(t.relname);
      if (Number(t.dead) > VACUUM_MIN + VACUUM_SCALE * Number(t.live)) {
        await this.o.db.execute(sql`VACUUM (ANALYZE) ${table}`);
        report.vacuumed.push(t.relname);
      } else if (Number(t.modified) > ANALYZE_MIN + ANALYZE_SCALE * Number(t.live)) {
        await this.o.db.execute(sql`ANALYZE ${table}`);
        report.analyzed.push(t.relname);
      }
    }
  }
}

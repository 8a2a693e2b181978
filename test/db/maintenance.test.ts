import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { Maintenance } from '../../server/db/maintenance.js';
import { rowsOf } from '../../server/db/raw.js';
import { createLogger } from '../../server/platform/logger.js';
import { freshStorageTarget } from '../helpers/mode.js';

const NOW = new Date('2026-11-25T12:00:00Z');

async function count(database: Database, where: ReturnType<typeof sql>): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM processed_pushes WHERE ${where}`);
  return Number(row!.n);
}

describe('database maintenance', () => {
  let database: Database;
  let maintenance: Maintenance;
  beforeAll(async () => {
    const target = await freshStorageTarget();
    database = await openDatabase(target);
    maintenance = new Maintenance({ db: database.db, kind: database.kind, logger: createLogger('silent'), pushLogRetentionH: 24, everyMs: 3_600_000, now: () => NOW });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('deletes pushes older than the retention, several chunks of them, and keeps the newer ones', async () => {
    // 4,500 pushes from 30-40 hours ago, 300 from the last 23 hours.
    await database.db.execute(sql`
      INSERT INTO processed_pushes (key, status, reply, created_at)
      SELECT 'old-' || g, 'done', '<xml/>', ${NOW.toISOString()}::timestamptz - interval '30 hours' - g * interval '8 seconds'
      FROM generate_series(1, 4500) g
    `);
    await database.db.execute(sql`
      INSERT INTO processed_pushes (key, status, reply, created_at)
      SELECT 'new-' || g, 'done', '<xml/>', ${NOW.toISOString()}::timestamptz - g * interval '4 minutes'
      FROM generate_series(1, 300) g
    `);
    const report = await maintenance.run();
    expect(report.pushesDeleted).toBe(4500);
    expect(await count(database, sql`key LIKE 'old-%'`)).toBe(0);
    expect(await count(database, sql`key LIKE 'new-%'`)).toBe(300);
    expect((await maintenance.run()).pushesDeleted).toBe(0);
  });

  it('vacuums and analyses a table full of dead rows when embedded, and leaves that to autovacuum on a server', async () => {
    // 300 live rows updated 5 times: 1,500 dead ones, past autovacuum's rule (1,000 + 20 % of live).
    for (let i = 0; i < 5; i++) await database.db.execute(sql`UPDATE processed_pushes SET finished_at = now()`);
    const report = await maintenance.run();
    if (database.kind === 'pglite') {
      expect(report.vacuumed).toContain('processed_pushes');
      await database.db.execute(sql`SELECT pg_stat_force_next_flush()`);
      const stats = await rowsOf(database.db, sql`SELECT n_dead_tup::int AS dead, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'processed_pushes'`);
      expect(stats).toEqual([{ dead: 0, vacuumed: true }]);
    } else {
      expect(report).toMatchObject({ vacuumed: [], analyzed: [] });
    }
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../server/db/client.js';
import { rowsOf } from '../../server/db/raw.js';
import { recordInboundBatch, recordPassiveReplies } from '../../server/chat/push-turn.repo.js';
import { logUnansweredBatch } from '../../server/kb/unanswered.service.js';
import { freshStorageTarget } from '../helpers/mode.js';

/**
 * The batch statements join their JSON input to big tables. jsonb_to_recordset is estimated at
 * 100 rows and PGlite never runs ANALYZE, so a plain join was planned as a sequential scan of the
 * whole table: its cost grew with every push ever stored. These tests fill the tables first and
 * check, through the transaction's statistics view, that each statement reached its rows by index.
 */
const ROWS = 20_000;

interface ScanCounts {
  seq: number;
  idx: number;
}

/**
 * Runs `statement` in a transaction and returns how it scanned the table: the backend's own
 * not-yet-published counters (pg_stat_xact_user_tables) read just before and just after it, on
 * the same connection, so nothing else can blur them.
 */
async function scansBy(db: Db, table: string, statement: (tx: Db) => Promise<unknown>): Promise<ScanCounts> {
  return db.transaction(async (tx) => {
    const read = async (): Promise<ScanCounts> => {
      const [row] = await rowsOf<ScanCounts>(tx, sql`
        SELECT coalesce(seq_scan, 0)::int AS seq, coalesce(idx_scan, 0)::int AS idx
        FROM pg_stat_xact_user_tables WHERE relname = ${table}
      `);
      return { seq: Number(row?.seq ?? 0), idx: Number(row?.idx ?? 0) };
    };
    const before = await read();
    await statement(tx as unknown as Db);
    const after = await read();
    return { seq: after.seq - before.seq, idx: after.idx - before.idx };
  });
}

describe('the push and learning statements on big tables', () => {
  let database: Database;
  beforeAll(async () => {
    const target = await freshStorageTarget();
    database = await openDatabase(target);
    await database.db.execute(sql`
      INSERT INTO processed_pushes (key, status, finished_at)
      SELECT 'old-' || g, 'done', now() FROM generate_series(1, ${ROWS}) g
    `);
    await database.db.execute(sql`
      INSERT INTO unanswered_questions (text, normalized, status)
      SELECT '旧问题' || g, '旧问题' || g, CASE WHEN g % 2 = 0 THEN 'dismissed' ELSE 'open' END
      FROM generate_series(1, ${ROWS}) g
    `);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('marks a push done by looking its key up, not by scanning every push ever stored', async () => {
    const db = database.db;
    const [recorded] = await recordInboundBatch(db, [
      { key: 'plan-1', openid: 'o-plan-1', at: new Date(), kind: 'text', content: '你好', payload: null, subscribed: null, interaction: true },
    ]);
    if (!recorded?.claimed || !recorded.turn) throw new Error('push not recorded');
    const conversationId = recorded.turn.conversation.id;
    const scanned = await scansBy(db, 'processed_pushes', (tx) =>
      recordPassiveReplies(tx, [{ key: 'plan-1', conversationId, content: '您好', xml: '<xml>reply</xml>' }]),
    );
    expect(scanned).toEqual({ seq: 0, idx: 1 });
    expect(await rowsOf(db, sql`SELECT status, reply FROM processed_pushes WHERE key = 'plan-1'`)).toEqual([{ status: 'done', reply: '<xml>reply</xml>' }]);
  });

  it('still marks a push done by index once the tables have statistics (the maintenance pass analyses them)', async () => {
    const db = database.db;
    await db.execute(sql`ANALYZE processed_pushes`);
    const [recorded] = await recordInboundBatch(db, [
      { key: 'plan-2', openid: 'o-plan-2', at: new Date(), kind: 'text', content: '你好', payload: null, subscribed: null, interaction: true },
    ]);
    if (!recorded?.claimed || !recorded.turn) throw new Error('push not recorded');
    const conversationId = recorded.turn.conversation.id;
    const scanned = await scansBy(db, 'processed_pushes', (tx) => recordPassiveReplies(tx, [{ key: 'plan-2', conversationId, content: '您好', xml: null }]));
    expect(scanned).toEqual({ seq: 0, idx: 1 });
  });

  it('counts a repeated unanswered question in its cluster by id, not by scanning the whole log', async () => {
    const db = database.db;
    await logUnansweredBatch(db, ['报表取数公式总是报错']);
    const scanned = await scansBy(db, 'unanswered_questions', (tx) => logUnansweredBatch(tx, ['报表取数公式总是报错？']));
    expect(scanned.seq).toBe(0);
    expect(scanned.idx).toBeGreaterThan(0);
    expect(await rowsOf(db, sql`SELECT count, variants FROM unanswered_questions WHERE text = '报表取数公式总是报错'`)).toEqual([{ count: 2, variants: ['报表取数公式总是报错？'] }]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { rowsOf } from '../../server/db/raw.js';
import { customers } from '../../server/db/schema.js';
import { PgliteThread } from '../../server/db/pglite-thread.js';

/**
 * The embedded database runs PGlite on its own thread. What callers rely on must hold across
 * that boundary: the event loop stays free during a statement, errors keep their SQLSTATE,
 * transactions commit or roll back as a whole, and values come back with their types.
 */
describe('PGlite on its own thread', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'pglite-thread-')) });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('leaves the event loop free while a long statement runs', async () => {
    let ticks = 0;
    let worstGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    const [row] = await rowsOf<{ n: string }>(database.db, sql`SELECT count(*)::text AS n FROM generate_series(1, 3000000) g, LATERAL (SELECT md5(g::text)) m`);
    const took = performance.now() - started;
    clearInterval(timer);
    expect(row!.n).toBe('3000000');
    // On the request thread the statement ran in one synchronous WASM call: no tick at all.
    expect(took).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThan(took / 5 / 4);
    expect(worstGap).toBeLessThan(Math.max(60, took / 3));
  });

  it('keeps the SQLSTATE and detail of a database error', async () => {
    await database.db.insert(customers).values({ openid: 'oThreadUnique' });
    const err = await database.db
      .insert(customers)
      .values({ openid: 'oThreadUnique' })
      .then(() => undefined, (e: unknown) => e as { code?: string; cause?: { code?: string; detail?: string } });
    const code = err?.code ?? err?.cause?.code;
    expect(code).toBe('23505');
    expect(err?.cause?.detail ?? '').toContain('oThreadUnique');
  });

  it('commits a transaction as a whole, and rolls it back as a whole when it throws', async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(customers).values({ openid: 'oThreadTxA' });
      await tx.insert(customers).values({ openid: 'oThreadTxB' });
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(customers).values({ openid: 'oThreadTxC' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const names = (await database.db.select({ openid: customers.openid }).from(customers)).map((r) => r.openid);
    expect(names).toEqual(expect.arrayContaining(['oThreadTxA', 'oThreadTxB']));
    expect(names).not.toContain('oThreadTxC');
  });

  it('runs a statement sent during a transaction after it, seeing its commit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = database.db.transaction(async (t) => {
      await t.insert(customers).values({ openid: 'oThreadOrder' });
      await gate;
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = database.db.select().from(customers).where(eq(customers.openid, 'oThreadOrder'));
    release();
    await tx;
    expect(await outside).toHaveLength(1);
  });

  it('returns values with their types: timestamps as Dates through Drizzle, json, bigint, bytea', async () => {
    const [c] = await database.db.select().from(customers).where(eq(customers.openid, 'oThreadTxA'));
    expect(c!.createdAt).toBeInstanceOf(Date);
    const [row] = await rowsOf<{ j: { a: number[] }; b: bigint | number | string; x: Uint8Array }>(
      database.db,
      sql`SELECT '{"a":[1,2]}'::jsonb AS j, 9007199254740993::int8 AS b, '\\x0102ff'::bytea AS x`,
    );
    expect(row!.j).toEqual({ a: [1, 2] });
    expect(String(row!.b)).toBe('9007199254740993');
    expect([...row!.x]).toEqual([1, 2, 255]);
  });

  it('rejects statements after the thread is closed, without taking the process down', async () => {
    const thread = await PgliteThread.open(join(mkdtempSync(join(tmpdir(), 'pglite-thread-closed-')), 'pglite'));
    expect((await thread.query('select 1 AS one')).rows).toEqual([{ one: 1 }]);
    await thread.close();
    await expect(thread.query('select 1')).rejects.toThrow(/PGlite thread/);
  });
});

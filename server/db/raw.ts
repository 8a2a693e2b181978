import { sql, type SQL } from 'drizzle-orm';

/** The database or a transaction: anything that runs a raw statement. */
export interface RawExecutor {
  execute(query: SQL): PromiseLike<unknown>;
}

/** Rows of a raw statement, the same on PGlite and node-postgres. */
export async function rowsOf<T>(db: RawExecutor, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** Rows a raw INSERT / UPDATE / DELETE changed (PGlite says affectedRows, node-postgres rowCount). */
export async function affectedBy(db: RawExecutor, query: SQL): Promise<number> {
  const result = (await db.execute(query)) as { affectedRows?: number; rowCount?: number | null };
  return Number(result.affectedRows ?? result.rowCount ?? 0);
}

/** A timestamp column read raw: a Date from node-postgres, a string from a JSON row. */
export const toDate = (v: Date | string | null | undefined): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v));
export const iso = (v: Date | string | null | undefined): string | null => toDate(v)?.toISOString() ?? null;

/** A timestamp parameter, typed for PostgreSQL whichever driver serialises it. */
export const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

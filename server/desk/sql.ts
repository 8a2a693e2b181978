import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../chat/conversations.repo.js';

/** Rows of a raw statement, the same on PGlite and node-postgres. */
export async function rowsOf<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

export const toDate = (v: Date | string | null | undefined): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v));
export const iso = (v: Date | string | null | undefined): string | null => toDate(v)?.toISOString() ?? null;

/** A timestamp parameter, typed for PostgreSQL whichever driver serialises it. */
export const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

/**
 * When we received the customer's last message, by our clock: the quota's sends are counted from
 * here (WeChat's CreateTime, in last_interaction_at, may be skewed against our created_at).
 * Needs the customer as `cu`.
 */
export const lastInboundAt = sql`(SELECT max(m.created_at) FROM messages m JOIN conversations cc ON cc.id = m.conversation_id
  WHERE cc.customer_id = cu.id AND m.direction = 'in' AND m.kind <> 'unsubscribe')`;

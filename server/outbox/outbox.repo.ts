import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../chat/conversations.repo.js';
import { outbox } from '../db/schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxPayload = { type: 'text'; content: string };

/** How long a claimed row stays ours before another worker may take it over (crash recovery). */
const LEASE_MS = 60_000;

export async function enqueue(db: DbOrTx, item: { openid: string; messageId?: number; payload: OutboxPayload }): Promise<OutboxRow> {
  const [row] = await db
    .insert(outbox)
    .values({ openid: item.openid, messageId: item.messageId, kind: item.payload.type, payload: item.payload })
    .returning();
  return row!;
}

/**
 * Claims up to `limit` due rows, oldest first, for this worker: pending rows whose time
 * has come, and 'sending' rows whose lease ran out (their worker died).
 * SKIP LOCKED lets several instances claim side by side without waiting on each other.
 */
export async function claimDue(db: DbOrTx, now: Date, limit = 10): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(inArray(outbox.status, ['pending', 'sending']), lte(outbox.nextAttemptAt, now)))
    .orderBy(outbox.id)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outbox)
    .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(outbox.id, due))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

export async function markSent(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db.update(outbox).set({ status: 'sent', sentAt: at, lastErrorCode: null, lastError: null }).where(eq(outbox.id, id));
}

/** 45015/45047: kept, and due again when the customer writes (see chat/push-turn.repo.ts). */
export async function markHeld(db: DbOrTx, id: number, code: number, message: string): Promise<void> {
  await db.update(outbox).set({ status: 'held', lastErrorCode: code, lastError: message }).where(eq(outbox.id, id));
}

export async function markRetry(db: DbOrTx, id: number, at: Date, code: number | null, message: string): Promise<void> {
  await db.update(outbox).set({ status: 'pending', nextAttemptAt: at, lastErrorCode: code, lastError: message }).where(eq(outbox.id, id));
}

export async function markFailed(db: DbOrTx, id: number, code: number | null, message: string): Promise<void> {
  await db.update(outbox).set({ status: 'failed', lastErrorCode: code, lastError: message }).where(eq(outbox.id, id));
}

export async function listByOpenid(db: DbOrTx, openid: string): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.openid, openid)).orderBy(outbox.id);
}

import { and, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { outbox } from '../db/schema.js';
import { rowsOf, ts } from '../db/raw.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxPayload = { type: 'text'; content: string };

/**
 * How long a claimed row stays ours before another worker may take it over (crash recovery).
 * WeChat's custom send has no idempotency key, so a row whose worker died mid-send is sent again
 * once the lease is over: delivery is at least once, and such a row is marked possible_duplicate
 * for the agent to see (docs/outbox.md). The lease only has to outlast one send (5 s timeout).
 */
export const LEASE_MS = 60_000;

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
    .set({
      status: 'sending',
      attempts: sql`${outbox.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + LEASE_MS),
      // Still 'sending' here means a send was started and its outcome never stored.
      possibleDuplicate: sql`${outbox.possibleDuplicate} OR ${outbox.status} = 'sending'`,
    })
    .where(inArray(outbox.id, due))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

/** The delivery state a desk message shows (common/desk-api.ts DeskMessage.delivery). */
export type Delivery = 'sent' | 'held_window' | 'held_quota' | 'failed' | 'pending';

/** The history message whose delivery state changed, for the 'message.delivery' event. */
export interface DeliveryChange {
  conversationId: number;
  messageId: number;
  delivery: Delivery;
  possibleDuplicate: boolean;
}

/**
 * Sets the outbox row's status and, in the same statement, its history message's delivery.
 * A late bot answer keeps its 'custom' mark once sent (that is what it means); it does show
 * held and failed states.
 */
async function settle(db: DbOrTx, id: number, outboxSet: SQL, delivery: Delivery): Promise<DeliveryChange | null> {
  const [row] = await rowsOf<{ id: number | string; conversation_id: number; possible_duplicate: boolean }>(db, sql`
    WITH o AS (UPDATE outbox SET ${outboxSet} WHERE id = ${id} RETURNING message_id, possible_duplicate)
    UPDATE messages m SET delivery = ${delivery} FROM o
    WHERE m.id = o.message_id AND NOT (m.delivery = 'custom' AND ${delivery} = 'sent') AND m.delivery IS DISTINCT FROM ${delivery}
    RETURNING m.id, m.conversation_id, o.possible_duplicate`);
  return row ? { conversationId: row.conversation_id, messageId: Number(row.id), delivery, possibleDuplicate: Boolean(row.possible_duplicate) } : null;
}

export function markSent(db: DbOrTx, id: number, at: Date): Promise<DeliveryChange | null> {
  return settle(db, id, sql`status = 'sent', sent_at = ${ts(at)}, last_error_code = NULL, last_error = NULL`, 'sent');
}

/** 45015/45047: kept, and due again when the customer writes (see chat/push-turn.repo.ts). */
export function markHeld(db: DbOrTx, id: number, code: number, message: string): Promise<DeliveryChange | null> {
  return settle(db, id, sql`status = 'held', last_error_code = ${code}, last_error = ${message}`, code === 45047 ? 'held_quota' : 'held_window');
}

export async function markRetry(db: DbOrTx, id: number, at: Date, code: number | null, message: string): Promise<void> {
  await db.update(outbox).set({ status: 'pending', nextAttemptAt: at, lastErrorCode: code, lastError: message }).where(eq(outbox.id, id));
}

export function markFailed(db: DbOrTx, id: number, code: number | null, message: string): Promise<DeliveryChange | null> {
  return settle(db, id, sql`status = 'failed', last_error_code = ${code}, last_error = ${message}`, 'failed');
}

/**
 * 重发: a message whose send failed for good goes back into the outbox, due now, with fresh
 * attempts. Only a failed row moves (a second click, or a resend racing the worker, is a no-op):
 * returns the change, or null when the message has no failed outbox row.
 */
export async function requeueFailed(db: DbOrTx, messageId: number, now: Date): Promise<(DeliveryChange & { outboxId: number }) | null> {
  const [row] = await rowsOf<{ id: number | string; conversation_id: number; outbox_id: number | string; possible_duplicate: boolean }>(db, sql`
    WITH o AS (
      UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ${ts(now)}, last_error_code = NULL, last_error = NULL
      WHERE message_id = ${messageId} AND status = 'failed' RETURNING id, message_id, possible_duplicate)
    UPDATE messages m SET delivery = 'pending' FROM o WHERE m.id = o.message_id
    RETURNING m.id, m.conversation_id, o.id AS outbox_id, o.possible_duplicate`);
  return row
    ? { conversationId: row.conversation_id, messageId: Number(row.id), delivery: 'pending', possibleDuplicate: Boolean(row.possible_duplicate), outboxId: Number(row.outbox_id) }
    : null;
}

export async function listByOpenid(db: DbOrTx, openid: string): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.openid, openid)).orderBy(outbox.id);
}

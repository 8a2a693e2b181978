import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { conversationRatings } from '../db/schema.js';
import { rowsOf, ts } from '../db/raw.js';

/** What the desk keeps on a customer: the rating asked for, the rating given, the bind link offered. */

/** The customer is asked to rate this chat from now. */
export async function askRating(tx: DbOrTx, customerId: number, conversationId: number, now: Date): Promise<void> {
  await tx.execute(sql`UPDATE customers SET rating_pending_conversation_id = ${conversationId}, rating_asked_at = ${ts(now)} WHERE id = ${customerId}`);
}

/**
 * Takes the pending rating request for this chat off the customer (one conditional UPDATE, so a
 * rating is stored once); false when it was not pending any more.
 */
export async function claimPendingRating(tx: DbOrTx, customerId: number, conversationId: number): Promise<boolean> {
  const cleared = await rowsOf<{ id: number }>(tx, sql`
        UPDATE customers SET rating_pending_conversation_id = NULL, rating_asked_at = NULL
        WHERE id = ${customerId} AND rating_pending_conversation_id = ${conversationId} RETURNING id`);
  return cleared.length > 0;
}

/** Stores the rating of a chat, for the agent who served it; a second one for the same chat is ignored. */
export async function storeRating(tx: DbOrTx, r: { conversationId: number; customerId: number; score: number; comment: string | null }): Promise<void> {
  const [conv] = await rowsOf<{ assignee_id: number | null }>(tx, sql`SELECT assignee_id FROM conversations WHERE id = ${r.conversationId}`);
  await tx
    .insert(conversationRatings)
    .values({ conversationId: r.conversationId, customerId: r.customerId, staffId: conv?.assignee_id ?? null, score: r.score, comment: r.comment })
    .onConflictDoNothing();
}

/**
 * Claims the bind offer for an unbound customer not offered it within `everyMs` (one conditional
 * UPDATE, so two instances do not both make it); false when it is not due.
 */
export async function claimBindOffer(db: DbOrTx, customerId: number, now: Date, everyMs: number): Promise<boolean> {
  const claimed = await rowsOf<{ id: number }>(db, sql`
      UPDATE customers SET bind_offered_at = ${ts(now)}
      WHERE id = ${customerId} AND account_id IS NULL
        AND (bind_offered_at IS NULL OR bind_offered_at <= ${ts(new Date(now.getTime() - everyMs))})
      RETURNING id`);
  return claimed.length > 0;
}

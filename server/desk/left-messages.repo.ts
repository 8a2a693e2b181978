import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { leftMessages } from '../db/schema.js';
import { rowsOf, ts } from '../db/raw.js';

/**
 * Left messages. The customer's side: the first line creates one, the next ones join it while it
 * is open; each such write also touches the chat, whose updated_at starts the follow-up window.
 * The staff's side: locking one to answer it, and marking it handled.
 */

/** Appends a line to the chat's latest left message while it is open (one statement); false when there is none open. */
export async function joinLeftMessage(db: DbOrTx, conversationId: number, line: string, maxChars: number, now: Date): Promise<boolean> {
  const joined = await rowsOf<{ id: number }>(db, sql`
        WITH lm AS (
          UPDATE left_messages SET content = left(content || E'\n' || ${line}, ${maxChars})
          WHERE id = (SELECT id FROM left_messages WHERE conversation_id = ${conversationId} ORDER BY id DESC LIMIT 1) AND status = 'open'
          RETURNING id)
        UPDATE conversations SET updated_at = ${ts(now)} FROM lm WHERE conversations.id = ${conversationId} RETURNING lm.id`);
  return joined.length > 0;
}

export async function hasLeftMessage(db: DbOrTx, conversationId: number): Promise<boolean> {
  const left = await rowsOf<{ id: number }>(db, sql`
        SELECT id FROM left_messages WHERE conversation_id = ${conversationId} LIMIT 1`);
  return left.length > 0;
}

/** Stores the first line of a left message and touches its chat, in one transaction. */
export async function createLeftMessage(db: Db, m: { conversationId: number; customerId: number; content: string }, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(leftMessages).values({ conversationId: m.conversationId, customerId: m.customerId, content: m.content });
    await tx.execute(sql`UPDATE conversations SET updated_at = ${ts(now)} WHERE id = ${m.conversationId}`);
  });
}

/** A left message's chat and customer, locked for answering it; null when there is none. */
export async function lockLeftMessage(tx: DbOrTx, id: number): Promise<{ conversationId: number; openid: string } | null> {
  const [row] = await rowsOf<{ conversation_id: number; openid: string }>(tx, sql`
    SELECT l.conversation_id, cu.openid FROM left_messages l JOIN customers cu ON cu.id = l.customer_id
    WHERE l.id = ${id} FOR UPDATE OF l`);
  return row ? { conversationId: row.conversation_id, openid: row.openid } : null;
}

/** Marks a left message handled by this staff member; false when there is no such message. */
export async function markLeftMessageHandled(db: DbOrTx, id: number, staffId: number, at: Date): Promise<boolean> {
  const rows = await rowsOf<{ id: number }>(db, sql`
    UPDATE left_messages SET status = 'done', handled_by = ${staffId}, handled_at = ${ts(at)} WHERE id = ${id} RETURNING id`);
  return rows.length > 0;
}

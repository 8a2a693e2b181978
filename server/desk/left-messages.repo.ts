import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { leftMessages } from '../db/schema.js';
import { rowsOf, ts } from '../db/raw.js';

/**
 * A customer's left message as they type it: the first line creates it, the next ones join it
 * while it is open. Each write also touches the chat, whose updated_at starts the follow-up window.
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

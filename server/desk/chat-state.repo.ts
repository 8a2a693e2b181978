import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rowsOf, ts } from '../db/raw.js';

/**
 * The desk's writes and reads of a conversation's state outside the queue: message mode, who
 * waits for whom, transfer, closing, and which chats the sweeper closes.
 */

/** Out of hours: the chat waits for a left message (a chat already queued or served is left alone). */
export async function enterMessageMode(db: DbOrTx, conversationId: number, now: Date): Promise<void> {
  await db.execute(sql`UPDATE conversations SET status = 'message', updated_at = ${ts(now)} WHERE id = ${conversationId} AND status IN ('bot', 'message')`);
}

/** The customer wrote to a served chat: they wait for the agent from now, unless they already did. */
export async function markAwaitingAgent(db: DbOrTx, conversationId: number, now: Date): Promise<void> {
  await db.execute(sql`UPDATE conversations SET awaiting_agent_since = ${ts(now)} WHERE id = ${conversationId} AND awaiting_agent_since IS NULL`);
}

/** The agent answered: nobody waits any more. */
export async function markAgentAnswered(db: DbOrTx, conversationId: number, now: Date): Promise<void> {
  await db.execute(sql`UPDATE conversations SET awaiting_agent_since = NULL, updated_at = ${ts(now)} WHERE id = ${conversationId}`);
}

export interface ChatRow {
  id: number;
  status: string;
  assignee_id: number | null;
  assigned_at: unknown;
  customer_id: number;
  openid: string;
}

/** A chat with its customer's openid; `lock` takes its row lock (inside a transaction). */
export async function chatById(db: DbOrTx, id: number, lock: boolean): Promise<ChatRow | undefined> {
  const [c] = await rowsOf<ChatRow>(db, sql`
      SELECT c.id, c.status, c.assignee_id, c.assigned_at, c.customer_id, cu.openid FROM conversations c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`);
  return c;
}

/** Hands a served chat to another agent; a customer waiting for an answer waits for the new one from now. */
export async function transferChat(tx: DbOrTx, conversationId: number, toStaffId: number, now: Date): Promise<void> {
  await tx.execute(sql`
        UPDATE conversations SET assignee_id = ${toStaffId}, assigned_at = ${ts(now)}, updated_at = ${ts(now)},
          awaiting_agent_since = CASE WHEN awaiting_agent_since IS NOT NULL THEN ${ts(now)} END
        WHERE id = ${conversationId}`);
}

export interface ClosedChat {
  id: number;
  customer_id: number;
  assignee_id: number | null;
  assigned_at: unknown;
  /** The status it had before. */
  was: string;
  openid: string;
}

/** Closes an open chat (locking it first); undefined when it was closed already. */
export async function closeChat(tx: DbOrTx, conversationId: number, reason: string, now: Date): Promise<ClosedChat | undefined> {
  const [row] = await rowsOf<ClosedChat>(tx, sql`
      WITH prev AS (SELECT id, status AS was FROM conversations WHERE id = ${conversationId} AND status <> 'closed' FOR UPDATE),
      upd AS (
        UPDATE conversations c SET status = 'closed', closed_at = ${ts(now)}, updated_at = ${ts(now)}, close_reason = ${reason}, awaiting_agent_since = NULL
        FROM prev WHERE c.id = prev.id
        RETURNING c.id, c.customer_id, c.assignee_id, c.assigned_at, prev.was)
      SELECT upd.*, cu.openid FROM upd JOIN customers cu ON cu.id = upd.customer_id`);
  return row;
}

/**
 * Chats silent for longer than `idleS`: served ones with nobody waiting for the agent and no
 * message either way, and ones waiting for a left message that never came.
 */
export async function idleChats(tx: DbOrTx, now: Date, idleS: number): Promise<Array<{ id: number; status: string }>> {
  const idle = sql`${ts(now)} - make_interval(secs => ${idleS})`;
  return rowsOf<{ id: number; status: string }>(tx, sql`
      SELECT c.id, c.status FROM conversations c
      WHERE (c.status = 'assigned' AND c.awaiting_agent_since IS NULL AND GREATEST(c.assigned_at,
              (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.direction <> 'note')) < ${idle})
         OR (c.status = 'message' AND c.updated_at < ${idle} AND NOT EXISTS (SELECT 1 FROM left_messages l WHERE l.conversation_id = c.id))
      LIMIT 50`);
}

/** Chats with a left message whose follow-up window (`followUpS` since the last line) has passed. */
export async function chatsWithCompleteLeftMessage(tx: DbOrTx, now: Date, followUpS: number): Promise<Array<{ id: number }>> {
  return rowsOf<{ id: number }>(tx, sql`
      SELECT c.id FROM conversations c
      WHERE c.status = 'message' AND c.updated_at < ${ts(now)} - make_interval(secs => ${followUpS})
        AND EXISTS (SELECT 1 FROM left_messages l WHERE l.conversation_id = c.id)
      LIMIT 50`);
}

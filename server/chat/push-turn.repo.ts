import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Conversation, Customer } from './conversations.repo.js';
import type { Turn } from './ports.js';

/**
 * The two statements of a push's hot path (issue #2's benchmark: a push must cost the
 * database two round trips, not eleven). Each is one atomic statement, so no BEGIN/COMMIT.
 */
export interface InboundRecord {
  key: string;
  openid: string;
  at: Date;
  kind: string;
  content: string;
  payload: unknown;
  /** true for subscribe, false for unsubscribe, null for anything else. */
  subscribed: boolean | null;
  /** A message or interaction (not an unsubscribe): it opens the 48 h window again. */
  interaction: boolean;
}

export type RecordedInbound =
  | { claimed: false }
  | { claimed: true; turn: Turn; releasedHeld: number }
  /** Claimed, but the conversation could not be created in the same statement (a race with another instance). */
  | { claimed: true; turn: null; customer: Customer; releasedHeld: number };

/**
 * Claims the push (dedupe), creates or touches the customer, finds or opens the conversation,
 * stores the message, and releases the customer's held outbox messages: one statement.
 */
export async function recordInbound(db: Db, r: InboundRecord): Promise<RecordedInbound> {
  const result = await db.execute(sql`
    WITH claim AS (
      INSERT INTO processed_pushes (key) VALUES (${r.key}) ON CONFLICT DO NOTHING RETURNING key
    ), cust AS (
      INSERT INTO customers (openid, last_interaction_at, subscribed)
      SELECT ${r.openid}, ${r.at.toISOString()}::timestamptz, COALESCE(${r.subscribed}::boolean, true) FROM claim
      ON CONFLICT (openid) DO UPDATE SET
        last_interaction_at = CASE WHEN ${r.interaction}::boolean THEN EXCLUDED.last_interaction_at ELSE customers.last_interaction_at END,
        subscribed = COALESCE(${r.subscribed}::boolean, customers.subscribed)
      RETURNING *
    ), existing AS (
      SELECT c.* FROM conversations c JOIN cust ON c.customer_id = cust.id
      WHERE c.channel = 'wechat' AND c.status <> 'closed' LIMIT 1
    ), created AS (
      INSERT INTO conversations (customer_id, channel)
      SELECT id, 'wechat' FROM cust WHERE NOT EXISTS (SELECT 1 FROM existing)
      ON CONFLICT DO NOTHING RETURNING *
    ), conv AS (
      SELECT * FROM existing UNION ALL SELECT * FROM created
    ), msg AS (
      INSERT INTO messages (conversation_id, direction, sender, kind, content, payload, wechat_key)
      SELECT id, 'in', 'customer', ${r.kind}, ${r.content}, ${JSON.stringify(r.payload)}::jsonb, ${r.key} FROM conv
      RETURNING id
    ), released AS (
      UPDATE outbox SET status = 'pending', next_attempt_at = now()
      WHERE openid = ${r.openid} AND status = 'held' AND ${r.interaction}::boolean AND EXISTS (SELECT 1 FROM claim)
      RETURNING id
    )
    SELECT
      (SELECT key FROM claim) AS claimed,
      cust.id AS customer_id, cust.subscribed, cust.last_interaction_at, cust.created_at AS customer_created_at,
      conv.id AS conversation_id, conv.status, conv.assignee_id, conv.created_at AS conversation_created_at,
      conv.updated_at AS conversation_updated_at,
      (SELECT id FROM msg) AS message_id,
      (SELECT count(*) FROM released)::int AS released
    FROM (SELECT 1) AS one LEFT JOIN cust ON true LEFT JOIN conv ON true
  `);
  const row = (result as unknown as { rows: RawRow[] }).rows[0];
  if (!row || row.claimed === null) return { claimed: false };
  const customer: Customer = {
    id: row.customer_id!,
    openid: r.openid,
    subscribed: row.subscribed!,
    lastInteractionAt: toDate(row.last_interaction_at),
    createdAt: toDate(row.customer_created_at)!,
  };
  if (row.conversation_id === null || row.message_id === null) return { claimed: true, turn: null, customer, releasedHeld: row.released };
  const conversation: Conversation = {
    id: row.conversation_id,
    customerId: customer.id,
    channel: 'wechat',
    status: row.status!,
    assigneeId: row.assignee_id,
    createdAt: toDate(row.conversation_created_at)!,
    updatedAt: toDate(row.conversation_updated_at)!,
    closedAt: null,
  };
  return { claimed: true, turn: { customer, conversation, messageId: Number(row.message_id) }, releasedHeld: row.released };
}

/** Stores the passive reply (if any) and marks the push done with its reply XML: one statement. */
export async function recordPassiveReply(
  db: Db,
  p: { key: string; conversationId: number; content: string | null; xml: string | null },
): Promise<number | null> {
  const result = await db.execute(sql`
    WITH m AS (
      INSERT INTO messages (conversation_id, direction, sender, kind, content, delivery)
      SELECT ${p.conversationId}, 'out', 'bot', 'text', ${p.content}::text, 'passive' WHERE ${p.content}::text IS NOT NULL
      RETURNING id
    )
    UPDATE processed_pushes SET status = 'done', reply = ${p.xml}::text, finished_at = now()
    WHERE key = ${p.key}
    RETURNING (SELECT id FROM m) AS message_id
  `);
  const id = (result as unknown as { rows: Array<{ message_id: number | string | null }> }).rows[0]?.message_id;
  return id === null || id === undefined ? null : Number(id);
}

interface RawRow {
  claimed: string | null;
  customer_id: number | null;
  subscribed: boolean | null;
  last_interaction_at: Date | string | null;
  customer_created_at: Date | string | null;
  conversation_id: number | null;
  status: string | null;
  assignee_id: number | null;
  conversation_created_at: Date | string | null;
  conversation_updated_at: Date | string | null;
  message_id: number | string | null;
  released: number;
}

function toDate(v: Date | string | null): Date | null {
  return v === null ? null : v instanceof Date ? v : new Date(v);
}

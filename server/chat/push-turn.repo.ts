import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Conversation, Customer } from './conversations.repo.js';
import type { Turn } from './ports.js';

/**
 * The two statements of a push's hot path, each for a whole batch of concurrent pushes
 * (issue #2's benchmark: eleven round trips per push capped the gateway at ~265 pushes/s).
 * Each is one atomic statement, so no BEGIN/COMMIT.
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
 * For a batch of pushes from distinct customers (see platform/batcher.ts), in one statement:
 * claims each push (dedupe), creates or touches the customer, finds or opens the conversation,
 * stores the message, and releases the customer's held outbox messages.
 */
export async function recordInboundBatch(db: Db, records: InboundRecord[]): Promise<RecordedInbound[]> {
  const input = records.map((r, i) => ({
    ord: i,
    key: r.key,
    openid: r.openid,
    at: r.interaction ? r.at.toISOString() : null,
    kind: r.kind,
    content: r.content,
    payload: r.payload ?? null,
    subscribed: r.subscribed,
  }));
  const result = await db.execute(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS t(ord int, key text, openid text, at timestamptz, kind text, content text, payload jsonb, subscribed boolean)
    ), claim AS (
      INSERT INTO processed_pushes (key) SELECT key FROM input ON CONFLICT DO NOTHING RETURNING key
    ), cin AS (
      SELECT input.* FROM input JOIN claim USING (key)
    ), touched AS (
      -- A message or an interaction: the 48 h window opens again; the subscription is unchanged.
      INSERT INTO customers (openid, last_interaction_at)
      SELECT openid, at FROM cin WHERE subscribed IS NULL
      ON CONFLICT (openid) DO UPDATE SET last_interaction_at = COALESCE(EXCLUDED.last_interaction_at, customers.last_interaction_at)
      RETURNING *
    ), resubscribed AS (
      -- subscribe / unsubscribe (an unsubscribe carries no interaction time).
      INSERT INTO customers (openid, last_interaction_at, subscribed)
      SELECT openid, at, subscribed FROM cin WHERE subscribed IS NOT NULL
      ON CONFLICT (openid) DO UPDATE SET
        last_interaction_at = COALESCE(EXCLUDED.last_interaction_at, customers.last_interaction_at),
        subscribed = EXCLUDED.subscribed
      RETURNING *
    ), cust AS (
      SELECT * FROM touched UNION ALL SELECT * FROM resubscribed
    ), existing AS (
      SELECT DISTINCT ON (c.customer_id) c.* FROM conversations c JOIN cust ON c.customer_id = cust.id
      WHERE c.channel = 'wechat' AND c.status <> 'closed'
      ORDER BY c.customer_id, c.id
    ), created AS (
      INSERT INTO conversations (customer_id, channel)
      SELECT cust.id, 'wechat' FROM cust WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.customer_id = cust.id)
      ON CONFLICT DO NOTHING RETURNING *
    ), conv AS (
      SELECT * FROM existing UNION ALL SELECT * FROM created
    ), msg AS (
      INSERT INTO messages (conversation_id, direction, sender, kind, content, payload, wechat_key)
      SELECT conv.id, 'in', 'customer', cin.kind, cin.content, cin.payload, cin.key
      FROM cin JOIN cust ON cust.openid = cin.openid JOIN conv ON conv.customer_id = cust.id
      RETURNING id, wechat_key
    ), released AS (
      UPDATE outbox o SET status = 'pending', next_attempt_at = now()
      FROM cin WHERE o.openid = cin.openid AND o.status = 'held' AND cin.at IS NOT NULL
      RETURNING o.openid
    )
    SELECT
      input.ord,
      claim.key IS NOT NULL AS claimed,
      cust.id AS customer_id, cust.subscribed, cust.last_interaction_at, cust.created_at AS customer_created_at,
      conv.id AS conversation_id, conv.status, conv.assignee_id, conv.created_at AS conversation_created_at,
      conv.updated_at AS conversation_updated_at,
      msg.id AS message_id,
      (SELECT count(*) FROM released r WHERE r.openid = input.openid)::int AS released
    FROM input
      LEFT JOIN claim ON claim.key = input.key
      LEFT JOIN cust ON cust.openid = input.openid AND claim.key IS NOT NULL
      LEFT JOIN conv ON conv.customer_id = cust.id
      LEFT JOIN msg ON msg.wechat_key = input.key
    ORDER BY input.ord
  `);
  const rows = (result as unknown as { rows: RawRow[] }).rows;
  return records.map((r, i) => toRecorded(r, rows.find((row) => Number(row.ord) === i)));
}

function toRecorded(r: InboundRecord, row: RawRow | undefined): RecordedInbound {
  if (!row || !row.claimed) return { claimed: false };
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

export interface PassiveReply {
  key: string;
  conversationId: number;
  /** What was said; null when the reply is an empty body. */
  content: string | null;
  xml: string | null;
}

/**
 * For a batch of pushes (distinct conversations), in one statement: stores each passive reply
 * and marks each push done with its reply XML. Returns each reply message's id, or null.
 */
export async function recordPassiveReplies(db: Db, replies: PassiveReply[]): Promise<Array<number | null>> {
  const input = replies.map((p, i) => ({ ord: i, key: p.key, conversation_id: p.conversationId, content: p.content, xml: p.xml }));
  const result = await db.execute(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS t(ord int, key text, conversation_id int, content text, xml text)
    ), m AS (
      INSERT INTO messages (conversation_id, direction, sender, kind, content, delivery)
      SELECT conversation_id, 'out', 'bot', 'text', content, 'passive' FROM input WHERE content IS NOT NULL
      RETURNING id, conversation_id
    ), done AS (
      UPDATE processed_pushes p SET status = 'done', reply = input.xml, finished_at = now()
      FROM input WHERE p.key = input.key
      RETURNING p.key
    )
    SELECT input.ord, m.id AS message_id, (SELECT count(*) FROM done)::int AS done
    FROM input LEFT JOIN m ON m.conversation_id = input.conversation_id AND input.content IS NOT NULL
    ORDER BY input.ord
  `);
  const rows = (result as unknown as { rows: Array<{ ord: number; message_id: number | string | null }> }).rows;
  return replies.map((_, i) => {
    const id = rows.find((row) => Number(row.ord) === i)?.message_id;
    return id === null || id === undefined ? null : Number(id);
  });
}

interface RawRow {
  ord: number;
  claimed: boolean | null;
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

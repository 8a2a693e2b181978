import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf, toDate } from '../db/raw.js';
import type { Conversation, Customer } from './conversations.repo.js';
import type { BotTurnRecord, Turn } from './ports.js';
import { storableScore } from '../kb/turns.service.js';

/**
 * The two statements of a push's hot path, each for a whole batch of concurrent pushes
 * (eleven round trips per push once capped the gateway at ~265 pushes/s).
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
 * The SQL is the function wx_record_inbound (server/db/functions/wx_record_inbound.sql).
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
  // One JSON text per row: parsed natively, much cheaper than 22 typed columns on PGlite.
  const texts = await rowsOf<{ j: string }>(db, sql`
    SELECT row_to_json(r)::text AS j FROM wx_record_inbound(${JSON.stringify(input)}::jsonb) r
  `);
  const rows = texts.map((row) => JSON.parse(row.j) as RawRow);
  return records.map((r, i) => toRecorded(r, rows.find((row) => Number(row.ord) === i)));
}

function toRecorded(r: InboundRecord, row: RawRow | undefined): RecordedInbound {
  if (!row || !row.claimed) return { claimed: false };
  const customer: Customer = {
    id: row.customer_id!,
    openid: r.openid,
    subscribed: row.subscribed!,
    lastInteractionAt: toDate(row.last_interaction_at),
    accountId: row.account_id ?? null,
    ratingPendingConversationId: row.rating_pending_conversation_id ?? null,
    ratingAskedAt: toDate(row.rating_asked_at ?? null),
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
    lane: row.lane ?? null,
    queuedAt: toDate(row.queued_at ?? null),
    assignedAt: toDate(row.assigned_at ?? null),
    awaitingAgentSince: toDate(row.awaiting_agent_since ?? null),
    notifiedPosition: row.notified_position ?? null,
    queueTimeoutOfferedAt: toDate(row.queue_timeout_offered_at ?? null),
    closeReason: null,
  };
  return { claimed: true, turn: { customer, conversation, messageId: Number(row.message_id) }, releasedHeld: row.released };
}

export interface PassiveReply {
  key: string;
  conversationId: number;
  /** What was said; null when the reply is an empty body. */
  content: string | null;
  xml: string | null;
  /** The bot's turn, stored in the same statement. */
  botTurn?: BotTurnRecord;
}

/**
 * For a batch of pushes (distinct conversations), in one statement: stores each passive reply
 * and the bot's turn behind it, and marks each push done with its reply XML. Returns each
 * reply message's id, or null.
 * The SQL is the function wx_record_replies (server/db/functions/wx_record_replies.sql).
 */
export async function recordPassiveReplies(db: Db, replies: PassiveReply[]): Promise<Array<number | null>> {
  const input = replies.map((p, i) => ({ ord: i, key: p.key, conversation_id: p.conversationId, content: p.content, xml: p.xml, turn: turnInput(p.botTurn) }));
  const rows = await rowsOf<{ ord: number; message_id: number | string | null }>(db, sql`
    SELECT * FROM wx_record_replies(${JSON.stringify(input)}::jsonb)
  `);
  return replies.map((_, i) => {
    const id = rows.find((row) => Number(row.ord) === i)?.message_id;
    return id === null || id === undefined ? null : Number(id);
  });
}

function turnInput(turn: BotTurnRecord | undefined): BotTurnRecord | null {
  if (!turn) return null;
  return turn.score === undefined || turn.score === null ? turn : { ...turn, score: storableScore(turn.score) };
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
  account_id: number | null;
  rating_pending_conversation_id: number | null;
  rating_asked_at: Date | string | null;
  lane: number | null;
  queued_at: Date | string | null;
  assigned_at: Date | string | null;
  awaiting_agent_since: Date | string | null;
  notified_position: number | null;
  queue_timeout_offered_at: Date | string | null;
}

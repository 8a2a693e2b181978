import { createHash } from 'node:crypto';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { ConversationStatus, ConversationSummary, CustomerBrief, DeskMessage, QueueItem, QueueLane } from '../../common/desk-api.js';
import type { Db } from '../db/client.js';
import { accounts, conversationRatings, conversations, customers, messages, staff, units } from '../db/schema.js';

/**
 * Read-only views of the desk, mapped to the contract types of common/desk-api.ts. The realtime
 * hub (desk.ws.ts) and the desk routes both use them, so the exports below are stable:
 *
 *   listQueueItems(db)                       → QueueItem[]            the whole queue, in serving order
 *   getDeskMessage(db, messageId)            → DeskMessage | null     one message with its author's name
 *   listDeskMessages(db, conversationId, o)  → DeskMessage[]          a chat's history, oldest first (after: an id)
 *   getConversationSummary(db, id)           → ConversationSummary | null
 *   listConversationSummaries(db, ids)       → ConversationSummary[]  in the order of `ids`, unknown ids left out
 *   getConversationRouting(db, id)           → { status, assigneeId } | null   who a chat's events go to
 * and the pure mappings they share: customerName, customerBrief, toDeskDelivery, deliveryNoteFor.
 */

// ---------------------------------------------------------------------------------------------
// Pure mappings

/** An unbound customer's name: "微信用户 " and the last 4 hex digits of sha1(openid), never the openid. */
export function customerName(accountDisplayName: string | null | undefined, openid: string): string {
  if (accountDisplayName) return accountDisplayName;
  return `微信用户 ${createHash('sha1').update(openid).digest('hex').slice(-4)}`;
}

export interface CustomerBriefRow {
  customerId: number;
  openid: string;
  accountId: number | null;
  accountName: string | null;
  vip: boolean | null;
  unitName: string | null;
}

export function customerBrief(r: CustomerBriefRow): CustomerBrief {
  return {
    id: r.customerId,
    name: customerName(r.accountName, r.openid),
    bound: r.accountId !== null,
    vip: r.vip === true,
    unitName: r.unitName ?? null,
  };
}

export type DeskDelivery = DeskMessage['delivery'];

const DELIVERIES = new Set<NonNullable<DeskDelivery>>(['passive', 'pending', 'sent', 'held_window', 'held_quota', 'failed']);

/**
 * messages.delivery → the contract's delivery. Only outbound messages have one; an outbound row
 * without a state is the passive reply to a push. 'custom' is the bot's late answer
 * (server/chat/push-handler.ts), which the outbox keeps as 'custom' once sent
 * (server/outbox/outbox.repo.ts settle()): it shows as sent. Unknown values show as none
 * rather than a wrong state. (server/desk/desk.queries.ts toDeskMessage maps the same way.)
 */
export function toDeskDelivery(direction: string, raw: string | null): DeskDelivery {
  if (direction !== 'out') return null;
  if (raw === null) return 'passive';
  if (raw === 'custom') return 'sent';
  return DELIVERIES.has(raw as NonNullable<DeskDelivery>) ? (raw as DeskDelivery) : null;
}

/** The clear state the agent sees on a held or failed message (issue #4, "45015 / 45047"). */
export function deliveryNoteFor(delivery: DeskDelivery): string | null {
  switch (delivery) {
    case 'held_window':
      return '客户已超过48小时未互动';
    case 'held_quota':
      return '已达条数上限';
    case 'failed':
      return '发送失败';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

const customerColumns = {
  customerId: customers.id,
  openid: customers.openid,
  accountId: customers.accountId,
  accountName: accounts.displayName,
  vip: accounts.vip,
  unitName: units.fullName,
};

/** Every queued conversation in serving order (lane, then queued time), with the customer's last message. */
export async function listQueueItems(db: Db): Promise<QueueItem[]> {
  const rows = await db
    .select({
      conversationId: conversations.id,
      lane: conversations.lane,
      queuedAt: conversations.queuedAt,
      createdAt: conversations.createdAt,
      ...customerColumns,
      lastMessage: sql<string | null>`(select m.content from messages m where m.conversation_id = ${conversations.id} and m.direction = 'in' order by m.id desc limit 1)`,
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(accounts, eq(accounts.id, customers.accountId))
    .leftJoin(units, eq(units.id, accounts.unitId))
    .where(eq(conversations.status, 'queued'))
    .orderBy(sql`coalesce(${conversations.lane}, 1)`, sql`coalesce(${conversations.queuedAt}, ${conversations.createdAt})`, asc(conversations.id));
  return rows.map((r, i) => ({
    conversationId: r.conversationId,
    customer: customerBrief(r),
    lane: (r.lane === 0 ? 0 : 1) as QueueLane,
    position: i + 1,
    queuedAt: iso(r.queuedAt ?? r.createdAt),
    lastMessage: r.lastMessage ?? null,
  }));
}

const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  direction: messages.direction,
  sender: messages.sender,
  kind: messages.kind,
  content: messages.content,
  delivery: messages.delivery,
  staffId: messages.staffId,
  staffName: staff.displayName,
  createdAt: messages.createdAt,
};
interface MessageRow {
  id: number;
  conversationId: number;
  direction: string;
  sender: string;
  kind: string;
  content: string;
  delivery: string | null;
  staffId: number | null;
  staffName: string | null;
  createdAt: Date;
}

/** One message as the console shows it, with its author's display name; null when unknown. */
export async function getDeskMessage(db: Db, messageId: number): Promise<DeskMessage | null> {
  const [row] = await db.select(messageColumns).from(messages).leftJoin(staff, eq(staff.id, messages.staffId)).where(eq(messages.id, messageId)).limit(1);
  return row ? toDeskMessage(row) : null;
}

/** A conversation's messages oldest first, notes included; `after` (a message id) for what a console missed. */
export async function listDeskMessages(db: Db, conversationId: number, opts: { after?: number; limit?: number } = {}): Promise<DeskMessage[]> {
  const where = opts.after === undefined ? eq(messages.conversationId, conversationId) : and(eq(messages.conversationId, conversationId), gt(messages.id, opts.after));
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .leftJoin(staff, eq(staff.id, messages.staffId))
    .where(where)
    .orderBy(asc(messages.id))
    .limit(opts.limit ?? 1000);
  return rows.map(toDeskMessage);
}

function toDeskMessage(r: MessageRow): DeskMessage {
  const delivery = toDeskDelivery(r.direction, r.delivery);
  return {
    id: r.id,
    conversationId: r.conversationId,
    direction: r.direction as DeskMessage['direction'],
    sender: r.sender as DeskMessage['sender'],
    staff: r.staffId !== null ? { id: r.staffId, displayName: r.staffName ?? '' } : null,
    kind: r.kind,
    content: r.content,
    delivery,
    deliveryNote: deliveryNoteFor(delivery),
    createdAt: iso(r.createdAt),
  };
}

/** One conversation as the desk lists it; null when unknown. */
export async function getConversationSummary(db: Db, id: number): Promise<ConversationSummary | null> {
  const [summary] = await listConversationSummaries(db, [id]);
  return summary ?? null;
}

/**
 * Conversations as the desk lists them, in the order of `ids` (unknown ids are left out). One
 * statement: the last message, the unread count and the rating come from correlated subqueries
 * on the (conversation_id, id) index.
 */
export async function listConversationSummaries(db: Db, ids: readonly number[]): Promise<ConversationSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: conversations.id,
      status: conversations.status,
      assigneeId: conversations.assigneeId,
      assigneeName: staff.displayName,
      createdAt: conversations.createdAt,
      queuedAt: conversations.queuedAt,
      assignedAt: conversations.assignedAt,
      closedAt: conversations.closedAt,
      closeReason: conversations.closeReason,
      ...customerColumns,
      lastMessage: sql<string | null>`(select m.content from messages m where m.conversation_id = ${conversations.id} and m.direction <> 'note' order by m.id desc limit 1)`,
      lastMessageAt: sql<Date | null>`(select m.created_at from messages m where m.conversation_id = ${conversations.id} and m.direction <> 'note' order by m.id desc limit 1)`.mapWith(
        conversations.createdAt,
      ),
      // Customer messages since the human side took the chat and after the last agent reply.
      unread: sql<number>`(select count(*)::int from messages m where m.conversation_id = ${conversations.id} and m.direction = 'in'
        and m.created_at >= coalesce(${conversations.queuedAt}, ${conversations.createdAt})
        and m.id > coalesce((select max(a.id) from messages a where a.conversation_id = ${conversations.id} and a.direction = 'out' and a.sender = 'agent'), 0))`,
      ratingScore: conversationRatings.score,
      ratingComment: conversationRatings.comment,
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(accounts, eq(accounts.id, customers.accountId))
    .leftJoin(units, eq(units.id, accounts.unitId))
    .leftJoin(staff, eq(staff.id, conversations.assigneeId))
    .leftJoin(conversationRatings, eq(conversationRatings.conversationId, conversations.id))
    .where(inArray(conversations.id, [...ids]));
  const byId = new Map(
    rows.map((r): [number, ConversationSummary] => [
      r.id,
      {
        id: r.id,
        status: r.status as ConversationStatus,
        customer: customerBrief(r),
        assignee: r.assigneeId !== null ? { id: r.assigneeId, displayName: r.assigneeName ?? '' } : null,
        createdAt: iso(r.createdAt),
        queuedAt: isoOrNull(r.queuedAt),
        assignedAt: isoOrNull(r.assignedAt),
        closedAt: isoOrNull(r.closedAt),
        closeReason: r.closeReason,
        lastMessage: r.lastMessage ?? null,
        lastMessageAt: isoOrNull(r.lastMessageAt),
        unread: Number(r.unread ?? 0),
        rating: r.ratingScore !== null ? { score: r.ratingScore, comment: r.ratingComment } : null,
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface ConversationRouting {
  status: ConversationStatus;
  assigneeId: number | null;
}

/** The status and assignee of a conversation (who its realtime events go to); null when unknown. */
export async function getConversationRouting(db: Db, id: number): Promise<ConversationRouting | null> {
  const [row] = await db
    .select({ status: conversations.status, assigneeId: conversations.assigneeId })
    .from(conversations)
    .where(eq(conversations.id, id))
    .limit(1);
  return row ? { status: row.status as ConversationStatus, assigneeId: row.assigneeId } : null;
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value);
}

import { sql, type SQL } from 'drizzle-orm';
import type {
  AgentInfo,
  ConversationDetail,
  ConversationStatus,
  ConversationSummary,
  CustomerBrief,
  DeskMessage,
  LeftMessage,
  LeftMessageFilter,
  Page,
  QueueItem,
  QueueLane,
} from '../../common/desk-api.js';
import type { StaffRole } from '../../common/staff-api.js';
import type { DbOrTx } from '../db/client.js';
import { hashOpenid } from '../platform/logger.js';
import { iso, rowsOf, toDate } from '../db/raw.js';
import { lastInboundAt, servingOrder } from './sql.js';
import { deliveryNotes } from './texts.js';

/**
 * The desk's reads, each returning the API's shapes (common/desk-api.ts). One function per
 * question the console asks; each joins what it needs in one statement.
 */
const WINDOW_MS = 48 * 3_600_000;
export const QUOTA_TOTAL = 5;

const customerCols = sql`cu.id AS customer_id, cu.openid, a.id AS account_id, a.display_name AS account_name, COALESCE(a.vip, false) AS vip, u.full_name AS unit_name`;
const customerJoins = sql`JOIN customers cu ON cu.id = c.customer_id LEFT JOIN accounts a ON a.id = cu.account_id LEFT JOIN units u ON u.id = a.unit_id`;

interface CustomerCols {
  customer_id: number;
  openid: string;
  account_id: number | null;
  account_name: string | null;
  vip: boolean;
  unit_name: string | null;
}

export function customerBrief(r: CustomerCols): CustomerBrief {
  return {
    id: r.customer_id,
    name: r.account_name ?? `微信用户 ${hashOpenid(r.openid).slice(-4)}`,
    bound: r.account_id !== null,
    vip: Boolean(r.vip),
    unitName: r.unit_name,
  };
}

export async function listQueue(db: DbOrTx): Promise<QueueItem[]> {
  const rows = await rowsOf<CustomerCols & { id: number; lane: number | null; queued_at: unknown; position: number; last_message: string | null }>(db, sql`
    SELECT c.id, c.lane, c.queued_at, ${customerCols},
      row_number() OVER (ORDER BY ${servingOrder('c')})::int AS position,
      (SELECT m.content FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' ORDER BY m.id DESC LIMIT 1) AS last_message
    FROM conversations c ${customerJoins}
    WHERE c.status = 'queued' ORDER BY position`);
  return rows.map((r) => ({
    conversationId: r.id,
    customer: customerBrief(r),
    lane: (r.lane === 0 ? 0 : 1) as QueueLane,
    position: r.position,
    queuedAt: iso(r.queued_at as Date)!,
    lastMessage: r.last_message,
  }));
}

type SummaryRow = CustomerCols & {
  id: number;
  status: string;
  created_at: unknown;
  queued_at: unknown;
  assigned_at: unknown;
  closed_at: unknown;
  close_reason: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  last_message: string | null;
  last_message_at: unknown;
  unread: number;
  score: number | null;
  comment: string | null;
  total?: number;
};

function summarySelect(where: SQL, tail: SQL = sql``): SQL {
  return sql`
    SELECT c.id, c.status, c.created_at, c.queued_at, c.assigned_at, c.closed_at, c.close_reason,
      CASE WHEN c.assigned_at IS NOT NULL THEN s.id END AS assignee_id, CASE WHEN c.assigned_at IS NOT NULL THEN s.display_name END AS assignee_name,
      ${customerCols}, lm.content AS last_message, lm.created_at AS last_message_at,
      (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in'
        AND m.id > COALESCE((SELECT max(x.id) FROM messages x WHERE x.conversation_id = c.id AND x.sender = 'agent' AND x.direction = 'out'), 0))::int AS unread,
      r.score, r.comment, count(*) OVER ()::int AS total
    FROM conversations c ${customerJoins}
      LEFT JOIN staff s ON s.id = c.assignee_id
      LEFT JOIN conversation_ratings r ON r.conversation_id = c.id
      LEFT JOIN LATERAL (SELECT m.content, m.created_at FROM messages m WHERE m.conversation_id = c.id AND m.direction <> 'note' ORDER BY m.id DESC LIMIT 1) lm ON true
    WHERE ${where} ${tail}`;
}

function toSummary(r: SummaryRow): ConversationSummary {
  return {
    id: r.id,
    status: r.status as ConversationStatus,
    customer: customerBrief(r),
    assignee: r.assignee_id !== null ? { id: r.assignee_id, displayName: r.assignee_name ?? '' } : null,
    createdAt: iso(r.created_at as Date)!,
    queuedAt: iso(r.queued_at as Date),
    assignedAt: iso(r.assigned_at as Date),
    closedAt: iso(r.closed_at as Date),
    closeReason: r.close_reason,
    lastMessage: r.last_message,
    lastMessageAt: iso(r.last_message_at as Date),
    unread: r.unread,
    rating: r.score !== null ? { score: r.score, comment: r.comment } : null,
  };
}

export async function summaryById(db: DbOrTx, id: number): Promise<ConversationSummary | null> {
  const [row] = await rowsOf<SummaryRow>(db, summarySelect(sql`c.id = ${id}`));
  return row ? toSummary(row) : null;
}

/** An agent's open chats, oldest first. */
export async function listMine(db: DbOrTx, staffId: number, page: number, pageSize: number): Promise<Page<ConversationSummary>> {
  return pageOf(db, sql`c.status = 'assigned' AND c.assignee_id = ${staffId}`, sql`ORDER BY c.assigned_at, c.id`, page, pageSize);
}

/** Search: customer name or any message text contains q; newest first. */
export async function searchConversations(db: DbOrTx, f: { q?: string; status?: ConversationStatus }, page: number, pageSize: number): Promise<Page<ConversationSummary>> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = sql.join(
    [
      sql`true`,
      f.status ? sql`c.status = ${f.status}` : sql`true`,
      like ? sql`(a.display_name ILIKE ${like} OR u.full_name ILIKE ${like} OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content ILIKE ${like}))` : sql`true`,
    ],
    sql` AND `,
  );
  return pageOf(db, where, sql`ORDER BY c.id DESC`, page, pageSize);
}

async function pageOf(db: DbOrTx, where: SQL, order: SQL, page: number, pageSize: number): Promise<Page<ConversationSummary>> {
  const rows = await rowsOf<SummaryRow>(db, summarySelect(where, sql`${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`));
  let total = rows[0]?.total ?? 0;
  if (!rows.length && page > 1) {
    const [c] = await rowsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM conversations c ${customerJoins} WHERE ${where}`);
    total = c?.n ?? 0;
  }
  return { items: rows.map(toSummary), total, page, pageSize };
}

type MessageRow = {
  id: number | string; conversation_id: number; direction: string; sender: string; staff_id: number | null; staff_name: string | null;
  kind: string; content: string; delivery: string | null; possible_duplicate: boolean | null; created_at: unknown;
};

// possible_duplicate: the outbox row was sent again after a send whose outcome was lost (docs/outbox.md).
const messageSelect = sql`SELECT m.id, m.conversation_id, m.direction, m.sender, m.staff_id, s.display_name AS staff_name, m.kind, m.content, m.delivery,
    m.direction = 'out' AND EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.possible_duplicate) AS possible_duplicate, m.created_at
  FROM messages m LEFT JOIN staff s ON s.id = m.staff_id`;

export async function listMessages(db: DbOrTx, conversationId: number, after: number, limit = 500): Promise<DeskMessage[]> {
  const rows = await rowsOf<MessageRow>(db, sql`${messageSelect} WHERE m.conversation_id = ${conversationId} AND m.id > ${after} ORDER BY m.id LIMIT ${limit}`);
  return rows.map(toDeskMessage);
}

/** A message to the customer in this conversation (what 重发 may act on). */
export async function outboundMessageIn(db: DbOrTx, conversationId: number, id: number): Promise<boolean> {
  const [row] = await rowsOf<{ id: number }>(db, sql`SELECT 1 AS id FROM messages WHERE id = ${id} AND conversation_id = ${conversationId} AND direction = 'out'`);
  return row !== undefined;
}

export async function messageById(db: DbOrTx, id: number): Promise<DeskMessage | null> {
  const [row] = await rowsOf<MessageRow>(db, sql`${messageSelect} WHERE m.id = ${id}`);
  return row ? toDeskMessage(row) : null;
}

/** The clear state the agent sees on a held or failed message (45015 / 45047). */
export function deliveryNoteFor(delivery: DeskMessage['delivery']): string | null {
  return delivery ? (deliveryNotes[delivery] ?? null) : null;
}

export interface ConversationRouting {
  status: ConversationStatus;
  assigneeId: number | null;
}

/** The status and assignee of a conversation (who its realtime events go to); null when unknown. */
export async function conversationRouting(db: DbOrTx, id: number): Promise<ConversationRouting | null> {
  const [row] = await rowsOf<{ status: string; assignee_id: number | null }>(db, sql`SELECT status, assignee_id FROM conversations WHERE id = ${id}`);
  return row ? { status: row.status as ConversationStatus, assigneeId: row.assignee_id } : null;
}

export function toDeskMessage(r: MessageRow): DeskMessage {
  // A late bot answer is marked 'custom' once sent (server/outbox/outbox.repo.ts settle()).
  const delivery = r.direction !== 'out' ? null : ((r.delivery === 'custom' ? 'sent' : (r.delivery ?? 'passive')) as DeskMessage['delivery']);
  return {
    id: Number(r.id),
    conversationId: r.conversation_id,
    direction: r.direction as DeskMessage['direction'],
    sender: r.sender as DeskMessage['sender'],
    staff: r.staff_id !== null ? { id: r.staff_id, displayName: r.staff_name ?? '' } : null,
    kind: r.kind,
    content: r.content,
    delivery,
    deliveryNote: deliveryNoteFor(delivery),
    possibleDuplicate: Boolean(r.possible_duplicate),
    createdAt: iso(r.created_at as Date)!,
  };
}

/** The chat with the customer panel and WeChat's window and quota for this customer. */
export async function conversationDetail(db: DbOrTx, id: number, bindUrl: string, now: Date): Promise<ConversationDetail | null> {
  const summary = await summaryById(db, id);
  if (!summary) return null;
  const [p] = await rowsOf<{
    username: string | null; mobile: string | null; email: string | null; full_name: string | null; service_code: string | null;
    service_level: string | null; service_valid_until: string | null; last_interaction_at: unknown; openid: string; sent: number;
    rating_count: number; rating_avg: number | string | null;
  }>(db, sql`
    SELECT a.username, a.mobile, a.email, u.full_name, u.service_code, u.service_level, u.service_valid_until::text AS service_valid_until,
      cu.last_interaction_at, cu.openid,
      (SELECT count(*) FROM outbox o WHERE o.openid = cu.openid AND o.status <> 'failed'
        AND o.created_at >= COALESCE(${lastInboundAt}, '-infinity'::timestamptz))::int AS sent,
      (SELECT count(*) FROM conversation_ratings r WHERE r.customer_id = cu.id)::int AS rating_count,
      (SELECT avg(score)::float8 FROM conversation_ratings r WHERE r.customer_id = cu.id) AS rating_avg
    FROM conversations c ${customerJoins} WHERE c.id = ${id}`);
  const past = await rowsOf<{ id: number; created_at: unknown; closed_at: unknown; agent: string | null; score: number | null }>(db, sql`
    SELECT c.id, c.created_at, c.closed_at, CASE WHEN c.assigned_at IS NOT NULL THEN s.display_name END AS agent, r.score
    FROM conversations c LEFT JOIN staff s ON s.id = c.assignee_id LEFT JOIN conversation_ratings r ON r.conversation_id = c.id
    WHERE c.customer_id = ${summary.customer.id} AND c.id <> ${id} AND (c.queued_at IS NOT NULL OR c.assigned_at IS NOT NULL)
    ORDER BY c.id DESC LIMIT 20`);
  const last = toDate(p!.last_interaction_at as Date);
  const closesAt = last ? new Date(last.getTime() + WINDOW_MS) : null;
  const secondsLeft = closesAt ? Math.max(0, Math.floor((closesAt.getTime() - now.getTime()) / 1000)) : 0;
  return {
    ...summary,
    panel: {
      customer: summary.customer,
      account: p!.username ? { username: p!.username, mobile: p!.mobile, email: p!.email } : null,
      unit: p!.full_name ? { name: p!.full_name, serviceCode: p!.service_code!, serviceLevel: p!.service_level, serviceValidUntil: p!.service_valid_until } : null,
      bindUrl: summary.customer.bound ? null : bindUrl,
      openTickets: [],
      pastChats: past.map((c) => ({ id: c.id, createdAt: iso(c.created_at as Date)!, closedAt: iso(c.closed_at as Date), agent: c.agent, rating: c.score })),
      ratings: { count: p!.rating_count, average: p!.rating_avg === null ? null : Math.round(Number(p!.rating_avg) * 100) / 100 },
    },
    window: {
      closesAt: iso(closesAt),
      secondsLeft,
      quotaLeft: secondsLeft > 0 ? Math.max(0, QUOTA_TOTAL - p!.sent) : 0,
      quotaTotal: QUOTA_TOTAL,
    },
  };
}

export async function listAgents(db: DbOrTx, onlyId?: number): Promise<AgentInfo[]> {
  const rows = await rowsOf<{ id: number; username: string; display_name: string; role: string; status: string; max_concurrent: number; active: number }>(db, sql`
    SELECT s.id, s.username, s.display_name, s.role, s.status, s.max_concurrent,
      (SELECT count(*) FROM conversations c WHERE c.assignee_id = s.id AND c.status = 'assigned')::int AS active
    FROM staff s WHERE s.role IN ('agent', 'admin') ${onlyId !== undefined ? sql`AND s.id = ${onlyId}` : sql``} ORDER BY s.id`);
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as StaffRole,
    status: r.status as AgentInfo['status'],
    maxConcurrent: r.max_concurrent,
    active: r.active,
  }));
}

type LeftRow = CustomerCols & {
  id: number; conversation_id: number; content: string; status: string; created_at: unknown; handled_by: string | null; handled_at: unknown; total?: number;
  reply_content: string | null; reply_delivery: string | null; reply_at: unknown; reply_by: string | null;
};

const leftSelect = sql`SELECT l.id, l.conversation_id, l.content, l.status, l.created_at, l.handled_at, s.display_name AS handled_by, ${customerCols},
    r.content AS reply_content, r.delivery AS reply_delivery, r.created_at AS reply_at, r.by AS reply_by, count(*) OVER ()::int AS total
  FROM left_messages l JOIN conversations c ON c.id = l.conversation_id ${customerJoins} LEFT JOIN staff s ON s.id = l.handled_by
  LEFT JOIN LATERAL (
    SELECT m.content, m.delivery, m.created_at, rs.display_name AS by FROM messages m LEFT JOIN staff rs ON rs.id = m.staff_id
    WHERE m.conversation_id = l.conversation_id AND m.direction = 'out' AND m.sender = 'agent' ORDER BY m.id DESC LIMIT 1) r ON true`;

export async function listLeftMessages(db: DbOrTx, status: LeftMessageFilter, page: number, pageSize: number): Promise<Page<LeftMessage>> {
  const rows = await rowsOf<LeftRow>(db, sql`${leftSelect} WHERE ${status === 'all' ? sql`true` : sql`l.status = ${status}`}
    ORDER BY l.id ${status === 'open' ? sql`ASC` : sql`DESC`} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { items: rows.map(toLeftMessage), total: rows[0]?.total ?? 0, page, pageSize };
}

export async function leftMessageById(db: DbOrTx, id: number): Promise<LeftMessage | null> {
  const [row] = await rowsOf<LeftRow>(db, sql`${leftSelect} WHERE l.id = ${id}`);
  return row ? toLeftMessage(row) : null;
}

function toLeftMessage(r: LeftRow): LeftMessage {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    customer: customerBrief(r),
    content: r.content,
    status: r.status as LeftMessage['status'],
    createdAt: iso(r.created_at as Date)!,
    handledBy: r.handled_by,
    handledAt: iso(r.handled_at as Date),
    lastReply: r.reply_content === null ? null
      : { content: r.reply_content, delivery: r.reply_delivery as DeskMessage['delivery'], at: iso(r.reply_at as Date)!, by: r.reply_by },
  };
}

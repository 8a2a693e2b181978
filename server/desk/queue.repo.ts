import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { AgentLoad, QueuedChat } from './assignment.js';
import { rowsOf, toDate, ts } from '../db/raw.js';
import { lastInboundAt, servingOrder } from './sql.js';

/** Advisory lock keys: automatic assignment and manual accepts are serialised on every instance. */
export const ASSIGN_LOCK = 727_100;
export const SWEEP_LOCK = 727_101;

export async function lockAssignment(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGN_LOCK})`);
}

/** 0 for a VIP account or a unit with a valid service level, 1 for everyone else. */
export async function laneOfCustomer(db: DbOrTx, customerId: number): Promise<0 | 1> {
  const [row] = await rowsOf<{ priority: boolean }>(db, sql`
    SELECT COALESCE(a.vip, false) OR (u.service_level IS NOT NULL AND (u.service_valid_until IS NULL OR u.service_valid_until >= current_date)) AS priority
    FROM customers c LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN units u ON u.id = a.unit_id
    WHERE c.id = ${customerId}`);
  return row?.priority ? 0 : 1;
}

export interface AgentRow extends AgentLoad {
  displayName: string;
}

/** Online agents and admins with their open chats, for assignment and the wait estimate. */
export async function onlineAgentsWithLoad(db: DbOrTx): Promise<AgentRow[]> {
  const rows = await rowsOf<{ id: number; display_name: string; max_concurrent: number; last_assigned_at: Date | string | null; active: number }>(db, sql`
    SELECT s.id, s.display_name, s.max_concurrent, s.last_assigned_at,
      (SELECT count(*) FROM conversations c WHERE c.assignee_id = s.id AND c.status = 'assigned')::int AS active
    FROM staff s WHERE s.status = 'online' AND s.role IN ('agent', 'admin') ORDER BY s.id`);
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, maxConcurrent: r.max_concurrent, active: r.active, lastAssignedAt: toDate(r.last_assigned_at)?.getTime() ?? null }));
}

/** Queued chats in serving order: lane, then queued time. A queued chat's assignee is the agent it left for no answer. */
export async function queuedInOrder(db: DbOrTx, limit = 200): Promise<QueuedChat[]> {
  const rows = await rowsOf<{ id: number; assignee_id: number | null }>(db, sql`
    SELECT id, assignee_id FROM conversations WHERE status = 'queued' ORDER BY ${servingOrder()} LIMIT ${limit}`);
  return rows.map((r) => ({ conversationId: r.id, avoidStaffId: r.assignee_id }));
}

export interface AssignedRow {
  id: number;
  customerId: number;
  openid: string;
  previousStaffId: number | null;
}

/**
 * Gives a queued chat to an agent. The WHERE status = 'queued' makes it one winner: a second
 * accept (on any instance) updates nothing and gets null.
 */
export async function assignIfQueued(db: DbOrTx, conversationId: number, staffId: number, now: Date): Promise<AssignedRow | null> {
  const [row] = await rowsOf<{ id: number; customer_id: number; openid: string; previous: number | null }>(db, sql`
    WITH prev AS (SELECT id, assignee_id FROM conversations WHERE id = ${conversationId} AND status = 'queued' FOR UPDATE),
    upd AS (
      UPDATE conversations c SET status = 'assigned', assignee_id = ${staffId}, assigned_at = ${ts(now)}, awaiting_agent_since = ${ts(now)},
        updated_at = ${ts(now)}, queue_timeout_offered_at = NULL
      FROM prev WHERE c.id = prev.id
      RETURNING c.id, c.customer_id, prev.assignee_id AS previous)
    SELECT upd.id, upd.customer_id, upd.previous, cu.openid FROM upd JOIN customers cu ON cu.id = upd.customer_id`);
  if (!row) return null;
  await db.execute(sql`UPDATE staff SET last_assigned_at = ${ts(now)} WHERE id = ${staffId}`);
  return { id: row.id, customerId: row.customer_id, openid: row.openid, previousStaffId: row.previous };
}

export async function activeCount(db: DbOrTx, staffId: number): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM conversations WHERE assignee_id = ${staffId} AND status = 'assigned'`);
  return row?.n ?? 0;
}

export interface QueuePosition {
  conversationId: number;
  customerId: number;
  openid: string;
  position: number;
  notifiedPosition: number | null;
  /** Customer-service sends to this customer since they last wrote (outbox rows not failed). */
  sentSinceCustomerWrote: number;
  lastInteractionAt: Date | null;
}

/** Every queued chat with its 1-based position, what was told, and the customer's send count. */
export async function queuePositions(db: DbOrTx): Promise<QueuePosition[]> {
  const rows = await rowsOf<{ id: number; customer_id: number; openid: string; position: number; notified_position: number | null; sent: number; last_interaction_at: Date | string | null }>(db, sql`
    SELECT q.id, q.customer_id, cu.openid, q.position, q.notified_position, cu.last_interaction_at,
      (SELECT count(*) FROM outbox o WHERE o.openid = cu.openid AND o.status <> 'failed'
        AND o.created_at >= COALESCE(${lastInboundAt}, '-infinity'::timestamptz))::int AS sent
    FROM (SELECT id, customer_id, notified_position, row_number() OVER (ORDER BY ${servingOrder()})::int AS position
          FROM conversations WHERE status = 'queued') q
    JOIN customers cu ON cu.id = q.customer_id ORDER BY q.position`);
  return rows.map((r) => ({
    conversationId: r.id,
    customerId: r.customer_id,
    openid: r.openid,
    position: r.position,
    notifiedPosition: r.notified_position,
    sentSinceCustomerWrote: r.sent,
    lastInteractionAt: toDate(r.last_interaction_at),
  }));
}

/** Records the position told; false when another instance told it first. */
export async function markPositionTold(db: DbOrTx, conversationId: number, from: number | null, to: number): Promise<boolean> {
  const rows = await rowsOf<{ id: number }>(db, sql`
    UPDATE conversations SET notified_position = ${to}
    WHERE id = ${conversationId} AND status = 'queued' AND notified_position IS NOT DISTINCT FROM ${from} RETURNING id`);
  return rows.length > 0;
}

/** The average assigned → closed time of the last 50 served chats, in seconds; null without history. */
export async function recentHandlingS(db: DbOrTx): Promise<number | null> {
  const [row] = await rowsOf<{ avg: number | string | null }>(db, sql`
    SELECT avg(extract(epoch FROM closed_at - assigned_at))::float8 AS avg FROM (
      SELECT closed_at, assigned_at FROM conversations
      WHERE status = 'closed' AND assigned_at IS NOT NULL AND closed_at > assigned_at
      ORDER BY closed_at DESC LIMIT 50) recent`);
  return row?.avg === null || row?.avg === undefined ? null : Number(row.avg);
}

/**
 * How long recently served customers waited in the queue (queued → assigned), on average, over the
 * last 50 chats assigned in the past 7 days; null without such history. With no agent online there
 * is no capacity to estimate from, so this is the only honest figure to tell a waiting customer.
 */
export async function recentQueueWaitS(db: DbOrTx, now: Date): Promise<number | null> {
  const [row] = await rowsOf<{ avg: number | string | null }>(db, sql`
    SELECT avg(extract(epoch FROM assigned_at - queued_at))::float8 AS avg FROM (
      SELECT assigned_at, queued_at FROM conversations
      WHERE queued_at IS NOT NULL AND assigned_at > queued_at AND assigned_at > ${ts(now)}::timestamptz - interval '7 days'
      ORDER BY assigned_at DESC LIMIT 50) recent`);
  return row?.avg === null || row?.avg === undefined ? null : Number(row.avg);
}

/** A queued chat's 1-based position in serving order; undefined when it is not queued. */
export async function queuePositionOf(db: DbOrTx, conversationId: number): Promise<number | undefined> {
  const [row] = await rowsOf<{ position: number }>(db, sql`
    SELECT position FROM (SELECT id, row_number() OVER (ORDER BY ${servingOrder()})::int AS position FROM conversations WHERE status = 'queued') q
    WHERE q.id = ${conversationId}`);
  return row?.position;
}

/**
 * Puts a chat in the queue from the bot or a left message, fresh: lane, queued time, no assignee
 * and nothing told or offered yet. False when it was queued (or served) meanwhile.
 */
export async function enterQueue(db: DbOrTx, conversationId: number, lane: 0 | 1, now: Date): Promise<boolean> {
  const rows = await rowsOf<{ id: number }>(db, sql`
        UPDATE conversations SET status = 'queued', lane = ${lane}, queued_at = ${ts(now)}, updated_at = ${ts(now)}, assignee_id = NULL,
          assigned_at = NULL, awaiting_agent_since = NULL, notified_position = NULL, queue_timeout_offered_at = NULL
        WHERE id = ${conversationId} AND status IN ('bot', 'message') RETURNING id`);
  return rows.length > 0;
}

/** A queued customer chose to leave a message instead; false when the chat is no longer queued. */
export async function leaveQueueForMessage(db: DbOrTx, conversationId: number, now: Date): Promise<boolean> {
  const rows = await rowsOf<{ id: number }>(db, sql`UPDATE conversations SET status = 'message', updated_at = ${ts(now)} WHERE id = ${conversationId} AND status = 'queued' RETURNING id`);
  return rows.length > 0;
}

/** The sweeper's lease for this transaction; false when another instance holds it. */
export async function tryLockSweep(tx: DbOrTx): Promise<boolean> {
  const [lease] = await rowsOf<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS ok`);
  return Boolean(lease?.ok);
}

/** Marks the queue-timeout offer made on every chat queued longer than `timeoutS` and not offered yet; returns them. */
export async function markQueueTimeoutsOffered(tx: DbOrTx, now: Date, timeoutS: number): Promise<Array<{ id: number; openid: string }>> {
  return rowsOf<{ id: number; openid: string }>(tx, sql`
      UPDATE conversations c SET queue_timeout_offered_at = ${ts(now)} FROM customers cu
      WHERE cu.id = c.customer_id AND c.status = 'queued' AND c.queue_timeout_offered_at IS NULL
        AND c.queued_at < ${ts(now)} - make_interval(secs => ${timeoutS})
      RETURNING c.id, cu.openid`);
}

export interface UnansweredChat {
  id: number;
  customer_id: number;
  assignee_id: number;
  openid: string;
}

/** Served chats whose customer has waited longer than `timeoutS` for the agent, longest first. */
export async function unansweredChats(tx: DbOrTx, now: Date, timeoutS: number): Promise<UnansweredChat[]> {
  return rowsOf<UnansweredChat>(tx, sql`
      SELECT c.id, c.customer_id, c.assignee_id, cu.openid FROM conversations c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.status = 'assigned' AND c.awaiting_agent_since < ${ts(now)} - make_interval(secs => ${timeoutS})
      ORDER BY c.awaiting_agent_since LIMIT 50`);
}

/**
 * Moves an unanswered chat from `fromStaffId` to `toStaffId`, who gets it as newly assigned and
 * recorded as last assigned. False when the chat changed meanwhile (then nothing is written).
 */
export async function handOverUnanswered(tx: DbOrTx, conversationId: number, fromStaffId: number, toStaffId: number, now: Date): Promise<boolean> {
  const moved = await rowsOf<{ id: number }>(tx, sql`
          UPDATE conversations SET assignee_id = ${toStaffId}, assigned_at = ${ts(now)}, awaiting_agent_since = ${ts(now)}, updated_at = ${ts(now)}
          WHERE id = ${conversationId} AND status = 'assigned' AND assignee_id = ${fromStaffId} RETURNING id`);
  if (!moved.length) return false;
  await markLastAssigned(tx, toStaffId, now);
  return true;
}

/**
 * Puts an unanswered chat back at the front of the queue (priority lane, original time); the
 * assignee stays as the agent it must not go back to automatically, and the timeout offer counts
 * as made. False when the chat changed meanwhile.
 */
export async function requeueUnanswered(tx: DbOrTx, conversationId: number, fromStaffId: number, now: Date): Promise<boolean> {
  const moved = await rowsOf<{ id: number }>(tx, sql`
          UPDATE conversations SET status = 'queued', lane = 0, assigned_at = NULL, awaiting_agent_since = NULL, notified_position = NULL,
            queue_timeout_offered_at = ${ts(now)}, updated_at = ${ts(now)}
          WHERE id = ${conversationId} AND status = 'assigned' AND assignee_id = ${fromStaffId} RETURNING id`);
  return moved.length > 0;
}

/** The agent got a chat now: the next automatic assignment prefers whoever waited longer. */
export async function markLastAssigned(db: DbOrTx, staffId: number, now: Date): Promise<void> {
  await db.execute(sql`UPDATE staff SET last_assigned_at = ${ts(now)} WHERE id = ${staffId}`);
}

import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import { Periodic } from '../platform/periodic.js';
import { pickAgent } from './assignment.js';
import type { DeskCore } from './desk.core.js';
import type { Effects } from './effects.js';
import { sayToCustomer } from './outbound.js';
import { lockAssignment, onlineAgentsWithLoad, SWEEP_LOCK } from './queue.repo.js';
import { rowsOf, ts } from '../db/raw.js';
import { deskTexts, LEFT_MESSAGE_FOLLOW_UP_S } from './texts.js';

/**
 * The desk's timeouts, every DESK_SWEEP_MS on every instance. One instance at a time does a pass
 * (a transaction-scoped advisory lease; the others skip it), and every change is a conditional
 * UPDATE, so even two passes could not act twice.
 *  - queued too long: the keep-waiting / leave-a-message offer, once;
 *  - an agent who does not answer: the chat goes to another agent, or back to the queue's front;
 *  - no message either way for DESK_IDLE_TIMEOUT_S: closed, with the rating request;
 *  - a left message whose follow-up window passed: its chat closed, silently;
 *  - then the queue is assigned again (capacity may have freed).
 */
export class DeskSweeper {
  private readonly timer: Periodic;

  constructor(private readonly core: DeskCore, logger: Logger) {
    this.timer = new Periodic(() => this.sweep(), { everyMs: core.o.config.sweepMs, onError: (err) => logger.error({ err }, 'desk sweep failed') });
  }

  start(): void {
    this.timer.start();
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }

  /** One pass; false when another instance holds the lease. */
  async sweep(): Promise<boolean> {
    const ran = await this.core.tx(async (tx, fx) => {
      const [lease] = await rowsOf<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS ok`);
      if (!lease?.ok) return false;
      const now = this.core.now();
      await this.offerAfterQueueTimeout(tx, fx, now);
      await this.reassignUnanswered(tx, fx, now);
      await this.closeIdle(tx, fx, now);
      await this.closeLeftMessages(tx, fx, now);
      return true;
    });
    if (ran) await this.core.afterCapacityChange();
    return ran;
  }

  private async offerAfterQueueTimeout(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const due = await rowsOf<{ id: number; openid: string }>(tx, sql`
      UPDATE conversations c SET queue_timeout_offered_at = ${ts(now)} FROM customers cu
      WHERE cu.id = c.customer_id AND c.status = 'queued' AND c.queue_timeout_offered_at IS NULL
        AND c.queued_at < ${ts(now)} - make_interval(secs => ${this.core.o.config.queueTimeoutS})
      RETURNING c.id, cu.openid`);
    for (const c of due) await sayToCustomer(tx, fx, { conversationId: c.id, openid: c.openid, text: deskTexts.queueTimeoutOffer, sender: 'system' });
  }

  private async reassignUnanswered(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const due = await rowsOf<{ id: number; customer_id: number; assignee_id: number; openid: string }>(tx, sql`
      SELECT c.id, c.customer_id, c.assignee_id, cu.openid FROM conversations c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.status = 'assigned' AND c.awaiting_agent_since < ${ts(now)} - make_interval(secs => ${this.core.o.config.answerTimeoutS})
      ORDER BY c.awaiting_agent_since LIMIT 50`);
    if (!due.length) return;
    await lockAssignment(tx);
    const agents = await onlineAgentsWithLoad(tx);
    for (const c of due) {
      const next = pickAgent(agents, c.assignee_id);
      if (next) {
        const moved = await rowsOf<{ id: number }>(tx, sql`
          UPDATE conversations SET assignee_id = ${next.id}, assigned_at = ${ts(now)}, awaiting_agent_since = ${ts(now)}, updated_at = ${ts(now)}
          WHERE id = ${c.id} AND status = 'assigned' AND assignee_id = ${c.assignee_id} RETURNING id`);
        if (!moved.length) continue;
        next.active += 1;
        await tx.execute(sql`UPDATE staff SET last_assigned_at = ${ts(now)} WHERE id = ${next.id}`);
        fx.emit('conversation.assigned', { conversationId: c.id, customerId: c.customer_id, staffId: next.id, previousStaffId: c.assignee_id, reason: 'no_answer', note: null });
        await sayToCustomer(tx, fx, { conversationId: c.id, openid: c.openid, text: deskTexts.transferred(next.displayName), sender: 'system' });
      } else {
        // Back to the front of the queue (priority lane, original time); the assignee stays as
        // the agent this chat must not go back to automatically. No second timeout offer.
        const moved = await rowsOf<{ id: number }>(tx, sql`
          UPDATE conversations SET status = 'queued', lane = 0, assigned_at = NULL, awaiting_agent_since = NULL, notified_position = NULL,
            queue_timeout_offered_at = ${ts(now)}, updated_at = ${ts(now)}
          WHERE id = ${c.id} AND status = 'assigned' AND assignee_id = ${c.assignee_id} RETURNING id`);
        if (!moved.length) continue;
        const old = agents.find((a) => a.id === c.assignee_id);
        if (old) old.active -= 1;
        fx.emit('conversation.queued', { conversationId: c.id, customerId: c.customer_id });
        fx.emit('queue.changed', { reason: 'no_answer' });
      }
    }
  }

  private async closeIdle(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const idle = sql`${ts(now)} - make_interval(secs => ${this.core.o.config.idleTimeoutS})`;
    const due = await rowsOf<{ id: number; status: string }>(tx, sql`
      SELECT c.id, c.status FROM conversations c
      WHERE (c.status = 'assigned' AND c.awaiting_agent_since IS NULL AND GREATEST(c.assigned_at,
              (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.direction <> 'note')) < ${idle})
         OR (c.status = 'message' AND c.updated_at < ${idle} AND NOT EXISTS (SELECT 1 FROM left_messages l WHERE l.conversation_id = c.id))
      LIMIT 50`);
    for (const c of due) {
      await this.core.closeIn(tx, fx, c.id, 'inactivity', { closingText: deskTexts.endedByInactivity, passive: false });
    }
  }

  /** A left message is complete once its follow-up window passed: its chat closes, silently. */
  private async closeLeftMessages(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const due = await rowsOf<{ id: number }>(tx, sql`
      SELECT c.id FROM conversations c
      WHERE c.status = 'message' AND c.updated_at < ${ts(now)} - make_interval(secs => ${LEFT_MESSAGE_FOLLOW_UP_S})
        AND EXISTS (SELECT 1 FROM left_messages l WHERE l.conversation_id = c.id)
      LIMIT 50`);
    for (const c of due) await this.core.closeIn(tx, fx, c.id, 'left_message', { closingText: null, passive: true });
  }
}

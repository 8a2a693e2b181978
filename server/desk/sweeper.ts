import type { DbOrTx } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import { Periodic } from '../platform/periodic.js';
import { pickAgent } from './assignment.js';
import type { DeskCore } from './desk.core.js';
import type { Effects } from '../platform/effects.js';
import { sayToCustomer } from '../chat/outbound.js';
import { chatsWithCompleteLeftMessage, idleChats } from './chat-state.repo.js';
import {
  lockAssignment,
  markQueueTimeoutsOffered,
  onlineAgentsWithLoad,
  handOverUnanswered,
  requeueUnanswered,
  tryLockSweep,
  unansweredChats,
} from './queue.repo.js';
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
      if (!(await tryLockSweep(tx))) return false;
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
    const due = await markQueueTimeoutsOffered(tx, now, this.core.o.config.queueTimeoutS);
    for (const c of due) await sayToCustomer(tx, fx, { conversationId: c.id, openid: c.openid, text: deskTexts.queueTimeoutOffer, sender: 'system' });
  }

  private async reassignUnanswered(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const due = await unansweredChats(tx, now, this.core.o.config.answerTimeoutS);
    if (!due.length) return;
    await lockAssignment(tx);
    const agents = await onlineAgentsWithLoad(tx);
    for (const c of due) {
      const next = pickAgent(agents, c.assignee_id);
      if (next) {
        if (!(await handOverUnanswered(tx, c.id, c.assignee_id, next.id, now))) continue;
        next.active += 1;
        fx.emit('conversation.assigned', { conversationId: c.id, customerId: c.customer_id, staffId: next.id, previousStaffId: c.assignee_id, reason: 'no_answer', note: null });
        await sayToCustomer(tx, fx, { conversationId: c.id, openid: c.openid, text: deskTexts.transferred(next.displayName), sender: 'system' });
      } else {
        // Back to the front of the queue (priority lane, original time); the assignee stays as
        // the agent this chat must not go back to automatically. No second timeout offer.
        if (!(await requeueUnanswered(tx, c.id, c.assignee_id, now))) continue;
        const old = agents.find((a) => a.id === c.assignee_id);
        if (old) old.active -= 1;
        fx.emit('conversation.queued', { conversationId: c.id, customerId: c.customer_id });
        fx.emit('queue.changed', { reason: 'no_answer' });
      }
    }
  }

  private async closeIdle(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const due = await idleChats(tx, now, this.core.o.config.idleTimeoutS);
    for (const c of due) {
      await this.core.closeIn(tx, fx, c.id, 'inactivity', { closingText: deskTexts.endedByInactivity, passive: false });
    }
  }

  /** A left message is complete once its follow-up window passed: its chat closes, silently. */
  private async closeLeftMessages(tx: DbOrTx, fx: Effects, now: Date): Promise<void> {
    const due = await chatsWithCompleteLeftMessage(tx, now, LEFT_MESSAGE_FOLLOW_UP_S);
    for (const c of due) await this.core.closeIn(tx, fx, c.id, 'left_message', { closingText: null, passive: true });
  }
}

import type { Db, DbOrTx } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import { planAssignments } from './assignment.js';
import type { DeskConfig } from './desk.config.js';
import { Effects } from '../platform/effects.js';
import { estimateWaitS, formatWait, shouldSendPosition } from './eta.js';
import { parseHours, type Schedule } from './hours.js';
import { sayToCustomer } from '../chat/outbound.js';
import {
  assignIfQueued,
  lockAssignment,
  markPositionTold,
  onlineAgentsWithLoad,
  queuePositionOf,
  queuePositions,
  queuedInOrder,
  recentHandlingS,
  recentQueueWaitS,
  type AgentRow,
} from './queue.repo.js';
import { closeChat } from './chat-state.repo.js';
import { askRating } from './customers.repo.js';
import { deskTexts, withRatingAsk } from './texts.js';

export interface DeskCoreOptions {
  db: Db;
  bus: Bus;
  logger: Logger;
  config: DeskConfig;
  /** For the bind link offered to customers without an account. */
  publicBaseUrl: string;
  now?: () => number;
}

export interface Assigned {
  conversationId: number;
  staffId: number;
  displayName: string;
}

const WINDOW_MS = 48 * 3_600_000;

/**
 * The desk's shared moves, used by the customer side (desk-human-service), the agents' side
 * (desk.service) and the sweeper: assignment, closing with a rating request, position updates.
 * Each runs in one transaction and announces its events after commit.
 */
export class DeskCore {
  readonly schedule: Schedule;

  constructor(readonly o: DeskCoreOptions) {
    this.schedule = parseHours(o.config.hours, o.config.timeZone);
  }

  get db(): Db {
    return this.o.db;
  }

  now(): Date {
    return new Date((this.o.now ?? Date.now)());
  }

  bindUrl(): string {
    // Through the silent login: an unbound WeChat user lands on the bind (login / register) page,
    // then on 个人中心.
    return `${this.o.publicBaseUrl}/auth/wechat/bind`;
  }

  /** Runs `fn` in a transaction and emits what it gathered once committed. */
  async tx<T>(fn: (tx: DbOrTx, fx: Effects) => Promise<T>): Promise<T> {
    const fx = new Effects();
    const result = await this.o.db.transaction((tx) => fn(tx, fx));
    await fx.flush(this.o.bus);
    return result;
  }

  /**
   * Gives queued chats to online agents with room, in serving order. Customers are told by the
   * outbox, except `passiveFor`, whose push is being answered right now.
   */
  async assignWaiting(opts: { passiveFor?: number } = {}): Promise<Assigned[]> {
    const assigned = await this.tx(async (tx, fx) => {
      await lockAssignment(tx);
      const agents = await onlineAgentsWithLoad(tx);
      if (agents.every((a) => a.active >= a.maxConcurrent)) return [];
      const queue = await queuedInOrder(tx);
      const now = this.now();
      const done: Assigned[] = [];
      for (const p of planAssignments(queue, agents, now.getTime())) {
        const row = await assignIfQueued(tx, p.conversationId, p.staffId, now);
        if (!row) continue;
        const agent = agents.find((a) => a.id === p.staffId)!;
        done.push({ conversationId: row.id, staffId: agent.id, displayName: agent.displayName });
        fx.emit('conversation.assigned', { conversationId: row.id, customerId: row.customerId, staffId: agent.id, previousStaffId: null, reason: 'auto', note: null });
        if (row.id !== opts.passiveFor) await sayToCustomer(tx, fx, { conversationId: row.id, openid: row.openid, text: deskTexts.connected(agent.displayName), sender: 'system' });
      }
      if (done.length) fx.emit('queue.changed', { reason: 'assigned' });
      return done;
    });
    if (assigned.length) await this.notifyPositions();
    return assigned;
  }

  /** Tells waiting customers their new position when it changed meaningfully (eta.ts). */
  async notifyPositions(): Promise<void> {
    await this.tx(async (tx, fx) => {
      const positions = await queuePositions(tx);
      if (!positions.length) return;
      const estimate = await this.estimator(tx);
      const now = this.now().getTime();
      for (const p of positions) {
        const windowOpen = p.lastInteractionAt !== null && now - p.lastInteractionAt.getTime() < WINDOW_MS;
        if (!shouldSendPosition({ told: p.notifiedPosition, current: p.position, sentSinceCustomerWrote: p.sentSinceCustomerWrote, windowOpen })) continue;
        if (!(await markPositionTold(tx, p.conversationId, p.notifiedPosition, p.position))) continue;
        await sayToCustomer(tx, fx, { conversationId: p.conversationId, openid: p.openid, text: deskTexts.positionUpdate(p.position - 1, estimate(p.position)), sender: 'system' });
      }
    });
  }

  /** The wait for a position, as text, from live capacity and recent handling times. */
  async estimator(db: DbOrTx, agents?: AgentRow[]): Promise<(position: number) => string | null> {
    const [online, handle] = await Promise.all([agents ?? onlineAgentsWithLoad(db), recentHandlingS(db)]);
    const capacity = capacityOf(online);
    return (position) => formatWait(estimateWaitS(position, capacity, handle));
  }

  /**
   * The chat's queue position (1-based) and estimate; null when it is not queued. With no agent
   * online there is no capacity to estimate from: `recentWait` is then how long recent customers
   * waited, when there is such history.
   */
  async positionOf(
    db: DbOrTx,
    conversationId: number,
  ): Promise<{ position: number; eta: string | null; agentsOnline: boolean; recentWait: string | null } | null> {
    const position = await queuePositionOf(db, conversationId);
    if (position === undefined) return null;
    const agents = await onlineAgentsWithLoad(db);
    const estimate = await this.estimator(db, agents);
    const recentWait = agents.length ? null : formatWait(await recentQueueWaitS(db, this.now()));
    return { position, eta: estimate(position), agentsOnline: agents.length > 0, recentWait };
  }

  /**
   * Closes a chat (any open status). A chat an agent served asks for the 1-5 rating in the same
   * message as `closingText`: as the passive reply (`passive`) or through the outbox.
   * Returns what to say passively, or null; `closed` is false when it was closed already.
   */
  async closeIn(
    tx: DbOrTx,
    fx: Effects,
    conversationId: number,
    reason: string,
    o: { closingText: string | null; unservedText?: string | null; passive: boolean; staffId?: number | null },
  ): Promise<{ closed: boolean; served: boolean; was: string | null; reply: string | null }> {
    const now = this.now();
    const row = await closeChat(tx, conversationId, reason, now);
    if (!row) return { closed: false, served: false, was: null, reply: null };
    const served = row.was === 'assigned' && row.assignee_id !== null;
    fx.emit('conversation.closed', { conversationId, customerId: row.customer_id, reason, staffId: o.staffId ?? row.assignee_id });
    if (row.was === 'queued') fx.emit('queue.changed', { reason: 'closed' });
    let text = served ? o.closingText : (o.unservedText ?? null);
    if (served && text !== null) {
      text = withRatingAsk(text);
      await askRating(tx, row.customer_id, conversationId, now);
    }
    if (text === null || o.passive) return { closed: true, served, was: row.was, reply: text };
    await sayToCustomer(tx, fx, { conversationId, openid: row.openid, text, sender: 'system' });
    return { closed: true, served, was: row.was, reply: null };
  }

  /** closeIn in its own transaction, then frees the capacity for the queue. */
  async close(conversationId: number, reason: string, o: Parameters<DeskCore['closeIn']>[4]): ReturnType<DeskCore['closeIn']> {
    const result = await this.tx((tx, fx) => this.closeIn(tx, fx, conversationId, reason, o));
    if (result.closed) await this.afterCapacityChange();
    return result;
  }

  /** Someone left the queue or an agent got room: assign, and tell the rest their new place. */
  async afterCapacityChange(): Promise<void> {
    const assigned = await this.assignWaiting();
    if (!assigned.length) await this.notifyPositions();
  }

  closingTextFor(reason: string): string {
    return reason === 'inactivity' ? deskTexts.endedByInactivity : reason === 'customer' ? deskTexts.endedByCustomer : deskTexts.endedByAgent;
  }
}

export function capacityOf(agents: AgentRow[]): { freeSlots: number; totalSlots: number } {
  return {
    freeSlots: agents.reduce((n, a) => n + Math.max(0, a.maxConcurrent - a.active), 0),
    totalSlots: agents.reduce((n, a) => n + a.maxConcurrent, 0),
  };
}

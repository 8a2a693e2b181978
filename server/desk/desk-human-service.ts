import { sql } from 'drizzle-orm';
import type { HumanService, Outgoing, Turn } from '../chat/ports.js';
import { conversationRatings, leftMessages } from '../db/schema.js';
import type { DeskCore } from './desk.core.js';
import { isOpen, nextOpening } from './hours.js';
import { laneOfCustomer, markPositionTold } from './queue.repo.js';
import { parseRating, ratingStillOpen } from './rating.js';
import { rowsOf, ts } from '../db/raw.js';
import { deskTexts } from './texts.js';

/**
 * The customer's side of the human service, behind the router's HumanService port:
 * the queue with position and wait, business hours and left messages, the queue-timeout offer,
 * ending, and the rating after a served chat.
 */
export class DeskHumanService implements HumanService {
  constructor(private readonly core: DeskCore) {}

  async requestHuman(turn: Turn): Promise<Outgoing | null> {
    const conv = turn.conversation;
    if (conv.status === 'queued') return say(await this.queuedText(conv.id, true, turn));
    if (conv.status === 'assigned') return null;
    const db = this.core.db;
    const now = this.core.now();
    if (!isOpen(this.core.schedule, now)) {
      await db.execute(sql`UPDATE conversations SET status = 'message', updated_at = ${ts(now)} WHERE id = ${conv.id} AND status IN ('bot', 'message')`);
      return say(deskTexts.outOfHours(nextOpening(this.core.schedule, now)));
    }
    const lane = await laneOfCustomer(db, turn.customer.id);
    const queued = await this.core.tx(async (tx, fx) => {
      const rows = await rowsOf<{ id: number }>(tx, sql`
        UPDATE conversations SET status = 'queued', lane = ${lane}, queued_at = ${ts(now)}, updated_at = ${ts(now)}, assignee_id = NULL,
          assigned_at = NULL, awaiting_agent_since = NULL, notified_position = NULL, queue_timeout_offered_at = NULL
        WHERE id = ${conv.id} AND status IN ('bot', 'message') RETURNING id`);
      if (rows.length) {
        fx.emit('conversation.queued', { conversationId: conv.id, customerId: turn.customer.id });
        fx.emit('queue.changed', { reason: 'queued' });
      }
      return rows.length > 0;
    });
    if (!queued) return null;
    const assigned = await this.core.assignWaiting({ passiveFor: conv.id });
    const mine = assigned.find((a) => a.conversationId === conv.id);
    if (mine) return say(deskTexts.connected(mine.displayName) + (await this.bindOffer(turn)));
    return say(await this.queuedText(conv.id, false, turn));
  }

  async onCustomerMessage(turn: Turn, text: string | null): Promise<Outgoing | null> {
    const conv = turn.conversation;
    const db = this.core.db;
    const now = this.core.now();
    const answer = text?.trim();
    if (conv.status === 'assigned') {
      // The customer waits for the agent from now (reassignment on no answer counts from here).
      if (!conv.awaitingAgentSince) await db.execute(sql`UPDATE conversations SET awaiting_agent_since = ${ts(now)} WHERE id = ${conv.id} AND awaiting_agent_since IS NULL`);
      return null;
    }
    if (conv.status === 'queued' && conv.queueTimeoutOfferedAt && answer === '1') {
      const at = await this.core.positionOf(db, conv.id);
      return say(deskTexts.keepWaiting(at ? at.position - 1 : 0));
    }
    if (conv.status === 'queued' && conv.queueTimeoutOfferedAt && answer === '2') {
      const moved = await this.core.tx(async (tx, fx) => {
        const rows = await rowsOf<{ id: number }>(tx, sql`UPDATE conversations SET status = 'message', updated_at = ${ts(now)} WHERE id = ${conv.id} AND status = 'queued' RETURNING id`);
        if (rows.length) fx.emit('queue.changed', { reason: 'left_message' });
        return rows.length > 0;
      });
      if (moved) await this.core.notifyPositions();
      return say(deskTexts.leaveMessagePrompt);
    }
    if (conv.status === 'message') {
      if (!answer) return say(deskTexts.leaveMessageTextOnly);
      // A message is often typed as several lines: those sent within the follow-up window join the
      // left message (the sweeper closes the chat after it), so none of them goes to the bot.
      const joined = await rowsOf<{ id: number }>(db, sql`
        WITH lm AS (
          UPDATE left_messages SET content = left(content || E'\n' || ${answer}, ${LEFT_MESSAGE_MAX_CHARS})
          WHERE id = (SELECT id FROM left_messages WHERE conversation_id = ${conv.id} ORDER BY id DESC LIMIT 1) AND status = 'open'
          RETURNING id)
        UPDATE conversations SET updated_at = ${ts(now)} FROM lm WHERE conversations.id = ${conv.id} RETURNING lm.id`);
      if (joined.length) return say(deskTexts.messageJoined);
      const left = await rowsOf<{ id: number }>(db, sql`
        SELECT id FROM left_messages WHERE conversation_id = ${conv.id} LIMIT 1`);
      if (left.length) return say(deskTexts.messageAlreadyHandled);
      await db.transaction(async (tx) => {
        await tx.insert(leftMessages).values({ conversationId: conv.id, customerId: turn.customer.id, content: answer.slice(0, LEFT_MESSAGE_MAX_CHARS) });
        await tx.execute(sql`UPDATE conversations SET updated_at = ${ts(now)} WHERE id = ${conv.id}`);
      });
      return say(deskTexts.messageLeft);
    }
    return null; // queued: kept for the agent, who reads it on accepting
  }

  async endByCustomer(turn: Turn): Promise<Outgoing | null> {
    const result = await this.core.close(turn.conversation.id, 'customer', { closingText: deskTexts.endedByCustomer, unservedText: deskTexts.cancelled, passive: true });
    return say(result.reply ?? deskTexts.cancelled);
  }

  async onUnsubscribe(turn: Turn): Promise<void> {
    if (turn.conversation.status === 'bot') return;
    await this.core.close(turn.conversation.id, 'unsubscribe', { closingText: null, passive: true });
  }

  async takeRating(turn: Turn, text: string): Promise<Outgoing | null> {
    const { customer } = turn;
    const conversationId = customer.ratingPendingConversationId;
    if (conversationId === null || !ratingStillOpen(customer.ratingAskedAt, this.core.now().getTime())) return null;
    const rating = parseRating(text);
    if (!rating) return null;
    const stored = await this.core.tx(async (tx) => {
      const cleared = await rowsOf<{ id: number }>(tx, sql`
        UPDATE customers SET rating_pending_conversation_id = NULL, rating_asked_at = NULL
        WHERE id = ${customer.id} AND rating_pending_conversation_id = ${conversationId} RETURNING id`);
      if (!cleared.length) return false;
      const [conv] = await rowsOf<{ assignee_id: number | null }>(tx, sql`SELECT assignee_id FROM conversations WHERE id = ${conversationId}`);
      await tx
        .insert(conversationRatings)
        .values({ conversationId, customerId: customer.id, staffId: conv?.assignee_id ?? null, score: rating.score, comment: rating.comment })
        .onConflictDoNothing();
      return true;
    });
    return stored ? say(deskTexts.ratingThanks(rating.score)) : null;
  }

  private async queuedText(conversationId: number, again: boolean, turn: Turn): Promise<string> {
    const at = await this.core.positionOf(this.core.db, conversationId);
    if (!at) return deskTexts.stillQueued(0, null);
    if (!again) await markPositionTold(this.core.db, conversationId, null, at.position);
    const ahead = at.position - 1;
    const body = again ? deskTexts.stillQueued(ahead, at.eta) : deskTexts.queued(ahead, at.eta);
    return body + (at.agentsOnline ? '' : `\n${deskTexts.noAgentOnline(at.recentWait)}`) + (again ? '' : await this.bindOffer(turn));
  }

  /**
   * The bind link for an unbound customer, at most once in BIND_OFFER_EVERY_MS: a customer who asks
   * for a human again the same day has already seen it. Claimed with one conditional UPDATE, so
   * two instances answering two quick #人工 do not both add it.
   */
  private async bindOffer(turn: Turn): Promise<string> {
    if (turn.customer.accountId !== null) return '';
    const now = this.core.now();
    const claimed = await rowsOf<{ id: number }>(this.core.db, sql`
      UPDATE customers SET bind_offered_at = ${ts(now)}
      WHERE id = ${turn.customer.id} AND account_id IS NULL
        AND (bind_offered_at IS NULL OR bind_offered_at <= ${ts(new Date(now.getTime() - BIND_OFFER_EVERY_MS))})
      RETURNING id`);
    return claimed.length ? deskTexts.bindOffer(this.core.bindUrl()) : '';
  }
}

/** A left message with its follow-up lines, at most. */
export const LEFT_MESSAGE_MAX_CHARS = 4000;

/** How often an unbound customer is offered the bind link by the human service. */
export const BIND_OFFER_EVERY_MS = 24 * 3600_000;

const say = (content: string): Outgoing => ({ type: 'text', content });

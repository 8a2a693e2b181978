import type { HumanService, Outgoing, Turn } from '../chat/ports.js';
import { enterMessageMode, markAwaitingAgent } from './chat-state.repo.js';
import { claimBindOffer, claimPendingRating, storeRating } from './customers.repo.js';
import type { DeskCore } from './desk.core.js';
import { isOpen, nextOpening } from './hours.js';
import { createLeftMessage, hasLeftMessage, joinLeftMessage } from './left-messages.repo.js';
import { enterQueue, laneOfCustomer, leaveQueueForMessage, markPositionTold } from './queue.repo.js';
import { parseRating, ratingStillOpen } from './rating.js';
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
      await enterMessageMode(db, conv.id, now);
      return say(deskTexts.outOfHours(nextOpening(this.core.schedule, now)));
    }
    const lane = await laneOfCustomer(db, turn.customer.id);
    const queued = await this.core.tx(async (tx, fx) => {
      const entered = await enterQueue(tx, conv.id, lane, now);
      if (entered) {
        fx.emit('conversation.queued', { conversationId: conv.id, customerId: turn.customer.id });
        fx.emit('queue.changed', { reason: 'queued' });
      }
      return entered;
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
      if (!conv.awaitingAgentSince) await markAwaitingAgent(db, conv.id, now);
      return null;
    }
    if (conv.status === 'queued' && conv.queueTimeoutOfferedAt && answer === '1') {
      const at = await this.core.positionOf(db, conv.id);
      return say(deskTexts.keepWaiting(at ? at.position - 1 : 0));
    }
    if (conv.status === 'queued' && conv.queueTimeoutOfferedAt && answer === '2') {
      const moved = await this.core.tx(async (tx, fx) => {
        const left = await leaveQueueForMessage(tx, conv.id, now);
        if (left) fx.emit('queue.changed', { reason: 'left_message' });
        return left;
      });
      if (moved) await this.core.notifyPositions();
      return say(deskTexts.leaveMessagePrompt);
    }
    if (conv.status === 'message') {
      if (!answer) return say(deskTexts.leaveMessageTextOnly);
      // A message is often typed as several lines: those sent within the follow-up window join the
      // left message (the sweeper closes the chat after it), so none of them goes to the bot.
      if (await joinLeftMessage(db, conv.id, answer, LEFT_MESSAGE_MAX_CHARS, now)) return say(deskTexts.messageJoined);
      if (await hasLeftMessage(db, conv.id)) return say(deskTexts.messageAlreadyHandled);
      await createLeftMessage(db, { conversationId: conv.id, customerId: turn.customer.id, content: answer.slice(0, LEFT_MESSAGE_MAX_CHARS) }, now);
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
      if (!(await claimPendingRating(tx, customer.id, conversationId))) return false;
      await storeRating(tx, { conversationId, customerId: customer.id, score: rating.score, comment: rating.comment });
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
    const claimed = await claimBindOffer(this.core.db, turn.customer.id, this.core.now(), BIND_OFFER_EVERY_MS);
    return claimed ? deskTexts.bindOffer(this.core.bindUrl()) : '';
  }
}

/** A left message with its follow-up lines, at most. */
export const LEFT_MESSAGE_MAX_CHARS = 4000;

/** How often an unbound customer is offered the bind link by the human service. */
export const BIND_OFFER_EVERY_MS = 24 * 3600_000;

const say = (content: string): Outgoing => ({ type: 'text', content });

import type { Conversation, Customer } from './conversations.repo.js';

/**
 * The seams of the conversation router. The bot and the human service
 * plug in here; the router knows nothing else about them.
 */
export type Outgoing = { type: 'text'; content: string };

/**
 * The bot's record of a turn (band, entry, suggestions). It is stored in the same statement as
 * the passive reply (one write fewer per push on the hot path), so the next message, which may
 * pick a suggestion or rate the answer, always finds it.
 */
export interface BotTurnRecord {
  question: string;
  band: 'answer' | 'suggest' | 'none' | 'chitchat' | 'intent';
  entryId?: number | null;
  suggestions?: number[] | null;
  score?: number | null;
}

/** What the router decided: the passive reply, and the bot's turn to store with it. */
export type Reply = Outgoing & { botTurn?: BotTurnRecord };

export interface Turn {
  customer: Customer;
  conversation: Conversation;
  /** The stored inbound message's id. */
  messageId: number;
}

export interface BotAnswer {
  /** What to say; empty means say nothing. */
  text: string;
  /** The customer asked for a human in natural words (转人工, 人工客服…). */
  handoff?: boolean;
  /** Bot-internal label for analytics (answered, suggested, unknown, chitchat…). */
  band?: string;
  /** The turn to store with the reply (see BotTurnRecord). */
  turn?: BotTurnRecord;
}

export interface Bot {
  answer(question: string, turn: Turn): Promise<BotAnswer>;
}

export interface HumanService {
  /** `#人工`, or a handoff intent from the bot: put the chat in the queue. */
  requestHuman(turn: Turn, reason: 'command' | 'intent'): Promise<Outgoing | null>;
  /**
   * A message while queued, assigned, or waiting for a left message ('message'): it belongs to
   * the human side, never the bot.
   */
  onCustomerMessage(turn: Turn, text: string | null): Promise<Outgoing | null>;
  /**
   * Called before the bot only when turn.customer has a rating pending (the push statement returns
   * it, so the bot path reads nothing more): the reply when `text` is a 1-5 rating, else null.
   */
  takeRating(turn: Turn, text: string): Promise<Outgoing | null>;
  /** `#结束` from the customer. */
  endByCustomer(turn: Turn): Promise<Outgoing | null>;
  /** The customer unsubscribed: close whatever is open. */
  onUnsubscribe(turn: Turn): Promise<void>;
}

/**
 * Every event name is defined once, here, with its payload. Modules react in
 * *.listeners.ts files; the push path emits and does not call them one by one.
 */
export interface EventMap {
  'message.created': { conversationId: number; messageId: number; direction: 'in' | 'out' | 'note'; sender: string };
  'conversation.queued': { conversationId: number; customerId: number };
  'conversation.closed': { conversationId: number; customerId: number; reason: string };
  'outbox.enqueued': { outboxId: number };
  /** The customer wrote again: their held outbox messages are due. */
  'outbox.released': { openid: string; count: number };
  /** The knowledge base changed: every instance reloads its index. */
  'knowledge.changed': { reason: string };
}

export type EventName = keyof EventMap;

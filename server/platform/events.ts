/**
 * Every event name is defined once, here, with its payload. Modules react in
 * *.listeners.ts files; the push path emits and does not call them one by one.
 */
export interface EventMap {
  /**
   * `customerMessage`: a customer's message inline (kind, content, time), so listeners such as
   * the desk hub need no read for the most frequent case.
   */
  'message.created': {
    conversationId: number;
    messageId: number;
    direction: 'in' | 'out' | 'note';
    sender: string;
    customerMessage?: { kind: string; content: string; createdAt: string };
  };
  'conversation.queued': { conversationId: number; customerId: number };
  'conversation.closed': { conversationId: number; customerId: number; reason: string; staffId?: number | null };
  /** A chat got (or changed) its agent. previousStaffId: the agent it left (transfer, no answer). */
  'conversation.assigned': {
    conversationId: number;
    customerId: number;
    staffId: number;
    previousStaffId: number | null;
    reason: 'auto' | 'accept' | 'transfer' | 'no_answer';
    note: string | null;
  };
  /** Queue membership or order changed (the desk re-sends the queue to consoles). */
  'queue.changed': { reason: string };
  /** An outbound message's delivery state changed (sent, held_window, held_quota, failed). */
  'message.delivery': {
    conversationId: number;
    messageId: number;
    delivery: 'sent' | 'held_window' | 'held_quota' | 'failed' | 'pending';
    errcode: number | null;
    /** Sent again after a send whose outcome was lost (docs/outbox.md): it may have gone twice. */
    possibleDuplicate?: boolean;
  };
  /** An agent went online, away or offline (capacity changed). */
  'agent.status': { staffId: number; status: 'online' | 'away' | 'offline' };
  'outbox.enqueued': { outboxId: number };
  /** The customer wrote again: their held outbox messages are due. */
  'outbox.released': { openid: string; count: number };
  /**
   * Staff sessions ended (logout: that one session, by the SHA-256 the table keeps; revoked: all
   * of one account's). Every instance closes the desk sockets opened with them.
   */
  'staff.session.ended': { sessionId?: string; staffId?: number; reason: 'logout' | 'revoked' };
  /** The knowledge base changed: every instance reloads its index. */
  'knowledge.changed': { reason: string };
}

export type EventName = keyof EventMap;

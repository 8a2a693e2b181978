import type { Bus } from '../platform/bus.js';
import type { Db } from '../db/client.js';
import { setConversationStatus } from '../chat/conversations.repo.js';
import type { HumanService, Outgoing, Turn } from '../chat/ports.js';
import { texts } from '../chat/texts.js';

/**
 * The human side as issue #2 needs it: #人工 puts the chat in the queue (status 'queued'),
 * messages while queued stay with the human side, #结束 and unsubscribe close the chat.
 * Issue #4 replaces it with positions, assignment and the desk.
 */
export class BasicHumanService implements HumanService {
  constructor(private readonly db: Db, private readonly bus: Bus) {}

  async requestHuman(turn: Turn): Promise<Outgoing | null> {
    if (turn.conversation.status === 'queued') return say(texts.handoffAlreadyQueued);
    await setConversationStatus(this.db, turn.conversation.id, 'queued');
    await this.bus.emit('conversation.queued', { conversationId: turn.conversation.id, customerId: turn.customer.id });
    return say(texts.handoffQueued);
  }

  async onCustomerMessage(): Promise<Outgoing | null> {
    return null; // stored already; the agent reads it in the desk
  }

  async endByCustomer(turn: Turn): Promise<Outgoing | null> {
    await this.close(turn, 'customer');
    return say(texts.chatEnded);
  }

  async onUnsubscribe(turn: Turn): Promise<void> {
    await this.close(turn, 'unsubscribe');
  }

  private async close(turn: Turn, reason: string): Promise<void> {
    await setConversationStatus(this.db, turn.conversation.id, 'closed');
    await this.bus.emit('conversation.closed', { conversationId: turn.conversation.id, customerId: turn.customer.id, reason });
  }
}

const say = (content: string): Outgoing => ({ type: 'text', content });

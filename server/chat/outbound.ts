import type { DbOrTx } from '../db/client.js';
import { enqueue } from '../outbox/outbox.repo.js';
import type { Effects } from '../platform/effects.js';
import { insertMessage, type Message } from './conversations.repo.js';

/**
 * A text to the customer through the customer-service API: the history row and the outbox row
 * in the caller's transaction (so neither exists without the other), announced after commit
 * through `fx`. Nothing here calls WeChat: the outbox worker does, with retries and the 48 h rules.
 * The bot's late answer is stored as delivery 'custom', the desk's messages as 'pending'.
 */
export async function sayToCustomer(
  tx: DbOrTx,
  fx: Effects,
  m: { conversationId: number; openid: string; text: string; sender: 'bot' | 'agent' | 'system'; staffId?: number | null; delivery?: 'pending' | 'custom' },
): Promise<Message> {
  const message = await insertMessage(tx, {
    conversationId: m.conversationId,
    direction: 'out',
    sender: m.sender,
    kind: 'text',
    content: m.text,
    delivery: m.delivery ?? 'pending',
    staffId: m.staffId ?? null,
  });
  const row = await enqueue(tx, { openid: m.openid, messageId: message.id, payload: { type: 'text', content: m.text } });
  fx.emit('message.created', { conversationId: m.conversationId, messageId: message.id, direction: 'out', sender: m.sender });
  fx.emit('outbox.enqueued', { outboxId: row.id });
  return message;
}

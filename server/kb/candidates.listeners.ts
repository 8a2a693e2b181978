import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import { candidateFromConversation } from './candidates.service.js';

/** 'conversation.closed' → an FAQ candidate when the chat escalated from the bot and an agent answered. Returns the unsubscriber. */
export function registerCandidateListeners(bus: Bus, db: Db): () => void {
  return bus.on('conversation.closed', async ({ conversationId }) => {
    await candidateFromConversation(db, conversationId);
  });
}

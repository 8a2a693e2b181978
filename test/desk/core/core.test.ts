import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ts } from '../../../server/db/raw.js';
import { formatWait } from '../../../server/desk/eta.js';
import { deskTexts, withRatingAsk } from '../../../server/desk/texts.js';
import { testMode } from '../../helpers/mode.js';
import { S, useDeskParts } from './desk-fixture.js';

describe(`DeskCore over a real database (${testMode()})`, () => {
  const d = useDeskParts();

  /** Queues a customer's chat as the human service does, in the given lane and at the given time. */
  async function queued(lane: 0 | 1, queuedAt: Date): Promise<number> {
    const { conversationId } = await d().addCustomer();
    await d().database.db.execute(sql`UPDATE conversations SET status = 'queued', lane = ${lane}, queued_at = ${ts(queuedAt)} WHERE id = ${conversationId}`);
    return conversationId;
  }

  it('serves the priority lane first, then whoever has queued longest', async () => {
    const t = d().now().getTime();
    const late1 = await queued(1, new Date(t - 10 * S));
    const early1 = await queued(1, new Date(t - 60 * S));
    const late0 = await queued(0, new Date(t - 5 * S));
    expect((await d().core.positionOf(d().core.db, late0))?.position).toBe(1);
    expect((await d().core.positionOf(d().core.db, early1))?.position).toBe(2);
    expect((await d().core.positionOf(d().core.db, late1))?.position).toBe(3);

    // One agent with room for two: the two first in serving order get them.
    const agent = await d().addAgent('core-order', { maxConcurrent: 2 });
    const assigned = await d().core.assignWaiting();
    expect(assigned.map((a) => a.conversationId)).toEqual([late0, early1]);
    expect(assigned.every((a) => a.staffId === agent)).toBe(true);
    expect((await d().conversation(late1)).status).toBe('queued');
    expect(await d().core.positionOf(d().core.db, late0)).toBeNull();
    expect((await d().core.positionOf(d().core.db, late1))?.position).toBe(1);
  });

  it('gives a queued chat to the online agent with the most free capacity, and tells the customer through the outbox', async () => {
    const busy = await d().addAgent('core-busy', { maxConcurrent: 3 });
    const free = await d().addAgent('core-free', { maxConcurrent: 3 });
    await d().addAgent('core-offline', { maxConcurrent: 10, online: false });
    // The busy agent already serves two chats.
    for (let i = 0; i < 2; i++) {
      const c = await queued(1, d().now());
      await d().database.db.execute(sql`UPDATE conversations SET status = 'assigned', assignee_id = ${busy}, assigned_at = ${ts(d().now())} WHERE id = ${c}`);
    }
    const chat = await queued(1, d().now());
    const [a] = await d().core.assignWaiting();
    expect(a).toMatchObject({ conversationId: chat, staffId: free, displayName: 'core-free' });
    const row = await d().conversation(chat);
    expect(row).toMatchObject({ status: 'assigned', assigneeId: free, queueTimeoutOfferedAt: null });
    expect(row.awaitingAgentSince).not.toBeNull();
    expect(await d().outboxTexts(chat)).toEqual([deskTexts.connected('core-free')]);
    expect(d().events.find((e) => e.name === 'conversation.assigned')?.payload).toMatchObject({ conversationId: chat, staffId: free, reason: 'auto' });
  });

  it('does not tell the customer whose push is being answered (passiveFor)', async () => {
    await d().addAgent('core-passive');
    const chat = await queued(1, d().now());
    const [a] = await d().core.assignWaiting({ passiveFor: chat });
    expect(a?.conversationId).toBe(chat);
    expect(await d().outboxTexts(chat)).toEqual([]);
  });

  it('with no agent online, gives the position and how long recent customers waited instead of an estimate', async () => {
    // The only history: a chat assigned five minutes after it was queued, an hour ago.
    await d().database.db.execute(sql`UPDATE conversations SET assigned_at = NULL WHERE status = 'closed'`);
    const past = await queued(1, new Date(d().now().getTime() - 65 * 60 * S));
    await d().database.db.execute(sql`UPDATE conversations SET status = 'closed', assigned_at = ${ts(new Date(d().now().getTime() - 60 * 60 * S))} WHERE id = ${past}`);
    const first = await queued(1, new Date(d().now().getTime() - 2 * S));
    const second = await queued(1, d().now());
    const at = await d().core.positionOf(d().core.db, second);
    expect(at).toEqual({ position: 2, eta: null, agentsOnline: false, recentWait: formatWait(300) });
    expect(at?.recentWait).toBe('约 5 分钟');
    expect((await d().core.positionOf(d().core.db, first))?.position).toBe(1);

    // An agent online (even at capacity): the estimate comes from capacity, not from history.
    await d().addAgent('core-eta', { maxConcurrent: 0 });
    expect(await d().core.positionOf(d().core.db, second)).toMatchObject({ position: 2, agentsOnline: true, recentWait: null });
  });

  it('closes a served chat with the rating request through the outbox, and only once', async () => {
    const agent = await d().addAgent('core-close');
    const chat = await queued(1, d().now());
    await d().core.assignWaiting();
    const { customerId } = await d().conversation(chat);
    const result = await d().core.close(chat, 'agent', { closingText: deskTexts.endedByAgent, passive: false, staffId: agent });
    expect(result).toEqual({ closed: true, served: true, was: 'assigned', reply: null });
    expect((await d().conversation(chat)).status).toBe('closed');
    expect((await d().outboxTexts(chat)).at(-1)).toBe(withRatingAsk(deskTexts.endedByAgent));
    const turn = await d().turn(customerId);
    expect(turn.customer.ratingPendingConversationId).toBe(chat);
    expect(d().events.find((e) => e.name === 'conversation.closed')?.payload).toMatchObject({ conversationId: chat, reason: 'agent', staffId: agent });

    const again = await d().core.close(chat, 'agent', { closingText: deskTexts.endedByAgent, passive: false });
    expect(again).toEqual({ closed: false, served: false, was: null, reply: null });
  });

  it('closes an unserved chat without a rating request, answering passively with the unserved text', async () => {
    const chat = await queued(1, d().now());
    const { customerId } = await d().conversation(chat);
    const result = await d().core.close(chat, 'customer', { closingText: deskTexts.endedByCustomer, unservedText: deskTexts.cancelled, passive: true });
    expect(result).toEqual({ closed: true, served: false, was: 'queued', reply: deskTexts.cancelled });
    expect(await d().outboxTexts(chat)).toEqual([]);
    expect((await d().turn(customerId)).customer.ratingPendingConversationId).toBeNull();
    expect(d().events.some((e) => e.name === 'queue.changed')).toBe(true);
  });
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ts } from '../../../server/db/raw.js';
import { deskTexts, LEFT_MESSAGE_FOLLOW_UP_S, withRatingAsk } from '../../../server/desk/texts.js';
import { testMode } from '../../helpers/mode.js';
import { S, useDeskParts } from './desk-fixture.js';

describe(`DeskSweeper over a real database (${testMode()})`, () => {
  const d = useDeskParts({ queueTimeoutS: 60, answerTimeoutS: 30, idleTimeoutS: 120 });

  it('makes the queue-timeout offer once, after the timeout', async () => {
    const { conversationId } = await d().addQueuedCustomer();
    expect(await d().sweeper.sweep()).toBe(true);
    expect(await d().outboxTexts(conversationId)).toEqual([]);
    d().advance(61 * S);
    await d().sweeper.sweep();
    await d().sweeper.sweep();
    expect(await d().outboxTexts(conversationId)).toEqual([deskTexts.queueTimeoutOffer]);
    expect((await d().conversation(conversationId)).queueTimeoutOfferedAt).not.toBeNull();
  });

  it('two sweeps at once act once', async () => {
    const { conversationId } = await d().addQueuedCustomer();
    d().advance(61 * S);
    const ran = await Promise.all([d().sweeper.sweep(), d().sweeper.sweep()]);
    expect(ran).toContain(true);
    expect(await d().outboxTexts(conversationId)).toEqual([deskTexts.queueTimeoutOffer]);
  });

  it('gives an unanswered chat to another agent, then back to the front of the queue when nobody else can take it', async () => {
    const first = await d().addAgent('sweep-first');
    const { customerId, conversationId } = await d().addQueuedCustomer();
    expect((await d().conversation(conversationId)).assigneeId).toBe(first);
    const second = await d().addAgent('sweep-second');
    await d().sweeper.sweep();
    expect((await d().conversation(conversationId)).assigneeId).toBe(first); // not yet

    d().advance(31 * S);
    await d().sweeper.sweep();
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'assigned', assigneeId: second });
    expect(await d().outboxTexts(conversationId)).toContain(deskTexts.transferred('sweep-second'));
    expect(d().events.find((e) => e.name === 'conversation.assigned' && (e.payload as { reason: string }).reason === 'no_answer')?.payload)
      .toMatchObject({ conversationId, customerId, staffId: second, previousStaffId: first });

    // Only the unanswering agent is online: the chat goes back to the queue, and not to them again.
    await d().database.db.execute(sql`UPDATE staff SET status = 'offline' WHERE id = ${first}`);
    d().advance(31 * S);
    await d().sweeper.sweep();
    const back = await d().conversation(conversationId);
    expect(back).toMatchObject({ status: 'queued', lane: 0, assigneeId: second, assignedAt: null, awaitingAgentSince: null });
    expect(back.queueTimeoutOfferedAt).not.toBeNull(); // no second timeout offer
  });

  it('closes a served chat that went quiet, with the rating request', async () => {
    await d().addAgent('sweep-idle');
    const { customerId, conversationId } = await d().addQueuedCustomer();
    await d().database.db.execute(sql`UPDATE conversations SET awaiting_agent_since = NULL WHERE id = ${conversationId}`); // the agent answered
    // The last message either way, by the desk's clock (the table's default is the real clock).
    await d().database.db.execute(sql`UPDATE messages SET created_at = ${ts(d().now())} WHERE conversation_id = ${conversationId}`);
    d().advance(100 * S);
    await d().sweeper.sweep();
    expect((await d().conversation(conversationId)).status).toBe('assigned');
    d().advance(30 * S);
    await d().sweeper.sweep();
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    expect((await d().outboxTexts(conversationId)).at(-1)).toBe(withRatingAsk(deskTexts.endedByInactivity));
    expect((await d().turn(customerId)).customer.ratingPendingConversationId).toBe(conversationId);
  });

  it('closes a chat with a left message silently once its follow-up window has passed', async () => {
    const { customerId, conversationId } = await d().addCustomer();
    await d().database.db.execute(sql`UPDATE conversations SET status = 'message' WHERE id = ${conversationId}`);
    await d().human.onCustomerMessage(await d().turn(customerId), '请回电');
    d().advance((LEFT_MESSAGE_FOLLOW_UP_S - 60) * S);
    await d().sweeper.sweep();
    expect((await d().conversation(conversationId)).status).toBe('message');
    d().advance(61 * S);
    await d().sweeper.sweep();
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'closed', closeReason: 'left_message' });
    expect(await d().outboxTexts(conversationId)).toEqual([]);
  });

  it('closes a chat waiting for a left message that never came after the idle timeout', async () => {
    const { conversationId } = await d().addCustomer();
    await d().database.db.execute(sql`UPDATE conversations SET status = 'message', updated_at = ${ts(d().now())} WHERE id = ${conversationId}`);
    d().advance(121 * S);
    await d().sweeper.sweep();
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    expect(await d().outboxTexts(conversationId)).toEqual([]); // unserved: no closing text
  });
});

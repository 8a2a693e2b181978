import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../../server/db/raw.js';
import { deskTexts } from '../../../server/desk/texts.js';
import { testMode } from '../../helpers/mode.js';
import { S, useDeskParts } from './desk-fixture.js';

const HOUR = 3600 * S;

describe(`DeskHumanService over a real database (${testMode()})`, () => {
  const d = useDeskParts();

  const bindOffer = () => deskTexts.bindOffer('https://desk.example.test/auth/wechat/bind');

  it('queues with the position and no-agent notice, offering the bind link once a day', async () => {
    const { customerId, conversationId } = await d().addCustomer();
    const first = await d().human.requestHuman(await d().turn(customerId));
    expect(first?.content).toBe(deskTexts.queued(0, null) + `\n${deskTexts.noAgentOnline(null)}` + bindOffer());
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'queued', lane: 1, notifiedPosition: 1 });

    // Asking again while queued: the position again, no second bind offer.
    const again = await d().human.requestHuman(await d().turn(customerId));
    expect(again?.content).toBe(deskTexts.stillQueued(0, null) + `\n${deskTexts.noAgentOnline(null)}`);

    // A new chat later the same day: no bind offer; a day later: offered again.
    await d().human.endByCustomer(await d().turn(customerId));
    await d().addCustomerChat(customerId);
    d().advance(HOUR);
    expect((await d().human.requestHuman(await d().turn(customerId)))?.content).not.toContain(bindOffer());
    await d().human.endByCustomer(await d().turn(customerId));
    await d().addCustomerChat(customerId);
    d().advance(24 * HOUR);
    expect((await d().human.requestHuman(await d().turn(customerId)))?.content).toContain(bindOffer());
  });

  it('connects at once when an agent has room, answering passively', async () => {
    const agent = await d().addAgent('human-connect');
    const { customerId, conversationId } = await d().addCustomer();
    const reply = await d().human.requestHuman(await d().turn(customerId));
    expect(reply?.content.startsWith(deskTexts.connected('human-connect'))).toBe(true);
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'assigned', assigneeId: agent });
    expect(await d().outboxTexts(conversationId)).toEqual([]); // told passively, not twice
  });

  it('joins the lines a customer types within the follow-up window into one left message', async () => {
    const { customerId, conversationId } = await d().addCustomer();
    await d().database.db.execute(sql`UPDATE conversations SET status = 'message' WHERE id = ${conversationId}`);
    expect((await d().human.onCustomerMessage(await d().turn(customerId), '  '))?.content).toBe(deskTexts.leaveMessageTextOnly);
    expect((await d().human.onCustomerMessage(await d().turn(customerId), '请回电'))?.content).toBe(deskTexts.messageLeft);
    expect((await d().human.onCustomerMessage(await d().turn(customerId), '关于发票'))?.content).toBe(deskTexts.messageJoined);
    const left = () => rowsOf<{ id: number; content: string }>(d().database.db, sql`SELECT id, content FROM left_messages WHERE conversation_id = ${conversationId}`);
    expect(await left()).toEqual([{ id: expect.any(Number), content: '请回电\n关于发票' }]);

    // Once staff handle it, more lines do not change it.
    await d().database.db.execute(sql`UPDATE left_messages SET status = 'done' WHERE conversation_id = ${conversationId}`);
    expect((await d().human.onCustomerMessage(await d().turn(customerId), '还有一件事'))?.content).toBe(deskTexts.messageAlreadyHandled);
    expect((await left()).map((l) => l.content)).toEqual(['请回电\n关于发票']);
  });

  it('after the queue-timeout offer, 2 leaves the queue for a left message and 1 keeps the place', async () => {
    const { customerId, conversationId } = await d().addCustomer();
    await d().human.requestHuman(await d().turn(customerId));
    await d().database.db.execute(sql`UPDATE conversations SET queue_timeout_offered_at = now() WHERE id = ${conversationId}`);
    expect((await d().human.onCustomerMessage(await d().turn(customerId), '1'))?.content).toBe(deskTexts.keepWaiting(0));
    expect((await d().conversation(conversationId)).status).toBe('queued');
    expect((await d().human.onCustomerMessage(await d().turn(customerId), '2'))?.content).toBe(deskTexts.leaveMessagePrompt);
    expect((await d().conversation(conversationId)).status).toBe('message');
  });

  it('marks a served customer as waiting for the agent from their first message on', async () => {
    await d().addAgent('human-await');
    const { customerId, conversationId } = await d().addCustomer();
    await d().human.requestHuman(await d().turn(customerId));
    await d().database.db.execute(sql`UPDATE conversations SET awaiting_agent_since = NULL WHERE id = ${conversationId}`);
    const before = d().now().getTime();
    expect(await d().human.onCustomerMessage(await d().turn(customerId), '在吗')).toBeNull();
    const since = (await d().conversation(conversationId)).awaitingAgentSince;
    expect(since?.getTime()).toBeGreaterThanOrEqual(before);
    expect(since?.getTime()).toBeLessThanOrEqual(d().now().getTime());
    d().advance(10 * S);
    await d().human.onCustomerMessage(await d().turn(customerId), '在吗？');
    expect((await d().conversation(conversationId)).awaitingAgentSince?.getTime()).toBe(since?.getTime());
  });

  it('takes the rating of a served chat once, for the agent who served it', async () => {
    const agent = await d().addAgent('human-rating');
    const { customerId, conversationId } = await d().addCustomer();
    await d().human.requestHuman(await d().turn(customerId));
    const ended = await d().human.endByCustomer(await d().turn(customerId));
    expect(ended?.content).toContain(deskTexts.ratingAsk);
    expect((await d().human.takeRating(await d().turn(customerId), '5 很快'))?.content).toBe(deskTexts.ratingThanks(5));
    expect(await d().human.takeRating(await d().turn(customerId), '1')).toBeNull();
    const ratings = await rowsOf<{ staff_id: number; score: number; comment: string | null }>(d().database.db, sql`
      SELECT staff_id, score, comment FROM conversation_ratings WHERE conversation_id = ${conversationId}`);
    expect(ratings).toEqual([{ staff_id: agent, score: 5, comment: '很快' }]);
  });
});

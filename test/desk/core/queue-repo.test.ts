import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf, ts } from '../../../server/db/raw.js';
import {
  activeCount,
  assignIfQueued,
  enterQueue,
  handOverUnanswered,
  leaveQueueForMessage,
  markPositionTold,
  markQueueTimeoutsOffered,
  queuedInOrder,
  queuePositions,
  requeueUnanswered,
} from '../../../server/desk/queue.repo.js';
import { testMode } from '../../helpers/mode.js';
import { S, useDeskParts } from './desk-fixture.js';

describe(`the queue repository (${testMode()})`, () => {
  const d = useDeskParts();
  const db = () => d().database.db;

  it('lists queued chats in serving order: lane, then queued time, then id', async () => {
    const t = d().now().getTime();
    const chats: number[] = [];
    for (const [lane, ago] of [[1, 10], [0, 1], [1, 30], [0, 20]] as const) {
      const { conversationId } = await d().addCustomer();
      expect(await enterQueue(db(), conversationId, lane, new Date(t - ago * S))).toBe(true);
      chats.push(conversationId);
    }
    const [a, b, c, e] = chats as [number, number, number, number];
    expect((await queuedInOrder(db())).map((q) => q.conversationId)).toEqual([e, b, c, a]);
    expect((await queuePositions(db())).map((p) => [p.conversationId, p.position])).toEqual([[e, 1], [b, 2], [c, 3], [a, 4]]);
  });

  it('queues a chat once: enterQueue and leaveQueueForMessage are conditional', async () => {
    const { conversationId } = await d().addCustomer();
    expect(await enterQueue(db(), conversationId, 1, d().now())).toBe(true);
    expect(await enterQueue(db(), conversationId, 0, d().now())).toBe(false);
    expect((await d().conversation(conversationId)).lane).toBe(1);
    expect(await leaveQueueForMessage(db(), conversationId, d().now())).toBe(true);
    expect(await leaveQueueForMessage(db(), conversationId, d().now())).toBe(false);
    expect((await d().conversation(conversationId)).status).toBe('message');
  });

  it('assigns a queued chat to one winner and counts it as active', async () => {
    const one = await d().addAgent('repo-one');
    const two = await d().addAgent('repo-two');
    const { conversationId } = await d().addCustomer();
    await enterQueue(db(), conversationId, 1, d().now());
    const [first, second] = await Promise.all([assignIfQueued(db(), conversationId, one, d().now()), assignIfQueued(db(), conversationId, two, d().now())]);
    expect([first, second].filter((r) => r !== null)).toHaveLength(1);
    const winner = first ? one : two;
    expect(await activeCount(db(), winner)).toBe(1);
    expect(await activeCount(db(), winner === one ? two : one)).toBe(0);
  });

  it('records a position told only from the position last told', async () => {
    const { conversationId } = await d().addCustomer();
    await enterQueue(db(), conversationId, 1, d().now());
    expect(await markPositionTold(db(), conversationId, null, 3)).toBe(true);
    expect(await markPositionTold(db(), conversationId, null, 2)).toBe(false);
    expect(await markPositionTold(db(), conversationId, 3, 2)).toBe(true);
    expect((await d().conversation(conversationId)).notifiedPosition).toBe(2);
  });

  it('marks the queue-timeout offer only on chats queued longer than the timeout, once', async () => {
    const old = (await d().addCustomer()).conversationId;
    const fresh = (await d().addCustomer()).conversationId;
    await enterQueue(db(), old, 1, new Date(d().now().getTime() - 61 * S));
    await enterQueue(db(), fresh, 1, d().now());
    expect((await markQueueTimeoutsOffered(db(), d().now(), 60)).map((r) => r.id)).toEqual([old]);
    expect(await markQueueTimeoutsOffered(db(), d().now(), 60)).toEqual([]);
  });

  it('moves an unanswered chat only while it is still with the agent it was read with', async () => {
    const one = await d().addAgent('repo-from');
    const two = await d().addAgent('repo-to');
    const { conversationId } = await d().addCustomer();
    await enterQueue(db(), conversationId, 1, d().now());
    await assignIfQueued(db(), conversationId, one, d().now());
    expect(await handOverUnanswered(db(), conversationId, two, one, d().now())).toBe(false); // not with `two`
    expect(await handOverUnanswered(db(), conversationId, one, two, d().now())).toBe(true);
    const [staffRow] = await rowsOf<{ last_assigned_at: unknown }>(db(), sql`SELECT last_assigned_at FROM staff WHERE id = ${two}`);
    expect(staffRow?.last_assigned_at).not.toBeNull();
    expect(await requeueUnanswered(db(), conversationId, one, d().now())).toBe(false);
    expect(await requeueUnanswered(db(), conversationId, two, d().now())).toBe(true);
    expect(await d().conversation(conversationId)).toMatchObject({ status: 'queued', lane: 0, assigneeId: two });
    await db().execute(sql`UPDATE conversations SET queued_at = ${ts(d().now())} WHERE id = ${conversationId}`);
    expect((await queuedInOrder(db())).find((q) => q.conversationId === conversationId)?.avoidStaffId).toBe(two);
  });
});

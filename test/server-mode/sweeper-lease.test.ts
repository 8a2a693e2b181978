import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryLockSweep } from '../../server/desk/queue.repo.js';
import { deskTexts } from '../../server/desk/texts.js';
import { openDeskParts, S, type DeskParts } from '../desk/core/desk-fixture.js';

/**
 * The sweep lease between instances. PostgreSQL only: PGlite has one connection, so a second
 * transaction waits for the first instead of meeting its lease (and an embedded server is one instance).
 */
describe('the desk sweeper’s lease on a PostgreSQL server', () => {
  let d: DeskParts;
  beforeAll(async () => {
    d = await openDeskParts({ queueTimeoutS: 60, answerTimeoutS: 30, idleTimeoutS: 120 });
  });
  afterAll(async () => {
    await d?.close();
  });

  it('does nothing while another instance holds the lease', async () => {
    const { conversationId } = await d.addQueuedCustomer();
    d.advance(61 * S);
    await d.database.db.transaction(async (tx) => {
      expect(await tryLockSweep(tx)).toBe(true);
      expect(await d.sweeper.sweep()).toBe(false);
    });
    expect(await d.outboxTexts(conversationId)).toEqual([]);
    expect(await d.sweeper.sweep()).toBe(true);
    expect(await d.outboxTexts(conversationId)).toEqual([deskTexts.queueTimeoutOffer]);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConversationFor } from '../../server/chat/conversations.repo.js';
import { sayToCustomer } from '../../server/chat/outbound.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { rowsOf } from '../../server/db/raw.js';
import { customers } from '../../server/db/schema.js';
import { createLocalBus } from '../../server/platform/bus.js';
import { Effects } from '../../server/platform/effects.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';

describe(`a text to the customer through the outbox (${testMode()})`, () => {
  let database: Database;
  let conversationId: number;
  beforeAll(async () => {
    database = await openDatabase(await freshStorageTarget());
    const [c] = await database.db.insert(customers).values({ openid: 'outbound-customer' }).returning({ id: customers.id });
    conversationId = (await openConversationFor(database.db, c!.id)).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  const stored = (id: number) =>
    rowsOf<{ sender: string; delivery: string; content: string; payload: unknown; openid: string }>(database.db, sql`
      SELECT m.sender, m.delivery, m.content, o.payload, o.openid FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = ${id}`);

  it('stores the message and its outbox row together, and announces them only when flushed after commit', async () => {
    const bus = createLocalBus();
    const heard: string[] = [];
    bus.on('message.created', () => void heard.push('message.created'));
    bus.on('outbox.enqueued', () => void heard.push('outbox.enqueued'));
    const fx = new Effects();
    const message = await database.db.transaction((tx) => sayToCustomer(tx, fx, { conversationId, openid: 'outbound-customer', text: '您好', sender: 'bot', delivery: 'custom' }));
    expect(heard).toEqual([]);
    await fx.flush(bus);
    expect(heard).toEqual(['message.created', 'outbox.enqueued']);
    expect(await stored(message.id)).toEqual([{ sender: 'bot', delivery: 'custom', content: '您好', payload: { type: 'text', content: '您好' }, openid: 'outbound-customer' }]);
  });

  it('leaves neither row when the transaction rolls back', async () => {
    const fx = new Effects();
    let id = 0;
    await expect(
      database.db.transaction(async (tx) => {
        id = (await sayToCustomer(tx, fx, { conversationId, openid: 'outbound-customer', text: '不会发出', sender: 'system' })).id;
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [n] = await rowsOf<{ m: number; o: number }>(database.db, sql`
      SELECT (SELECT count(*) FROM messages WHERE id = ${id})::int AS m, (SELECT count(*) FROM outbox WHERE message_id = ${id})::int AS o`);
    expect(n).toEqual({ m: 0, o: 0 });
  });
});

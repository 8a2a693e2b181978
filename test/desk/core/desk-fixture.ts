import { afterAll, beforeAll, beforeEach } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { openConversationFor, insertMessage } from '../../../server/chat/conversations.repo.js';
import type { Turn } from '../../../server/chat/ports.js';
import { openDatabase, type Database } from '../../../server/db/client.js';
import { rowsOf, ts } from '../../../server/db/raw.js';
import { conversations, customers } from '../../../server/db/schema.js';
import { DeskHumanService } from '../../../server/desk/desk-human-service.js';
import { DeskCore } from '../../../server/desk/desk.core.js';
import { DeskSweeper } from '../../../server/desk/sweeper.js';
import { createLocalBus } from '../../../server/platform/bus.js';
import type { EventName } from '../../../server/platform/events.js';
import { silentLogger } from '../../../server/platform/logger.js';
import { staff } from '../../../server/staff/schema.js';
import { freshStorageTarget } from '../../helpers/mode.js';

export const S = 1000;

/**
 * The desk's parts over a real database, without HTTP or WeChat: a movable clock, the events
 * they announce, and helpers that put customers, agents and chats in a given state.
 */
export interface DeskParts {
  database: Database;
  core: DeskCore;
  human: DeskHumanService;
  sweeper: DeskSweeper;
  events: Array<{ name: EventName; payload: unknown }>;
  advance(ms: number): void;
  now(): Date;
  addAgent(name: string, o?: { maxConcurrent?: number; online?: boolean }): Promise<number>;
  /** A customer with an open bot chat and one inbound message. */
  addCustomer(): Promise<{ customerId: number; conversationId: number }>;
  /** A customer who asked for a human (#人工), as the human service queues them. */
  addQueuedCustomer(): Promise<{ customerId: number; conversationId: number }>;
  /** A new open bot chat for an existing customer (after the last one closed). */
  addCustomerChat(customerId: number): Promise<number>;
  /** The customer's turn as the router would pass it: the rows as they are now. */
  turn(customerId: number): Promise<Turn>;
  conversation(id: number): Promise<typeof conversations.$inferSelect>;
  /** Texts stored for the outbox in this chat, in order. */
  outboxTexts(conversationId: number): Promise<string[]>;
  /** Every agent offline and every chat closed: a clean desk for the next test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The desk parts for one test file: opened before its tests, reset before each, closed after.
 * Returns a getter, since the parts exist only once the file's tests start.
 */
export function useDeskParts(config: Parameters<typeof openDeskParts>[0] = {}): () => DeskParts {
  let parts: DeskParts | undefined;
  beforeAll(async () => {
    parts = await openDeskParts(config);
  });
  afterAll(async () => {
    await parts?.close();
  });
  beforeEach(async () => {
    await parts!.reset();
  });
  return () => parts!;
}

export async function openDeskParts(config: { queueTimeoutS?: number; idleTimeoutS?: number; answerTimeoutS?: number; hours?: string } = {}): Promise<DeskParts> {
  const database = await openDatabase(await freshStorageTarget());
  const db = database.db;
  let offset = 0;
  const clock = () => Date.now() + offset;
  const bus = createLocalBus();
  const events: DeskParts['events'] = [];
  const wrappedEmit = bus.emit.bind(bus);
  bus.emit = (async (name: EventName, payload: never) => {
    events.push({ name, payload });
    await wrappedEmit(name, payload);
  }) as typeof bus.emit;
  const core = new DeskCore({
    db,
    bus,
    logger: silentLogger,
    config: { hours: config.hours ?? 'always', timeZone: 'Asia/Shanghai', queueTimeoutS: config.queueTimeoutS ?? 60, idleTimeoutS: config.idleTimeoutS ?? 120, answerTimeoutS: config.answerTimeoutS ?? 30, sweepMs: 3_600_000 },
    publicBaseUrl: 'https://desk.example.test',
    now: clock,
  });
  let customerSeq = 0;
  return {
    database,
    core,
    human: new DeskHumanService(core),
    sweeper: new DeskSweeper(core, silentLogger),
    events,
    advance: (ms) => void (offset += ms),
    now: () => new Date(clock()),
    async addAgent(name, o = {}) {
      const [row] = await db
        .insert(staff)
        .values({ username: name, passwordHash: 'not-used', displayName: name, role: 'agent', status: o.online === false ? 'offline' : 'online', maxConcurrent: o.maxConcurrent ?? 5 })
        .returning({ id: staff.id });
      return row!.id;
    },
    async addCustomer() {
      const [c] = await db.insert(customers).values({ openid: `core-customer-${++customerSeq}-${Date.now()}`, lastInteractionAt: new Date(clock()) }).returning({ id: customers.id });
      const conversation = await openConversationFor(db, c!.id);
      await insertMessage(db, { conversationId: conversation.id, direction: 'in', sender: 'customer', kind: 'text', content: '你好' });
      return { customerId: c!.id, conversationId: conversation.id };
    },
    async addQueuedCustomer(this: DeskParts) {
      const c = await this.addCustomer();
      await this.human.requestHuman(await this.turn(c.customerId));
      return c;
    },
    async addCustomerChat(customerId) {
      return (await openConversationFor(db, customerId)).id;
    },
    async turn(customerId) {
      const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
      const [conversation] = await db.select().from(conversations).where(eq(conversations.customerId, customerId)).orderBy(sql`${conversations.id} DESC`).limit(1);
      return { customer: customer!, conversation: conversation!, messageId: 0 };
    },
    async conversation(id) {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
      return row!;
    },
    async outboxTexts(conversationId) {
      const rows = await rowsOf<{ content: string }>(db, sql`
        SELECT m.content FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.conversation_id = ${conversationId} ORDER BY m.id`);
      return rows.map((r) => r.content);
    },
    async reset() {
      await db.execute(sql`UPDATE staff SET status = 'offline'`);
      await db.execute(sql`UPDATE conversations SET status = 'closed', closed_at = ${ts(new Date(clock()))} WHERE status <> 'closed'`);
      events.length = 0;
    },
    close: () => database.close(),
  };
}

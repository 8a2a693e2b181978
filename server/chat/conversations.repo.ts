import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { conversations, customers, messages } from '../db/schema.js';

/** A customer as the push path sees it: the binding's and the bind offer's times are read where they are used. */
export type Customer = Omit<typeof customers.$inferSelect, 'boundAt' | 'bindOfferedAt'>;
export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** The customer's open conversation on a channel, created when there is none. */
export async function openConversationFor(db: DbOrTx, customerId: number, channel = 'wechat'): Promise<Conversation> {
  const found = await findOpenConversation(db, customerId, channel);
  if (found) return found;
  const [created] = await db
    .insert(conversations)
    .values({ customerId, channel })
    .onConflictDoNothing()
    .returning();
  return created ?? (await findOpenConversation(db, customerId, channel))!;
}

async function findOpenConversation(db: DbOrTx, customerId: number, channel = 'wechat'): Promise<Conversation | undefined> {
  const rows = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.customerId, customerId), eq(conversations.channel, channel), ne(conversations.status, 'closed')))
    .limit(1);
  return rows[0];
}

export async function insertMessage(db: DbOrTx, m: NewMessage): Promise<Message> {
  const [row] = await db.insert(messages).values(m).returning();
  return row!;
}

export async function setConversationStatus(db: DbOrTx, id: number, status: 'bot' | 'queued' | 'assigned' | 'message' | 'closed'): Promise<void> {
  await db
    .update(conversations)
    .set({ status, updatedAt: new Date(), closedAt: status === 'closed' ? new Date() : null })
    .where(eq(conversations.id, id));
}

/** Every message of a customer across conversations, oldest first (tests, the desk's history). */
export async function listMessagesByOpenid(db: DbOrTx, openid: string): Promise<Message[]> {
  return db
    .select({ m: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(customers.openid, openid))
    .orderBy(messages.id)
    .then((rows) => rows.map((r) => r.m));
}

export async function countMessagesByKey(db: DbOrTx, wechatKey: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(messages).where(eq(messages.wechatKey, wechatKey));
  return row?.n ?? 0;
}

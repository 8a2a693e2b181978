import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The 1–5 satisfaction rating asked when a human chat ends, one per conversation. */
export const conversationRatings = pgTable(
  'conversation_ratings',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id').notNull(),
    customerId: integer('customer_id').notNull(),
    /** The agent who served the chat. */
    staffId: integer('staff_id'),
    score: integer('score').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('conversation_ratings_one').on(t.conversationId), index('conversation_ratings_staff').on(t.staffId)],
);

/** Canned replies, typed as "/shortcut" in the console's reply box. */
export const cannedReplies = pgTable('canned_replies', {
  id: serial('id').primaryKey(),
  shortcut: text('shortcut').notNull().unique(),
  title: text('title').notNull(),
  content: text('content').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Messages left out of hours or after a queue timeout: kept for the first agent (and turned
 * into tickets later). status: open | done.
 */
export const leftMessages = pgTable(
  'left_messages',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id').notNull(),
    customerId: integer('customer_id').notNull(),
    content: text('content').notNull(),
    status: text('status').notNull().default('open'),
    handledBy: integer('handled_by'),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('left_messages_status').on(t.status, t.createdAt)],
);

import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** WeChat users of the Official Account, one row per openid. */
export const customers = pgTable('customers', {
  id: serial('id').primaryKey(),
  openid: text('openid').notNull().unique(),
  subscribed: boolean('subscribed').notNull().default(true),
  /** The last time the customer wrote or tapped: opens WeChat's 48 h custom-send window. */
  lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A chat between one customer and the service centre. status:
 * bot (the bot answers) | queued (waiting for a human) | assigned (a human serves it) | closed.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: serial('id').primaryKey(),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    channel: text('channel').notNull().default('wechat'),
    status: text('status').notNull().default('bot'),
    assigneeId: integer('assignee_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    // At most one open conversation per customer and channel.
    uniqueIndex('conversations_one_open').on(t.customerId, t.channel).where(sql`${t.status} <> 'closed'`),
    index('conversations_status').on(t.status),
  ],
);

/**
 * The history. direction: in (from the customer) | out (to the customer) | note (internal).
 * sender: customer | bot | agent | system. delivery (out only): passive | custom.
 */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id),
    direction: text('direction').notNull(),
    sender: text('sender').notNull(),
    kind: text('kind').notNull(),
    content: text('content').notNull().default(''),
    payload: jsonb('payload'),
    /** The WeChat MsgId (a string: it can exceed 2^53) or the event dedupe key. */
    wechatKey: text('wechat_key'),
    delivery: text('delivery'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('messages_conversation').on(t.conversationId, t.id)],
);

/**
 * One row per push WeChat sent us (key: MsgId, or FromUserName + CreateTime for events).
 * A retry finds the row: it waits while status is 'processing', and gets `reply` once 'done'.
 */
export const processedPushes = pgTable('processed_pushes', {
  key: text('key').primaryKey(),
  status: text('status').notNull().default('processing'),
  /** The plain reply XML; null means the reply was an empty body. */
  reply: text('reply'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/**
 * Messages waiting to go out through the customer-service send API.
 * status: pending | sending | sent | held (45015/45047: waits for the customer to write) | failed.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    openid: text('openid').notNull(),
    messageId: bigint('message_id', { mode: 'number' }),
    kind: text('kind').notNull().default('text'),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastErrorCode: integer('last_error_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_due').on(t.status, t.nextAttemptAt), index('outbox_openid').on(t.openid, t.status)],
);

/** Small shared values with an expiry: the WeChat access_token in embedded mode, and the like. */
export const kv = pgTable('kv', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// The other modules' tables, so that Drizzle's relational schema and migrations see them all.
export * from '../bot/kb/schema.js';
export * from '../staff/schema.js';

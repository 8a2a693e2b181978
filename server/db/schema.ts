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
import { accounts } from '../accounts/schema.js';

/** WeChat users of the Official Account, one row per openid. */
export const customers = pgTable('customers', {
  id: serial('id').primaryKey(),
  openid: text('openid').notNull().unique(),
  subscribed: boolean('subscribed').notNull().default(true),
  /** The last time the customer wrote or tapped: opens WeChat's 48 h custom-send window. */
  lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
  /** The bound account (OAuth binding); null = not bound yet. */
  accountId: integer('account_id').references(() => accounts.id),
  /** When the openid was bound to account_id (个人中心 lists the bindings with it). */
  boundAt: timestamp('bound_at', { withTimezone: true }),
  /** When the human service last offered the bind link: it is offered once a day, not on every #人工. */
  bindOfferedAt: timestamp('bind_offered_at', { withTimezone: true }),
  /** A closed human chat waiting for its 1–5 rating, and when it was asked. */
  ratingPendingConversationId: integer('rating_pending_conversation_id'),
  ratingAskedAt: timestamp('rating_asked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A chat between one customer and the service centre. status:
 * bot (the bot answers) | queued (waiting for a human) | assigned (a human serves it) |
 * message (out of hours or after a queue timeout: the next text is a left message) | closed.
 * The desk columns are null while the bot serves.
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
    /** 0 = priority (VIP, or a unit with a valid service level), 1 = everyone else. */
    lane: integer('lane'),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    /** Set while a customer message waits for the agent's answer (reassignment on no answer). */
    awaitingAgentSince: timestamp('awaiting_agent_since', { withTimezone: true }),
    /** The last position told to the customer (updates only when it changes meaningfully). */
    notifiedPosition: integer('notified_position'),
    /** When the queue timeout offer (keep waiting / leave a message) was sent. */
    queueTimeoutOfferedAt: timestamp('queue_timeout_offered_at', { withTimezone: true }),
    /** customer | agent | inactivity | unsubscribe | left_message | admin */
    closeReason: text('close_reason'),
  },
  (t) => [
    // At most one open conversation per customer and channel.
    uniqueIndex('conversations_one_open').on(t.customerId, t.channel).where(sql`${t.status} <> 'closed'`),
    index('conversations_status').on(t.status),
    index('conversations_queue').on(t.lane, t.queuedAt).where(sql`${t.status} = 'queued'`),
    index('conversations_assignee').on(t.assigneeId).where(sql`${t.status} = 'assigned'`),
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
    /** The staff member who wrote it (agent messages and private notes). */
    staffId: integer('staff_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('messages_conversation').on(t.conversationId, t.id)],
);

/**
 * One row per push WeChat sent us (key: FromUserName + MsgId, or FromUserName + CreateTime for events: a MsgId is unique per user only).
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
    /**
     * A send was started and its worker vanished before the outcome was stored (the lease ran
     * out), so the row was sent again: the customer may have received it twice (docs/outbox.md).
     */
    possibleDuplicate: boolean('possible_duplicate').notNull().default(false),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    index('outbox_openid').on(t.openid, t.status),
    // The desk reads a message's outbox row (resend, "may have gone twice").
    index('outbox_message').on(t.messageId),
  ],
);

/** Small shared values with an expiry: the WeChat access_token in embedded mode, and the like. */
export const kv = pgTable('kv', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// The other modules' tables, so that Drizzle's relational schema and migrations see them all.
export * from '../kb/schema.js';
export * from '../staff/schema.js';
export * from '../accounts/schema.js';
export * from '../desk/schema.js';
export * from '../auth/schema.js';

import { index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * H5 user sessions: the cookie holds a random token, the table its SHA-256.
 * A session may carry a WeChat openid (OAuth), an account (logged in), or both.
 */
export const h5Sessions = pgTable(
  'h5_sessions',
  {
    id: text('id').primaryKey(),
    openid: text('openid'),
    accountId: integer('account_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('h5_sessions_account').on(t.accountId)],
);

/**
 * One-time codes sent by SMS or e-mail (register, password reset). Stored hashed; valid for
 * 5 minutes and at most 5 attempts. purpose: register | reset. channel: sms | email.
 */
export const verificationCodes = pgTable(
  'verification_codes',
  {
    id: serial('id').primaryKey(),
    purpose: text('purpose').notNull(),
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('verification_codes_target').on(t.target, t.purpose, t.createdAt)],
);

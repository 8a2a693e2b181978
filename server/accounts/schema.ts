import { boolean, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Customer units (单位) and their accounts: the web side's rules, which WeChat shares
 * (DESIGN.md §1 "Accounts"). The desk reads them (queue lanes, the customer panel);
 * registration, binding, roles and applications build on them.
 */
export const units = pgTable('units', {
  id: serial('id').primaryKey(),
  /** The exact full name: the service-code lookup matches it exactly, never fuzzily. */
  fullName: text('full_name').notNull().unique(),
  serviceCode: text('service_code').notNull().unique(),
  /** e.g. 金牌服务; null when the unit has no service contract. */
  serviceLevel: text('service_level'),
  serviceValidUntil: date('service_valid_until', { mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  mobile: text('mobile').unique(),
  email: text('email').unique(),
  /** scrypt, as for staff. */
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  avatarUrl: text('avatar_url'),
  unitId: integer('unit_id').references(() => units.id),
  vip: boolean('vip').notNull().default(false),
  unitAdmin: boolean('unit_admin').notNull().default(false),
  internalStaff: boolean('internal_staff').notNull().default(false),
  points: integer('points').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Points, credited by activity (rules in one place: server/accounts/points.ts). Idempotent per
 * event: one row per (account, reason, event key), e.g. ('first_read', 'article:42').
 */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id').notNull().references(() => accounts.id),
    reason: text('reason').notNull(),
    eventKey: text('event_key').notNull(),
    points: integer('points').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('points_ledger_event').on(t.accountId, t.reason, t.eventKey), index('points_ledger_account').on(t.accountId, t.createdAt)],
);

/** Applications for VIP + unit administrator, or for internal staff; decided by staff with a reason. */
export const applications = pgTable(
  'applications',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id').notNull().references(() => accounts.id),
    /** vip_admin | internal */
    kind: text('kind').notNull(),
    /** pending | approved | rejected */
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    decidedBy: integer('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('applications_status').on(t.status, t.createdAt), index('applications_account').on(t.accountId)],
);

/** Every service-code lookup, hit or miss: who (openid / account / IP), when, what name. */
export const serviceCodeLookups = pgTable(
  'service_code_lookups',
  {
    id: serial('id').primaryKey(),
    openid: text('openid'),
    accountId: integer('account_id'),
    ip: text('ip'),
    fullName: text('full_name').notNull(),
    hit: boolean('hit').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('service_code_lookups_created').on(t.createdAt)],
);

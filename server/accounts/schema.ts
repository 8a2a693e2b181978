import { boolean, date, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Customer units (单位) and their accounts: the web side's rules, which WeChat shares
 * (DESIGN.md §1 "Accounts"). Issue #4 reads them (queue lanes, the customer panel);
 * issue #5 builds registration, binding, roles and applications on them.
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
  unitId: integer('unit_id').references(() => units.id),
  vip: boolean('vip').notNull().default(false),
  unitAdmin: boolean('unit_admin').notNull().default(false),
  internalStaff: boolean('internal_staff').notNull().default(false),
  points: integer('points').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

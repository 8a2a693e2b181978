import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** Staff accounts: agent | technician | admin. Passwords are scrypt hashes. */
export const staff = pgTable('staff', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(),
  /** online | away | offline */
  status: text('status').notNull().default('offline'),
  maxConcurrent: integer('max_concurrent').notNull().default(5),
  /** Ties in automatic assignment go to whoever has waited longest since their last chat. */
  lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Server-side staff sessions; the cookie holds the random id, the table its SHA-256. */
export const staffSessions = pgTable('staff_sessions', {
  id: text('id').primaryKey(),
  staffId: integer('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

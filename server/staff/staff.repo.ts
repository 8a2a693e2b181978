import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { staff } from './schema.js';

export type StaffRow = typeof staff.$inferSelect;

/** Inserts an account; returns undefined when the username is taken. */
export async function insertStaff(db: Db, row: typeof staff.$inferInsert): Promise<StaffRow | undefined> {
  const [created] = await db.insert(staff).values(row).onConflictDoNothing({ target: staff.username }).returning();
  return created;
}

export async function findStaffByUsername(db: Db, username: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.username, username)).limit(1);
  return row;
}

export async function setStaffPasswordHash(db: Db, id: number, passwordHash: string): Promise<void> {
  await db.update(staff).set({ passwordHash }).where(eq(staff.id, id));
}

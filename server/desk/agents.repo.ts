import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rowsOf } from '../db/raw.js';

/** A staff member as the desk sees them when handing them chats. */

/** How many chats the staff member may serve at once; undefined for an unknown id. */
export async function maxConcurrentOf(db: DbOrTx, staffId: number): Promise<number | undefined> {
  const [cap] = await rowsOf<{ max_concurrent: number }>(db, sql`SELECT max_concurrent FROM staff WHERE id = ${staffId}`);
  return cap?.max_concurrent;
}

export interface StaffTarget {
  id: number;
  display_name: string;
  role: string;
  status: string;
  max_concurrent: number;
}

/** A staff member by id or (case-insensitive) username, whatever their role; undefined when unknown. */
export async function staffByIdOrUsername(db: DbOrTx, target: number | string): Promise<StaffTarget | undefined> {
  const [to] = await rowsOf<StaffTarget>(db, sql`
        SELECT id, display_name, role, status, max_concurrent FROM staff
        WHERE ${typeof target === 'number' ? sql`id = ${target}` : sql`username = ${target.toLowerCase()}`}`);
  return to;
}

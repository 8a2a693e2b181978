import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { processedPushes } from '../db/schema.js';

/** The dedupe log of pushes; the claim itself is part of the inbound statement (push-turn.repo.ts). */
export async function finishPush(db: DbOrTx, key: string, reply: string | null): Promise<void> {
  await db.update(processedPushes).set({ status: 'done', reply, finishedAt: new Date() }).where(eq(processedPushes.key, key));
}

/** Forgets a claimed push, so that WeChat's retry of it runs again from the start. */
export async function releasePush(db: DbOrTx, key: string): Promise<void> {
  await db.delete(processedPushes).where(and(eq(processedPushes.key, key), eq(processedPushes.status, 'processing')));
}

export async function readPush(db: DbOrTx, key: string): Promise<{ status: string; reply: string | null } | undefined> {
  const rows = await db
    .select({ status: processedPushes.status, reply: processedPushes.reply })
    .from(processedPushes)
    .where(eq(processedPushes.key, key))
    .limit(1);
  return rows[0];
}

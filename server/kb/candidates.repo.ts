import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';

/** Advisory lock key: offering the FAQ candidates of one conversation. */
const CANDIDATE_LOCK = 727301;

/** Serialises offering candidates for this conversation until the transaction ends, on every instance. */
export async function lockCandidatesOf(tx: DbOrTx, conversationId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CANDIDATE_LOCK}, ${conversationId}::int)`);
}

import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { unansweredQuestions } from './schema.js';

/** The unanswered log's storage: reading open clusters by length, and counting questions into clusters. */

export type UnansweredCluster = typeof unansweredQuestions.$inferSelect;

const byLength = (minLen: number, maxLen: number) => sql`char_length(${unansweredQuestions.normalized}) between ${minLen} and ${maxLen}`;

/** Open clusters whose normalised text is minLen..maxLen characters long, most recently asked first. */
export async function openClustersInLengths(db: DbOrTx, minLen: number, maxLen: number, limit: number): Promise<UnansweredCluster[]> {
  return db
    .select()
    .from(unansweredQuestions)
    .where(and(eq(unansweredQuestions.status, 'open'), byLength(minLen, maxLen)))
    .orderBy(desc(unansweredQuestions.lastAskedAt))
    .limit(limit);
}

/** The same clusters, id and normalised text only (the batch path compares texts itself). */
export async function openClusterTextsInLengths(db: DbOrTx, minLen: number, maxLen: number, limit: number): Promise<Array<{ id: number; normalized: string }>> {
  const t = unansweredQuestions;
  return db
    .select({ id: t.id, normalized: t.normalized })
    .from(t)
    .where(and(eq(t.status, 'open'), byLength(minLen, maxLen)))
    .orderBy(desc(t.lastAskedAt))
    .limit(limit);
}

export async function insertCluster(db: DbOrTx, text: string, normalized: string): Promise<UnansweredCluster> {
  const [row] = await db
    .insert(unansweredQuestions)
    .values({ text, normalized })
    .onConflictDoUpdate({
      // Same normalised text as a cluster that is no longer open (or a concurrent insert): count it there.
      target: unansweredQuestions.normalized,
      set: { count: sql`${unansweredQuestions.count} + 1`, lastAskedAt: sql`now()` },
    })
    .returning();
  return row!;
}

/** count + 1, last asked now, and the wording merged into the variants (kb_merge_variants), atomically. */
export async function bumpCluster(db: DbOrTx, id: number, text: string, maxVariants: number): Promise<UnansweredCluster | undefined> {
  const t = unansweredQuestions;
  const [row] = await db
    .update(t)
    .set({
      count: sql`${t.count} + 1`,
      lastAskedAt: sql`now()`,
      variants: sql`kb_merge_variants(${t.variants}, ${t.text}, jsonb_build_array(${text}::text), ${maxVariants})`,
    })
    .where(eq(t.id, id))
    .returning();
  return row;
}

export interface ClusterWrite {
  id: number | undefined;
  normalized: string;
  firstText: string;
  texts: string[];
}

/**
 * The whole batch in ONE statement (PGlite runs every push behind it): new clusters are inserted
 * with their count and first wordings; existing ones get count + n, last asked now, and the new
 * wordings merged by kb_merge_variants (server/db/functions/kb_merge_variants.sql). A new cluster whose normalised text
 * already has a closed cluster is counted there, as logUnanswered does. The "= ANY (ARRAY(...))"
 * condition keeps the update an index lookup: joined to the input alone, it was planned as a
 * sequential scan of the whole log (the same fix as in wx_record_replies).
 */
export async function writeClusters(db: Db, clusters: ClusterWrite[], maxVariants: number): Promise<void> {
  const input = clusters.map((k) => {
    const wordings = [...new Set(k.texts)];
    return k.id === undefined
      ? { id: null, text: k.firstText, normalized: k.normalized, times: 1 + k.texts.length, wordings }
      : { id: k.id, text: null, normalized: null, times: k.texts.length, wordings };
  });
  if (input.length === 0) return;
  await db.execute(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS t(id int, text text, normalized text, times int, wordings jsonb)
    ), inserted AS (
      INSERT INTO unanswered_questions (text, normalized, count, variants)
      SELECT input.text, input.normalized, input.times, kb_merge_variants('[]'::jsonb, input.text, input.wordings, ${maxVariants})
      FROM input WHERE input.id IS NULL
      ON CONFLICT (normalized) DO UPDATE SET
        count = unanswered_questions.count + EXCLUDED.count,
        last_asked_at = now(),
        variants = kb_merge_variants(unanswered_questions.variants, unanswered_questions.text, EXCLUDED.variants, ${maxVariants})
      RETURNING id
    )
    UPDATE unanswered_questions u SET
      count = u.count + input.times,
      last_asked_at = now(),
      variants = kb_merge_variants(u.variants, u.text, input.wordings, ${maxVariants})
    FROM input WHERE u.id = input.id AND u.id = ANY (ARRAY(SELECT id FROM input WHERE id IS NOT NULL))
  `);
}

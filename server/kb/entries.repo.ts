import { and, asc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { faqEntries, faqQuestions } from './schema.js';

export type Entry = typeof faqEntries.$inferSelect;
export type NewEntry = typeof faqEntries.$inferInsert;
export type SimilarQuestion = { id: number; text: string; source: string };
/** draft | published; deleted entries are kept (slugs stop the seeder re-adding them, turns keep their entry). */
export type EntryStatus = 'draft' | 'published' | 'deleted';

/**
 * Awaits lazy Drizzle queries one after another, like Promise.all but in sequence: these
 * functions also run inside transactions, whose single connection takes one query at a time.
 */
export async function inOrder<T extends readonly unknown[] | []>(queries: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const out: unknown[] = [];
  for (const q of queries) out.push(await q);
  return out as { -readonly [P in keyof T]: Awaited<T[P]> };
}

/** Rows per multi-row insert: far below PostgreSQL's 65535 parameters. */
export const INSERT_CHUNK = 500;

export interface EntryFilter {
  text?: string;
  product?: string;
  module?: string;
  status?: 'draft' | 'published';
  offset: number;
  limit: number;
}

/** One page of live (not deleted) entries matching the filter, by id, with the number of similar questions. */
export async function listLiveEntries(db: DbOrTx, f: EntryFilter): Promise<{ rows: (Entry & { similarCount: number })[]; total: number }> {
  const where = liveFilter(f);
  const [rows, [count]] = await inOrder([
    db
      .select({
        entry: faqEntries,
        // Qualified by hand: inside a subquery Drizzle may print columns without their table.
        similarCount: sql<number>`(select count(*)::int from faq_questions q where q.entry_id = "faq_entries"."id")`,
      })
      .from(faqEntries)
      .where(where)
      .orderBy(asc(faqEntries.id))
      .limit(f.limit)
      .offset(f.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(faqEntries).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.entry, similarCount: r.similarCount })), total: count?.n ?? 0 };
}

function liveFilter(f: Omit<EntryFilter, 'offset' | 'limit'>): SQL | undefined {
  const conds: (SQL | undefined)[] = [ne(faqEntries.status, 'deleted')];
  if (f.status) conds.push(eq(faqEntries.status, f.status));
  if (f.product) conds.push(eq(faqEntries.product, f.product));
  if (f.module) conds.push(eq(faqEntries.module, f.module));
  const text = f.text?.trim();
  if (text) {
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(
      or(
        ilike(faqEntries.question, pattern),
        ilike(faqEntries.answer, pattern),
        sql`exists (select 1 from faq_questions q where q.entry_id = "faq_entries"."id" and q.text ilike ${pattern})`,
      ),
    );
  }
  return and(...conds);
}

/** A live entry by id, or undefined. */
export async function findLiveEntry(db: DbOrTx, id: number): Promise<Entry | undefined> {
  const rows = await db
    .select()
    .from(faqEntries)
    .where(and(eq(faqEntries.id, id), ne(faqEntries.status, 'deleted')))
    .limit(1);
  return rows[0];
}

export async function listSimilarOf(db: DbOrTx, entryId: number): Promise<SimilarQuestion[]> {
  return db
    .select({ id: faqQuestions.id, text: faqQuestions.text, source: faqQuestions.source })
    .from(faqQuestions)
    .where(eq(faqQuestions.entryId, entryId))
    .orderBy(asc(faqQuestions.id));
}

/** id and standard question of every live entry: duplicate checks normalise them in code. */
export async function listLiveQuestions(db: DbOrTx): Promise<{ id: number; question: string }[]> {
  return db.select({ id: faqEntries.id, question: faqEntries.question }).from(faqEntries).where(ne(faqEntries.status, 'deleted'));
}

/** Inserts entries (multi-row, chunked) and returns their ids in order. */
export async function insertEntries(db: DbOrTx, entries: NewEntry[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
    const rows = await db.insert(faqEntries).values(entries.slice(i, i + INSERT_CHUNK)).returning({ id: faqEntries.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export async function insertSimilar(db: DbOrTx, rows: { entryId: number; text: string; source: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insert(faqQuestions).values(rows.slice(i, i + INSERT_CHUNK));
}

export async function deleteSimilar(db: DbOrTx, ids: number[]): Promise<void> {
  if (ids.length) await db.delete(faqQuestions).where(inArray(faqQuestions.id, ids));
}

export async function updateEntryFields(db: DbOrTx, id: number, fields: Partial<NewEntry>): Promise<Entry | undefined> {
  const [row] = await db
    .update(faqEntries)
    .set({ ...fields, updatedAt: new Date() })
    .where(and(eq(faqEntries.id, id), ne(faqEntries.status, 'deleted')))
    .returning();
  return row;
}

/** Adds hit counts to entries in one statement (the bot sums them in memory first). */
export async function addHits(db: DbOrTx, counts: ReadonlyMap<number, number>): Promise<void> {
  if (counts.size === 0) return;
  const values = sql.join([...counts].map(([id, n]) => sql`(${id}::int, ${n}::int)`), sql`, `);
  await db.execute(sql`UPDATE faq_entries e SET hits = e.hits + c.n FROM (VALUES ${values}) AS c(id, n) WHERE e.id = c.id`);
}

export async function incrementThumbs(db: DbOrTx, id: number, value: 'up' | 'down'): Promise<void> {
  const set = value === 'up' ? { thumbsUp: sql`${faqEntries.thumbsUp} + 1` } : { thumbsDown: sql`${faqEntries.thumbsDown} + 1` };
  await db.update(faqEntries).set(set).where(eq(faqEntries.id, id));
}

/**
 * Entries with their similar questions, by entry id: 'published' (the retriever's input) or
 * 'live' (everything not deleted: the export).
 */
export async function listWithQuestions(
  db: DbOrTx,
  which: 'published' | 'live',
): Promise<{ entries: Entry[]; questions: { entryId: number; text: string }[] }> {
  const included = which === 'published' ? eq(faqEntries.status, 'published') : ne(faqEntries.status, 'deleted');
  const [entries, questions] = await inOrder([
    db.select().from(faqEntries).where(included).orderBy(asc(faqEntries.id)),
    db
      .select({ entryId: faqQuestions.entryId, text: faqQuestions.text })
      .from(faqQuestions)
      .innerJoin(faqEntries, eq(faqEntries.id, faqQuestions.entryId))
      .where(included)
      .orderBy(asc(faqQuestions.entryId), asc(faqQuestions.id)),
  ]);
  return { entries, questions };
}

/** Every question text of the live entries, standard and similar, with its entry's standard question. */
export async function listLiveQuestionTexts(db: DbOrTx): Promise<{ entryId: number; question: string; text: string }[]> {
  const [entries, similar] = await inOrder([
    db.select({ entryId: faqEntries.id, question: faqEntries.question }).from(faqEntries).where(ne(faqEntries.status, 'deleted')),
    db
      .select({ entryId: faqQuestions.entryId, question: faqEntries.question, text: faqQuestions.text })
      .from(faqQuestions)
      .innerJoin(faqEntries, eq(faqEntries.id, faqQuestions.entryId))
      .where(ne(faqEntries.status, 'deleted')),
  ]);
  return [...entries.map((e) => ({ ...e, text: e.question })), ...similar];
}

/**
 * Serialises the writes that add question texts (edits, imports, learned questions) for the rest
 * of the transaction, on every instance: the check that a text is in no other entry and the
 * insert must not interleave with another writer's.
 */
export async function lockQuestionTexts(db: DbOrTx): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(727002)`);
}

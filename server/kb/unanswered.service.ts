import { desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { BadRequest, NotFound } from '../http/errors.js';
import { findLiveEntry, insertSimilar, listSimilarOf } from './entries.repo.js';
import { entryInputSchema, parseOrThrow, type EntryInput } from './entry-input.js';
import { assertQuestionsFree } from './question-owner.js';
import { changed, getEntry, insertEntryWithSimilar, type EntryDetail, type KbDeps, type Page } from './kb.service.js';
import { bigramSet, jaccard, normalizeQuestion } from './normalize.js';
import { unansweredQuestions } from './schema.js';
import { bumpCluster, insertCluster, openClustersInLengths, openClusterTextsInLengths, writeClusters, type UnansweredCluster } from './unanswered.repo.js';

/**
 * The unanswered log: questions of the suggest and cannot-answer bands,
 * clustered, for staff to attach to an entry or to turn into a new one.
 *
 * Clustering: a question joins an OPEN cluster whose normalised text has a character-bigram set
 * with Jaccard similarity >= CLUSTER_JACCARD to the question's; otherwise it starts a cluster.
 * The scan is bounded: Jaccard >= t needs |B| >= t·|A| and |A| >= t·|B|, so only open clusters
 * whose length lies in that window are read (exact for texts without repeated bigrams), and at
 * most CANDIDATE_SCAN of them, most recently asked first.
 */
export const CLUSTER_JACCARD = 0.8;
export const CANDIDATE_SCAN = 300;
export const MAX_VARIANTS = 5;
const MAX_TEXT = 500;

export type { UnansweredCluster };
export type UnansweredStatus = 'open' | 'attached' | 'created' | 'dismissed';

/** Logs one question; returns its cluster (undefined for a text with nothing but punctuation). */
export async function logUnanswered(db: DbOrTx, question: string): Promise<UnansweredCluster | undefined> {
  const text = question.trim().slice(0, MAX_TEXT);
  const normalized = normalizeQuestion(text);
  if (!normalized) return undefined;
  const grams = bigramSet(normalized);
  const near = await nearestOpenCluster(db, normalized, grams);
  if (near) return (await bumpCluster(db, near.id, text, MAX_VARIANTS)) ?? near;
  return insertCluster(db, text, normalized);
}

/**
 * Logs many questions at once (the bot's background queue): one candidate read for the whole
 * batch instead of one per question, and questions of the batch cluster with each other too.
 * Same clustering rule as logUnanswered.
 */
export async function logUnansweredBatch(db: Db, questions: string[]): Promise<void> {
  const items = questions
    .map((q) => q.trim().slice(0, MAX_TEXT))
    .map((text) => ({ text, normalized: normalizeQuestion(text) }))
    .filter((i) => i.normalized !== '')
    .map((i) => ({ ...i, grams: bigramSet(i.normalized) }));
  if (items.length === 0) return;
  const windows = items.map((i) => lengthWindow(i.normalized, i.grams));
  const minLen = Math.min(...windows.map((w) => w.min));
  const maxLen = Math.max(...windows.map((w) => w.max));
  const rows = await openClusterTextsInLengths(db, minLen, maxLen, CANDIDATE_SCAN);
  const known = rows.map((r) => ({ id: r.id as number | undefined, normalized: r.normalized, grams: bigramSet(r.normalized), texts: [] as string[], firstText: '' }));
  for (const [n, item] of items.entries()) {
    const w = windows[n]!;
    let best: (typeof known)[number] | undefined;
    let bestScore = CLUSTER_JACCARD;
    for (const k of known) {
      const len = [...k.normalized].length;
      if (len < w.min || len > w.max) continue;
      const score = k.normalized === item.normalized ? 1 : jaccard(item.grams, k.grams);
      if (score >= bestScore && (!best || score > bestScore)) {
        best = k;
        bestScore = score;
      }
    }
    if (best) best.texts.push(item.text);
    else known.push({ id: undefined, normalized: item.normalized, grams: item.grams, texts: [], firstText: item.text });
  }
  // Clusters the scan read but no question of this batch joined are left alone.
  await writeClusters(db, known.filter((k) => k.id === undefined || k.texts.length > 0), MAX_VARIANTS);
}


export interface UnansweredQuery {
  status?: UnansweredStatus;
  /** 'count' (default): most asked first; 'recent': last asked first. */
  sort?: 'count' | 'recent';
  page?: number;
  pageSize?: number;
}

export async function listUnanswered(db: Db, q: UnansweredQuery = {}): Promise<Page<UnansweredCluster>> {
  const page = Math.max(1, Math.floor(q.page ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Math.floor(q.pageSize ?? 20) || 20));
  const where = eq(unansweredQuestions.status, q.status ?? 'open');
  const order =
    q.sort === 'recent'
      ? [desc(unansweredQuestions.lastAskedAt), desc(unansweredQuestions.id)]
      : [desc(unansweredQuestions.count), desc(unansweredQuestions.lastAskedAt), desc(unansweredQuestions.id)];
  const [items, [count]] = await Promise.all([
    db.select().from(unansweredQuestions).where(where).orderBy(...order).limit(pageSize).offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(unansweredQuestions).where(where),
  ]);
  return { items, total: count?.n ?? 0, page, pageSize };
}

/** Staff action: the logged question becomes a similar question ('learned') of an entry, at once. */
export async function attachToEntry(deps: KbDeps, unansweredId: number, entryId: number): Promise<EntryDetail> {
  const entry = await deps.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, unansweredId);
    const target = await findLiveEntry(tx, entryId);
    if (!target) throw new NotFound('faq entry', entryId);
    const known = new Set([target.question, ...(await listSimilarOf(tx, entryId)).map((q) => q.text)].map(normalizeQuestion));
    if (!known.has(cluster.normalized)) {
      await assertQuestionsFree(tx, [cluster.text], entryId);
      await insertSimilar(tx, [{ entryId, text: cluster.text, source: 'learned' }]);
    }
    await closeCluster(tx, unansweredId, 'attached', entryId);
    return getEntry(tx, entryId);
  });
  await changed(deps, 'unanswered.attached');
  return entry;
}

/**
 * Staff action: a new entry from a logged question, published unless the input says draft.
 * The question defaults to the logged text; when staff reword it, the logged text is kept as a similar question.
 */
export async function createEntryFrom(
  deps: KbDeps,
  unansweredId: number,
  input: Omit<EntryInput, 'question'> & { question?: string },
): Promise<EntryDetail> {
  const entry = await deps.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, unansweredId);
    const data = parseOrThrow(entryInputSchema, { status: 'published', ...input, question: input.question ?? cluster.text });
    await assertQuestionsFree(tx, [data.question, ...data.similar, cluster.text]);
    const created = await insertEntryWithSimilar(tx, data, 'staff');
    const known = new Set([created.question, ...created.similar.map((q) => q.text)].map(normalizeQuestion));
    if (!known.has(cluster.normalized)) await insertSimilar(tx, [{ entryId: created.id, text: cluster.text, source: 'learned' }]);
    await closeCluster(tx, unansweredId, 'created', created.id);
    return getEntry(tx, created.id);
  });
  await changed(deps, 'unanswered.created');
  return entry;
}

export async function dismissUnanswered(db: Db, unansweredId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await openCluster(tx, unansweredId);
    await closeCluster(tx, unansweredId, 'dismissed', null);
  });
}

// ---- helpers

/** The normalised lengths a cluster can have and still reach CLUSTER_JACCARD with this text. */
function lengthWindow(normalized: string, grams: Set<string>): { min: number; max: number } {
  const size = grams.size;
  const len = [...normalized].length;
  return { min: Math.ceil(CLUSTER_JACCARD * size) + (len > 1 ? 1 : 0), max: Math.max(Math.floor(size / CLUSTER_JACCARD) + 1, len) };
}

async function nearestOpenCluster(db: DbOrTx, normalized: string, grams: Set<string>): Promise<UnansweredCluster | undefined> {
  const { min: minLen, max: maxLen } = lengthWindow(normalized, grams);
  const rows = await openClustersInLengths(db, minLen, maxLen, CANDIDATE_SCAN);
  let best: UnansweredCluster | undefined;
  let bestScore = CLUSTER_JACCARD;
  for (const row of rows) {
    const score = row.normalized === normalized ? 1 : jaccard(grams, bigramSet(row.normalized));
    if (score >= bestScore && (!best || score > bestScore)) {
      best = row;
      bestScore = score;
    }
  }
  return best;
}



async function openCluster(db: DbOrTx, id: number): Promise<UnansweredCluster> {
  const [row] = await db.select().from(unansweredQuestions).where(eq(unansweredQuestions.id, id)).for('update').limit(1);
  if (!row) throw new NotFound('unanswered question', id);
  if (row.status !== 'open') throw new BadRequest('该问题已处理', 'already_handled');
  return row;
}

async function closeCluster(db: DbOrTx, id: number, status: Exclude<UnansweredStatus, 'open'>, entryId: number | null): Promise<void> {
  await db.update(unansweredQuestions).set({ status, entryId }).where(eq(unansweredQuestions.id, id));
}

import { asc } from 'drizzle-orm';
import type { Page } from '../../common/kb-api.js';
import type { Db, DbOrTx } from '../db/client.js';
import { NotFound } from '../http/errors.js';
import type { Bus } from '../platform/bus.js';
import { assertQuestionsFree } from './question-owner.js';
import { deleteSimilar, findLiveEntry, insertEntries, insertSimilar, listLiveEntries, listWithQuestions, listSimilarOf, updateEntryFields, type Entry, type SimilarQuestion } from './entries.repo.js';
import type { ChitchatSeedEntry, IndexDoc, SynonymTable } from './content.js';
import { entryInputSchema, entryPatchSchema, parseOrThrow, type EntryData, type EntryInput, type EntryPatch } from './entry-input.js';
import { normalizeQuestion } from './normalize.js';
import { chitchatEntries, synonyms } from './schema.js';

/**
 * The FAQ knowledge base: search, edit, publish, counters, and what the bot loads.
 * Every change emits 'knowledge.changed' after it is stored, so that every instance reloads its index.
 * Deleting is soft (status 'deleted'): the seeder does not bring a deleted seed entry back, and
 * bot turns and statistics keep their entry.
 */
export interface KbDeps {
  db: Db;
  bus: Bus;
}

export type EntryDetail = Entry & { similar: SimilarQuestion[] };
export type { Page };
export interface EntryQuery {
  text?: string;
  product?: string;
  module?: string;
  status?: 'draft' | 'published';
  /** 1-based. */
  page?: number;
  /** At most 100; 20 by default. */
  pageSize?: number;
}

export async function searchEntries(db: Db, q: EntryQuery = {}): Promise<Page<Entry & { similarCount: number }>> {
  const { page, pageSize } = pageOf(q);
  const { rows, total } = await listLiveEntries(db, { ...q, offset: (page - 1) * pageSize, limit: pageSize });
  return { items: rows, total, page, pageSize };
}

export async function getEntry(db: DbOrTx, id: number): Promise<EntryDetail> {
  const entry = await findLiveEntry(db, id);
  if (!entry) throw new NotFound('faq entry', id);
  return { ...entry, similar: await listSimilarOf(db, id) };
}

export async function createEntry(deps: KbDeps, input: EntryInput): Promise<EntryDetail> {
  const data = parseOrThrow(entryInputSchema, input);
  const entry = await deps.db.transaction(async (tx) => {
    await assertQuestionsFree(tx, [data.question, ...data.similar]);
    return insertEntryWithSimilar(tx, data, 'staff');
  });
  await changed(deps, 'entry.created');
  return entry;
}

/** Changes the fields given; `similar` replaces the set (kept questions keep their source, new ones are 'staff'). */
export async function updateEntry(deps: KbDeps, id: number, patch: EntryPatch): Promise<EntryDetail> {
  const data = parseOrThrow(entryPatchSchema, patch);
  const entry = await deps.db.transaction(async (tx) => {
    const current = await findLiveEntry(tx, id);
    if (!current) throw new NotFound('faq entry', id);
    const currentSimilar = await listSimilarOf(tx, id);
    // Only the texts this edit adds: an entry may keep what it held before the rule.
    const held = new Set([current.question, ...currentSimilar.map((q) => q.text)].map(normalizeQuestion));
    const added = [...(data.question !== undefined ? [data.question] : []), ...(data.similar ?? [])].filter((t) => !held.has(normalizeQuestion(t)));
    if (added.length > 0) await assertQuestionsFree(tx, added, id);
    const { similar, ...fields } = data;
    await updateEntryFields(tx, id, fields);
    if (similar) await replaceSimilar(tx, id, data.question ?? current.question, similar, currentSimilar);
    return getEntry(tx, id);
  });
  await changed(deps, 'entry.updated');
  return entry;
}

export async function publishEntry(deps: KbDeps, id: number): Promise<Entry> {
  return setStatus(deps, id, 'published');
}

export async function unpublishEntry(deps: KbDeps, id: number): Promise<Entry> {
  return setStatus(deps, id, 'draft');
}

/** Soft delete: the entry leaves lists, the index and exports. */
export async function deleteEntry(deps: KbDeps, id: number): Promise<void> {
  const row = await updateEntryFields(deps.db, id, { status: 'deleted' });
  if (!row) throw new NotFound('faq entry', id);
  await changed(deps, 'entry.deleted');
}

/** The bot answered with this entry (answer band, or a picked suggestion). */

export interface IndexSnapshot {
  /** Standard question first, then similar questions, per published entry. */
  docs: IndexDoc[];
  entries: Map<string, { question: string; answer: string; link: string | null }>;
}

/** What the retriever indexes: every published entry's questions; entryId = String(faq_entries.id). */
export async function loadIndexDocs(db: DbOrTx): Promise<IndexSnapshot> {
  const { entries, questions } = await listWithQuestions(db, 'published');
  const byEntry = new Map<number, string[]>();
  for (const q of questions) {
    const list = byEntry.get(q.entryId) ?? [];
    list.push(q.text);
    byEntry.set(q.entryId, list);
  }
  const docs: IndexDoc[] = [];
  const map: IndexSnapshot['entries'] = new Map();
  for (const e of entries) {
    const entryId = String(e.id);
    docs.push({ entryId, text: e.question });
    for (const text of byEntry.get(e.id) ?? []) docs.push({ entryId, text });
    map.set(entryId, { question: e.question, answer: e.answer, link: e.link });
  }
  return { docs, entries: map };
}

/** The chit-chat base; id is the seed slug, or "cc<id>" for entries made later. */
export async function loadChitchat(db: DbOrTx): Promise<ChitchatSeedEntry[]> {
  const rows = await db.select().from(chitchatEntries).orderBy(asc(chitchatEntries.id));
  return rows.map((r) => ({ id: r.slug ?? `cc${r.id}`, questions: r.questions, answers: r.answers }));
}

export async function loadSynonyms(db: DbOrTx): Promise<SynonymTable> {
  const rows = await db.select({ term: synonyms.term, canonical: synonyms.canonical }).from(synonyms);
  return Object.fromEntries(rows.map((r) => [r.term, r.canonical]));
}

// ---- helpers

export async function changed(deps: KbDeps, reason: string): Promise<void> {
  await deps.bus.emit('knowledge.changed', { reason });
}

async function setStatus(deps: KbDeps, id: number, status: 'draft' | 'published'): Promise<Entry> {
  const row = await updateEntryFields(deps.db, id, { status });
  if (!row) throw new NotFound('faq entry', id);
  await changed(deps, status === 'published' ? 'entry.published' : 'entry.unpublished');
  return row;
}

function pageOf(q: EntryQuery): { page: number; pageSize: number } {
  const page = Math.max(1, Math.floor(q.page ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Math.floor(q.pageSize ?? 20) || 20));
  return { page, pageSize };
}

/** Inserts one entry and its similar questions (deduplicated, without the standard question itself). */
export async function insertEntryWithSimilar(db: DbOrTx, data: EntryData, source: 'staff' | 'learned' | 'seed'): Promise<EntryDetail> {
  const [id] = await insertEntries(db, [
    { question: data.question, answer: data.answer, link: data.link, product: data.product, module: data.module, version: data.version, status: data.status },
  ]);
  const similar = distinctSimilar(data.question, data.similar);
  await insertSimilar(db, similar.map((text) => ({ entryId: id!, text, source })));
  return getEntry(db, id!);
}

/** Similar questions without blanks, repeats or the standard question (compared normalised). */
export function distinctSimilar(question: string, similar: string[]): string[] {
  const seen = new Set([normalizeQuestion(question)]);
  const out: string[] = [];
  for (const raw of similar) {
    const text = raw.trim();
    const norm = normalizeQuestion(text);
    if (!text || !norm || seen.has(norm)) continue;
    seen.add(norm);
    out.push(text);
  }
  return out;
}

async function replaceSimilar(db: DbOrTx, entryId: number, question: string, wanted: string[], current: SimilarQuestion[]): Promise<void> {
  const keep = new Set(distinctSimilar(question, wanted));
  const currentTexts = new Set(current.map((q) => q.text));
  await deleteSimilar(
    db,
    current.filter((q) => !keep.has(q.text)).map((q) => q.id),
  );
  await insertSimilar(
    db,
    [...keep].filter((t) => !currentTexts.has(t)).map((text) => ({ entryId, text, source: 'staff' })),
  );
}

import { Conflict } from '../http/errors.js';
import type { DbOrTx } from '../db/client.js';
import { listLiveQuestionTexts, lockQuestionTexts } from './entries.repo.js';
import { normalizeQuestion } from './normalize.js';

/**
 * One question text, one entry: a standard or similar question (compared folded) belongs to at
 * most one live entry. Otherwise the same words would answer with whichever entry ranked first,
 * and staff's edit would not take effect exactly.
 */
export interface QuestionOwner {
  entryId: number;
  question: string;
}

/** Folded text → the live entry that holds it. Takes the lock first: call inside the writing transaction. */
export async function questionOwners(db: DbOrTx): Promise<Map<string, QuestionOwner>> {
  await lockQuestionTexts(db);
  const owners = new Map<string, QuestionOwner>();
  for (const row of await listLiveQuestionTexts(db)) {
    const key = normalizeQuestion(row.text);
    if (key && !owners.has(key)) owners.set(key, { entryId: row.entryId, question: row.question });
  }
  return owners;
}

/** The first text another entry already holds, and that entry; undefined when all are free. */
export function clashOf(owners: Map<string, QuestionOwner>, texts: string[], exceptId?: number): { text: string; owner: QuestionOwner } | undefined {
  for (const text of texts) {
    const owner = owners.get(normalizeQuestion(text));
    if (owner && owner.entryId !== exceptId) return { text, owner };
  }
  return undefined;
}

export function clashMessage(c: { text: string; owner: QuestionOwner }): string {
  return `问题「${c.text}」已在条目 ${c.owner.entryId}「${c.owner.question}」中，同一个问法只能属于一个条目`;
}

/** Throws 409 duplicate_question naming the other entry when any of the texts is taken. */
export async function assertQuestionsFree(db: DbOrTx, texts: string[], exceptId?: number): Promise<void> {
  const clash = clashOf(await questionOwners(db), texts, exceptId);
  if (clash) throw new Conflict('duplicate_question', clashMessage(clash));
}

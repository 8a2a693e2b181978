import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { messages } from '../db/schema.js';
import { BadRequest, NotFound } from '../http/errors.js';
import { lockCandidatesOf } from './candidates.repo.js';
import { inOrder } from './entries.repo.js';
import { entryInputSchema, parseOrThrow, type EntryInput } from './entry-input.js';
import { assertQuestionsFree } from './question-owner.js';
import { changed, insertEntryWithSimilar, type EntryDetail, type KbDeps, type Page } from './kb.service.js';
import { botTurns, faqCandidates } from './schema.js';

/**
 * FAQ candidates from escalations: when a chat the bot could not settle is
 * closed after an agent answered, the customer's question and the agent's answer are offered to staff.
 */
export type FaqCandidate = typeof faqCandidates.$inferSelect;
export type CandidateStatus = 'open' | 'accepted' | 'dismissed';

/** Offers a candidate; undefined when the same question of the same conversation is already offered. */
export async function offerCandidate(
  db: DbOrTx,
  c: { conversationId: number; question: string; answer: string },
): Promise<FaqCandidate | undefined> {
  const question = c.question.trim();
  const answer = c.answer.trim();
  if (!question || !answer) return undefined;
  return db.transaction(async (tx) => {
    // Every instance hears 'conversation.closed' in server mode: serialise per conversation so it is offered once.
    await lockCandidatesOf(tx, c.conversationId);
    const [dup] = await tx
      .select({ id: faqCandidates.id })
      .from(faqCandidates)
      .where(and(eq(faqCandidates.conversationId, c.conversationId), eq(faqCandidates.question, question)))
      .limit(1);
    if (dup) return undefined;
    const [row] = await tx.insert(faqCandidates).values({ conversationId: c.conversationId, question, answer }).returning();
    return row;
  });
}

export async function listCandidates(
  db: Db,
  q: { status?: CandidateStatus; page?: number; pageSize?: number } = {},
): Promise<Page<FaqCandidate>> {
  const page = Math.max(1, Math.floor(q.page ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Math.floor(q.pageSize ?? 20) || 20));
  const where = eq(faqCandidates.status, q.status ?? 'open');
  const [items, [count]] = await Promise.all([
    db.select().from(faqCandidates).where(where).orderBy(desc(faqCandidates.id)).limit(pageSize).offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(faqCandidates).where(where),
  ]);
  return { items, total: count?.n ?? 0, page, pageSize };
}

/** Staff accept a candidate: a new entry (published unless the input says draft), staff may edit the texts first. */
export async function acceptCandidate(deps: KbDeps, candidateId: number, input: Partial<EntryInput> = {}): Promise<EntryDetail> {
  const entry = await deps.db.transaction(async (tx) => {
    const candidate = await openCandidate(tx, candidateId);
    const data = parseOrThrow(entryInputSchema, { status: 'published', question: candidate.question, answer: candidate.answer, ...input });
    await assertQuestionsFree(tx, [data.question, ...data.similar]);
    const created = await insertEntryWithSimilar(tx, data, 'staff');
    await tx.update(faqCandidates).set({ status: 'accepted', entryId: created.id }).where(eq(faqCandidates.id, candidateId));
    return created;
  });
  await changed(deps, 'candidate.accepted');
  return entry;
}

export async function dismissCandidate(db: Db, candidateId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await openCandidate(tx, candidateId);
    await tx.update(faqCandidates).set({ status: 'dismissed' }).where(eq(faqCandidates.id, candidateId));
  });
}

/**
 * The candidate a closed conversation yields, if it escalated from the bot and an agent replied:
 *  - the question: the last bot turn in the suggest or none band before the agent's first reply; failing
 *    that (a handoff straight after an answered question), the customer's last text before that reply
 *    that is neither a # command nor something the bot handled (answer, chit-chat, intent);
 *  - the answer: the agent's text replies, in order, joined by line breaks.
 */
export async function candidateFromConversation(db: DbOrTx, conversationId: number): Promise<FaqCandidate | undefined> {
  const [msgs, turns] = await inOrder([
    db
      .select({ id: messages.id, direction: messages.direction, sender: messages.sender, kind: messages.kind, content: messages.content, createdAt: messages.createdAt })
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.id)),
    db.select().from(botTurns).where(eq(botTurns.conversationId, conversationId)).orderBy(asc(botTurns.id)),
  ]);
  const agentReplies = msgs.filter((m) => m.sender === 'agent' && m.direction === 'out' && m.kind === 'text' && m.content.trim());
  const first = agentReplies[0];
  if (!first || turns.length === 0) return undefined;
  const before = (t: Date) => t.getTime() <= first.createdAt.getTime();
  const unanswered = turns.filter((t) => (t.band === 'suggest' || t.band === 'none') && before(t.createdAt)).at(-1);
  let question = unanswered?.question;
  if (!question) {
    const handled = new Set(turns.filter((t) => t.band !== 'suggest' && t.band !== 'none').map((t) => t.question.trim()));
    question = msgs
      .filter((m) => m.id < first.id && m.direction === 'in' && m.sender === 'customer' && m.kind === 'text')
      .map((m) => m.content.trim())
      .filter((c) => c && !c.startsWith('#') && !handled.has(c))
      .at(-1);
  }
  if (!question) return undefined;
  return offerCandidate(db, { conversationId, question, answer: agentReplies.map((m) => m.content.trim()).join('\n') });
}

async function openCandidate(db: DbOrTx, id: number): Promise<FaqCandidate> {
  const [row] = await db.select().from(faqCandidates).where(eq(faqCandidates.id, id)).for('update').limit(1);
  if (!row) throw new NotFound('faq candidate', id);
  if (row.status !== 'open') throw new BadRequest('该候选已处理', 'already_handled');
  return row;
}

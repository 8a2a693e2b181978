import { and, desc, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { botTurns, faqEntries, unansweredQuestions } from './schema.js';

/** The reads behind the bot's statistics (stats.service.ts), each for a period [from, to). */

const inPeriod = (from: Date, to: Date) => and(gte(botTurns.createdAt, from), lt(botTurns.createdAt, to));

/** The number of bot turns per band. */
export function turnsByBand(db: Db, from: Date, to: Date): Promise<Array<{ band: string; n: number }>> {
  return db.select({ band: botTurns.band, n: sql<number>`count(*)::int` }).from(botTurns).where(inPeriod(from, to)).groupBy(botTurns.band);
}

/** The entries most answered (answer-band turns), most first. */
export function topAnsweredEntries(db: Db, from: Date, to: Date, limit: number): Promise<Array<{ entryId: number | null; question: string; count: number }>> {
  return db
    .select({ entryId: botTurns.entryId, question: faqEntries.question, count: sql<number>`count(*)::int` })
    .from(botTurns)
    .innerJoin(faqEntries, sql`${faqEntries.id} = ${botTurns.entryId}`)
    .where(and(inPeriod(from, to), inArray(botTurns.band, ['answer'])))
    .groupBy(botTurns.entryId, faqEntries.question)
    .orderBy(desc(sql`count(*)`), botTurns.entryId)
    .limit(limit);
}

/** Open or handled clusters of the unanswered log last asked in the period, by their (all-time) count. */
export function topUnansweredClusters(db: Db, from: Date, to: Date, limit: number): Promise<Array<{ id: number; text: string; count: number; lastAskedAt: Date; status: string }>> {
  return db
    .select({
      id: unansweredQuestions.id,
      text: unansweredQuestions.text,
      count: unansweredQuestions.count,
      lastAskedAt: unansweredQuestions.lastAskedAt,
      status: unansweredQuestions.status,
    })
    .from(unansweredQuestions)
    .where(and(gte(unansweredQuestions.lastAskedAt, from), lt(unansweredQuestions.lastAskedAt, to), ne(unansweredQuestions.status, 'dismissed')))
    .orderBy(desc(unansweredQuestions.count), desc(unansweredQuestions.lastAskedAt))
    .limit(limit);
}

/** Live entries with any thumbs feedback (all-time counters), most feedback first. */
export function entriesWithThumbs(db: Db, limit: number): Promise<Array<{ entryId: number; question: string; up: number; down: number }>> {
  return db
    .select({ entryId: faqEntries.id, question: faqEntries.question, up: faqEntries.thumbsUp, down: faqEntries.thumbsDown })
    .from(faqEntries)
    .where(and(ne(faqEntries.status, 'deleted'), sql`${faqEntries.thumbsUp} + ${faqEntries.thumbsDown} > 0`))
    .orderBy(desc(sql`${faqEntries.thumbsUp} + ${faqEntries.thumbsDown}`), faqEntries.id)
    .limit(limit);
}

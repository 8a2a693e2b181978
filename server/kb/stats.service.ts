import type { Db } from '../db/client.js';
import { entriesWithThumbs, topAnsweredEntries, topUnansweredClusters, turnsByBand } from './stats.repo.js';

/**
 * The bot's statistics for a period [from, to):
 *  - questions: turns in the answer, suggest and none bands (chit-chat and intents are counted apart);
 *  - hitRate / suggestRate / unansweredRate: the share of each band among those questions;
 *  - topEntries: entries most answered (answer-band turns) in the period;
 *  - topUnanswered: open or handled clusters of the unanswered log last asked in the period, by their
 *    (all-time) count: the log keeps counts, not a row per question;
 *  - thumbs: per entry, all-time counters, entries with any feedback, most feedback first.
 */
export interface BotStats {
  from: Date;
  to: Date;
  questions: number;
  answered: number;
  suggested: number;
  unanswered: number;
  chitchat: number;
  intents: number;
  hitRate: number;
  suggestRate: number;
  unansweredRate: number;
  topEntries: { entryId: number; question: string; count: number }[];
  topUnanswered: { id: number; text: string; count: number; lastAskedAt: Date; status: string }[];
  thumbs: { entryId: number; question: string; up: number; down: number }[];
}

export async function botStats(db: Db, period: { from: Date; to: Date; limit?: number }): Promise<BotStats> {
  const { from, to } = period;
  const limit = Math.min(100, Math.max(1, period.limit ?? 10));
  const [bands, top, unanswered, thumbs] = await Promise.all([
    turnsByBand(db, from, to),
    topAnsweredEntries(db, from, to, limit),
    topUnansweredClusters(db, from, to, limit),
    entriesWithThumbs(db, limit),
  ]);
  const n = (band: string) => bands.find((b) => b.band === band)?.n ?? 0;
  const answered = n('answer');
  const suggested = n('suggest');
  const none = n('none');
  const questions = answered + suggested + none;
  const share = (k: number) => (questions === 0 ? 0 : k / questions);
  return {
    from,
    to,
    questions,
    answered,
    suggested,
    unanswered: none,
    chitchat: n('chitchat'),
    intents: n('intent'),
    hitRate: share(answered),
    suggestRate: share(suggested),
    unansweredRate: share(none),
    topEntries: top.filter((t) => t.entryId !== null).map((t) => ({ entryId: t.entryId!, question: t.question, count: t.count })),
    topUnanswered: unanswered,
    thumbs,
  };
}


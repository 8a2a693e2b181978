import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { incrementThumbs } from './entries.repo.js';
import { botTurns } from './schema.js';

/**
 * What the bot did with each question (bot_turns): the statistics, the "1/2/3" follow-up of a
 * suggestion and "有用/没用" feedback read it. Recording a turn does not count a hit: the bot
 * counts a hit (entries.repo addHits, through its ledger) when it actually gives an entry's answer.
 */
export type BotTurn = typeof botTurns.$inferSelect;
export type TurnBand = 'answer' | 'suggest' | 'none' | 'chitchat' | 'intent';

export interface NewTurn {
  conversationId: number;
  question: string;
  band: TurnBand;
  /** The answered entry (answer band), or the first suggestion. */
  entryId?: number | null;
  /** Suggested entry ids in the order shown. */
  suggestions?: number[] | null;
  score?: number | null;
}

/** Well inside float4's range (about 1.2e-38 to 3.4e38) and far below any meaningful score. */
const MIN_SCORE = 1e-30;
const MAX_SCORE = 1e30;

/**
 * A score bot_turns.score can hold. The column is a `real`, and PostgreSQL refuses a value too
 * small for it instead of rounding it to zero (the confidence of a question far from every
 * entry can be 1e-60): the failed statement would take the reply with it. Tiny scores become 0,
 * huge ones are capped and a non-number is no score.
 */
export function storableScore(score: number | null | undefined): number | null {
  if (score === null || score === undefined || !Number.isFinite(score)) return null;
  if (Math.abs(score) < MIN_SCORE) return 0;
  return Math.min(MAX_SCORE, Math.max(-MAX_SCORE, score));
}

/** The row of a turn (one place for the defaults; the bot's ledger inserts these in batches). */
export function turnRow(turn: NewTurn): typeof botTurns.$inferInsert {
  return {
    conversationId: turn.conversationId,
    question: turn.question,
    band: turn.band,
    entryId: turn.entryId ?? null,
    suggestions: turn.suggestions ?? null,
    score: storableScore(turn.score),
  };
}

export async function recordTurn(db: DbOrTx, turn: NewTurn): Promise<BotTurn> {
  const [row] = await db.insert(botTurns).values(turnRow(turn)).returning();
  return row!;
}

/** The conversation's latest bot turn, or undefined. */
export async function lastTurn(db: DbOrTx, conversationId: number): Promise<BotTurn | undefined> {
  const rows = await db.select().from(botTurns).where(eq(botTurns.conversationId, conversationId)).orderBy(desc(botTurns.id)).limit(1);
  return rows[0];
}

/**
 * Thumbs up or down on the answer of a turn. Counted once per turn, on the turn's entry:
 * returns false (and counts nothing) when the turn already has feedback or answered no entry.
 */
export async function recordFeedback(db: Db, turnId: number, value: 'up' | 'down', opts: { countForEntry?: boolean } = {}): Promise<boolean> {
  const countForEntry = opts.countForEntry ?? true;
  return db.transaction(async (tx) => {
    const [turn] = await tx
      .update(botTurns)
      .set({ feedback: value })
      .where(and(eq(botTurns.id, turnId), isNull(botTurns.feedback), countForEntry ? isNotNull(botTurns.entryId) : undefined))
      .returning({ entryId: botTurns.entryId });
    if (!turn) return false;
    // A rating of a suggestion list is kept on its turn; no single entry earned it.
    if (countForEntry && turn.entryId) await incrementThumbs(tx, turn.entryId, value);
    return true;
  });
}

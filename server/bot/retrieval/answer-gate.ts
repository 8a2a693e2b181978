import type { PrecisionSignals } from './precision.js';

/**
 * The answer gate: the best entry is given as a direct answer only when the retriever is
 * confident (THRESHOLDS.answer) and the precision signals (precision.ts) raise no objection:
 * no topic the entry never names, no undoing of what the entry does, no "what is" against a
 * how-to, and at most maxUncovered of the query's own content left uncovered by the entry's
 * questions. Otherwise the entry is only suggested.
 *
 * maxUncovered was chosen on the dev part of the domain set (the platform, finance and ops cases):
 * the most right direct answers with at most 2 % of questions answered wrongly. The other domain
 * files are held out (bench/answer-gate.learn.ts prints the sweep; docs/retrieval.md, "Precision").
 */
export interface AnswerGate {
  maxUncovered: number;
  /** At or above this confidence, the uncovered share no longer objects: the match is strong on its own. */
  sureConfidence: number;
}

export const ANSWER_GATE: AnswerGate = { maxUncovered: 0.3, sureConfidence: 0.25 };

/** Why the best entry is not a direct answer, or null when it may be one. */
export function objection(s: PrecisionSignals, confidence: number, gate: AnswerGate = ANSWER_GATE): 'topic' | 'reversal' | 'definition' | 'uncovered' | null {
  if (s.topic) return 'topic';
  if (s.reversal) return 'reversal';
  if (s.definition) return 'definition';
  if (s.uncovered > gate.maxUncovered && confidence < gate.sureConfidence) return 'uncovered';
  return null;
}

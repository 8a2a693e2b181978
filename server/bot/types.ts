/**
 * Contracts shared by the bot's parts: the seed files, the retriever and the
 * domain test set. Seed files live in server/bot/seed/; test sets in test/bot-domain/.
 */

/** One FAQ entry of a seed file (server/bot/seed/faq-*.json: an array of these). */
export interface FaqSeedEntry {
  /** Stable and unique across all seed files: "<prefix>-<nnn>", e.g. "plat-001", "gl-014". */
  id: string;
  /** The standard question. */
  question: string;
  /** At least 3 similar questions, as customers would ask them. */
  similar: string[];
  /** Plain text with line breaks (\n). */
  answer: string;
  /** Optional H5 route or URL shown as a link under the answer, e.g. "/h5/#home/service-code". */
  link?: string;
  product: string;
  module: string;
  version?: string;
}

// The knowledge base's shapes (chitchat.json, synonyms.json, the retriever's documents) are kb/'s.
export type { ChitchatSeedEntry, IndexDoc, SynonymTable } from '../kb/content.js';

/** The intents the NLU (server/bot/nlu/) recognises besides chit-chat. */
export type IntentName = 'handoff' | 'end' | 'thanks' | 'feedback.up' | 'feedback.down';

/** server/bot/seed/intents.json: an array of these. */
export interface IntentSeed {
  intent: IntentName;
  utterances: string[];
}

/** test/bot-domain/*.json: in-scope cases ({question, expectedId}) or out-of-scope ones ({question, expectedId: null}). */
export interface DomainCase {
  question: string;
  expectedId: string | null;
}

/** The best-matching question of one entry. */
export interface Hit {
  entryId: string;
  /** The retriever's raw score (higher is better). */
  score: number;
  /** The matched question. */
  text: string;
}

export type Band = 'answer' | 'suggest' | 'none';

export interface Ranked {
  /** Entries best first, at most one hit per entry. */
  hits: Hit[];
  /** Calibrated confidence in [0, 1] that hits[0] is right; the bands are thresholds on it. */
  confidence: number;
  band: Band;
  /** The query is, after the fold, one of hits[0]'s own questions: answered directly. */
  exact?: boolean;
}

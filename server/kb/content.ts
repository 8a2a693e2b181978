/**
 * The knowledge base's content in the shapes the bot reads it (kb.service.ts loads them). Declared
 * here, in kb/, because kb/ is the lower of the two: the bot imports the knowledge base, never the
 * other way round. server/bot/types.ts re-exports them for the bot's parts and its seed files.
 */

/** One indexed question: a standard or similar question of an entry. */
export interface IndexDoc {
  entryId: string;
  text: string;
}

/** A chit-chat entry; also the shape of server/bot/seed/chitchat.json (an array of these). */
export interface ChitchatSeedEntry {
  id: string;
  questions: string[];
  /** One is picked at random. */
  answers: string[];
}

/** Colloquial word or typo → canonical word; also server/bot/seed/synonyms.json. */
export type SynonymTable = Record<string, string>;

import type { Bot, BotAnswer, BotTurnRecord, Turn } from '../chat/ports.js';
import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import { decide, needsPrevious, type Decision } from './decide.js';
import { loadIndexDocs, loadSynonyms } from '../kb/kb.service.js';
import { lastTurn, recordFeedback } from '../kb/turns.service.js';
import { BotLedger } from './ledger.js';
import type { Nlu } from './nlu/index.js';
import { buildRetriever, type Retriever } from './retrieval/index.js';

export interface KbBotOptions {
  db: Db;
  bus: Bus;
  logger: Logger;
  nlu: Nlu;
  /** Links in answers are made absolute against it. */
  publicBaseUrl?: string;
  now?: () => number;
}

interface Snapshot {
  retriever: Retriever;
  entries: Map<string, { question: string; answer: string; link: string | null }>;
}

/**
 * How much of a message the NLU and the retriever look at. The knowledge base's questions are a
 * sentence long; the scoring cost grows with the text, and a long repetitive one drove the
 * confidence far below anything storable. The turn and the message keep the whole text.
 */
const MAX_SCORED_CHARS = 200;

function scoredPart(question: string): string {
  if (question.length <= MAX_SCORED_CHARS) return question;
  // Do not cut a surrogate pair in two.
  const high = question.charCodeAt(MAX_SCORED_CHARS - 1);
  return question.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_SCORED_CHARS - 1 : MAX_SCORED_CHARS);
}

/** How long after a knowledge change the index is rebuilt (several edits become one rebuild). */
const RELOAD_DEBOUNCE_MS = 100;

/**
 * The knowledge-base bot: retrieval with three bands, chit-chat and intents from
 * the NLU, suggestion picks and feedback. The decision itself is pure (decide.ts); this class
 * loads the index, rebuilds it when told (knowledge.listeners.ts: 'knowledge.changed', from any
 * instance), and records turns.
 */
export class KbBot implements Bot {
  private snapshot!: Snapshot;
  private reloadTimer?: NodeJS.Timeout;
  private readonly ledger: BotLedger;

  /** The index is not loaded yet: reload() before the first answer (or use create()). */
  constructor(private readonly o: KbBotOptions) {
    this.ledger = new BotLedger(o.db, o.logger);
  }

  /** A bot with its index loaded. */
  static async create(o: KbBotOptions): Promise<KbBot> {
    const bot = new KbBot(o);
    await bot.reload();
    return bot;
  }

  async answer(question: string, turn: Turn): Promise<BotAnswer> {
    const { db } = this.o;
    const scored = scoredPart(question);
    const nlu = await this.o.nlu.classify(scored);
    const previous = needsPrevious(question, nlu) ? await lastTurn(db, turn.conversation.id) : undefined;
    const { retriever, entries } = this.snapshot;
    const ranked = retriever.rank(scored, 5);
    const d = decide({
      question,
      previous: previous
        ? { id: previous.id, band: previous.band, entryId: previous.entryId, suggestions: previous.suggestions, feedback: previous.feedback, at: previous.createdAt }
        : null,
      ranked,
      nlu,
      entry: (id) => entries.get(String(id)),
      now: new Date(this.now()),
      publicBaseUrl: this.o.publicBaseUrl,
    });
    const turnRecord = await this.record(question, d);
    const answer: BotAnswer = d.kind === 'handoff' ? { text: '', handoff: true, band: 'handoff' } : { text: d.text, band: d.kind };
    return turnRecord ? { ...answer, turn: turnRecord } : answer;
  }

  /** The number of indexed questions, for logs and tests. */
  get indexSize(): number {
    return this.snapshot.retriever.size;
  }

  /** Writes pending counters and the unanswered log (tests read them). */
  flush(): Promise<void> {
    return this.ledger.flush();
  }

  async close(): Promise<void> {
    clearTimeout(this.reloadTimer);
    await this.ledger.close();
  }

  async reload(): Promise<void> {
    const t0 = performance.now();
    const [{ docs, entries }, synonyms] = await Promise.all([loadIndexDocs(this.o.db), loadSynonyms(this.o.db)]);
    this.snapshot = { retriever: buildRetriever(docs, { synonyms }), entries };
    this.o.logger.info({ questions: docs.length, entries: entries.size, ms: Math.round(performance.now() - t0) }, 'bot index loaded');
  }

  /** Rebuilds the index shortly: several changes in a row cost one rebuild. */
  scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reload().catch((err: unknown) => this.o.logger.error({ err }, 'bot index reload failed'));
    }, RELOAD_DEBOUNCE_MS);
    this.reloadTimer.unref();
  }

  /**
   * The turn itself is returned, to be stored with the reply in one statement (the next message
   * may pick a suggestion or rate the answer); counters and the unanswered log follow later.
   */
  private async record(question: string, d: Decision): Promise<BotTurnRecord | null> {
    const { ledger } = this;
    switch (d.kind) {
      case 'answer':
        ledger.countHit(d.entryId);
        return { question, band: 'answer', entryId: d.entryId, score: d.confidence };
      case 'suggest':
        ledger.logUnanswered(question);
        return { question, band: 'suggest', entryId: d.suggestions[0], suggestions: d.suggestions, score: d.confidence };
      case 'none':
        ledger.logUnanswered(question);
        return { question, band: 'none', score: d.confidence };
      case 'feedback':
        await recordFeedback(this.o.db, d.turnId, d.value, { countForEntry: !d.onList });
        return null;
      default:
        return { question, band: d.kind === 'chitchat' ? 'chitchat' : 'intent' };
    }
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

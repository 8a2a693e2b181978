import type { Nlp } from '@nlpjs/nlp';
import type { ChitchatSeedEntry, IntentName, IntentSeed } from '../types.js';
import { LOCALE, newManager, nlpjsVersions, trimPrepareCache, type TokenizerMode } from './manager.js';
import { modelFile, modelKey, readModel, writeModel } from './model-cache.js';
import { coverage, tokens, topicTokens } from './tokenize.js';

/**
 * Chit-chat and the small intents (handoff, end, thanks, feedback), recognised with @nlpjs/nlp.
 * Trained at start-up from the chit-chat base and the intent
 * utterances, or loaded from the on-disk cache when those are unchanged.
 *
 * Not an FAQ retriever: its classifier cannot rank 2000 entries (see ../shared/eval/README.md). The
 * caller also lets a strong FAQ match win over chit-chat; here, anything business-like should
 * come out as 'none'. The thresholds are calibrated in docs/nlu.md.
 */
export interface Nlu {
  classify(text: string): Promise<NluResult>;
  /** How the model was obtained at start-up. */
  readonly info: NluInfo;
}

export interface NluResult {
  kind: 'intent' | 'chitchat' | 'none';
  intent?: IntentName;
  chitchatId?: string;
  /** One of the chit-chat entry's answers, picked at random. */
  answer?: string;
  /** The classifier's score of the best label (0 when nothing matched). */
  score: number;
}

export interface NluInfo {
  source: 'trained' | 'cache';
  /** Training time, or the time to read and import the cached model. */
  ms: number;
  key: string;
  file: string;
  labels: number;
  utterances: number;
}

export interface NluOptions {
  chitchat: ChitchatSeedEntry[];
  intents: IntentSeed[];
  cacheDir: string;
  logger?: { info(o: object, m: string): void };
  /** Calibration only (docs/nlu.md); the defaults are the shipped values. */
  tuning?: Partial<NluTuning>;
  /** For tests: the answer picker (Math.random by default). */
  random?: () => number;
}

export interface NluTuning {
  tokenizer: TokenizerMode;
  /** The classifier's score of the best label must reach this. */
  minScore: number;
  /**
   * Share of the text's topic tokens (tokenize.ts topicTokens) that the best label's own
   * utterances contain: a business question scores high on some label by elimination, but
   * most of its words were never seen in chit-chat.
   */
  minCoverage: number;
}

/** Calibrated in docs/nlu.md. */
export const DEFAULT_TUNING: NluTuning = { tokenizer: 'bigram', minScore: 0.5, minCoverage: 0.55 };

const CHITCHAT = 'cc:';
const INTENT = 'intent:';

export async function createNlu(opts: NluOptions): Promise<Nlu> {
  const tuning = { ...DEFAULT_TUNING, ...opts.tuning };
  const corpus = buildCorpus(opts.chitchat, opts.intents);
  const key = modelKey({ nlpjs: nlpjsVersions, tokenizer: tuning.tokenizer, corpus: corpus.map((d) => [d.label, d.text]) });
  const file = modelFile(opts.cacheDir, key);
  const manager = newManager(tuning.tokenizer);

  const t0 = performance.now();
  const cached = await readModel(opts.cacheDir, key);
  let source: NluInfo['source'];
  if (cached !== null) {
    manager.import(cached);
    source = 'cache';
  } else {
    for (const d of corpus) manager.addDocument(LOCALE, d.text, d.label);
    await manager.train();
    await writeModel(opts.cacheDir, key, manager.export(true));
    source = 'trained';
  }
  const info: NluInfo = {
    source,
    ms: Math.round(performance.now() - t0),
    key,
    file,
    labels: new Set(corpus.map((d) => d.label)).size,
    utterances: corpus.length,
  };
  opts.logger?.info({ nlu: info }, source === 'cache' ? 'nlu model loaded from cache' : 'nlu model trained');

  return new NlpjsNlu(manager, info, vocabularies(corpus), answersById(opts.chitchat), tuning, opts.random ?? Math.random);
}

interface Doc {
  label: string;
  text: string;
}

/** One label per chit-chat entry and per intent; sorted so that the cache key ignores order. */
function buildCorpus(chitchat: ChitchatSeedEntry[], intents: IntentSeed[]): Doc[] {
  const docs: Doc[] = [];
  const seen = new Set<string>();
  const add = (label: string, text: string) => {
    const t = text.trim();
    // The same wording under two labels would only teach the model to hesitate; first wins.
    if (t === '' || seen.has(t)) return;
    seen.add(t);
    docs.push({ label, text: t });
  };
  for (const i of intents) for (const u of i.utterances) add(INTENT + i.intent, u);
  for (const c of chitchat) for (const q of c.questions) add(CHITCHAT + c.id, q);
  return docs.sort((a, b) => (a.label + '\u0000' + a.text < b.label + '\u0000' + b.text ? -1 : 1));
}

function vocabularies(corpus: Doc[]): Map<string, Set<string>> {
  const vocab = new Map<string, Set<string>>();
  for (const d of corpus) {
    let set = vocab.get(d.label);
    if (!set) vocab.set(d.label, (set = new Set()));
    for (const t of tokens(d.text)) set.add(t);
  }
  return vocab;
}

function answersById(chitchat: ChitchatSeedEntry[]): Map<string, string[]> {
  return new Map(chitchat.map((c) => [c.id, c.answers.filter((a) => a.trim() !== '')]));
}

const NONE: NluResult = { kind: 'none', score: 0 };
/** How often classify looks at the classifier's per-text cache (see trimPrepareCache). */
const TRIM_EVERY = 500;

class NlpjsNlu implements Nlu {
  private calls = 0;

  constructor(
    private readonly manager: Nlp,
    readonly info: NluInfo,
    private readonly vocab: Map<string, Set<string>>,
    private readonly answers: Map<string, string[]>,
    private readonly tuning: NluTuning,
    private readonly random: () => number,
  ) {}

  async classify(text: string): Promise<NluResult> {
    const q = text.trim();
    if (q === '') return NONE;
    const r = await this.manager.process(LOCALE, q);
    if (++this.calls % TRIM_EVERY === 0) trimPrepareCache(this.manager);
    const top = r.classifications?.[0] ?? { intent: r.intent, score: r.score };
    const vocab = this.vocab.get(top.intent);
    if (!vocab) return NONE; // the classifier's own 'None'
    const score = top.score;
    if (score < this.tuning.minScore) return { kind: 'none', score };
    if (coverage(topicTokens(q), vocab) < this.tuning.minCoverage) return { kind: 'none', score };

    if (top.intent.startsWith(INTENT)) return { kind: 'intent', intent: top.intent.slice(INTENT.length) as IntentName, score };
    const chitchatId = top.intent.slice(CHITCHAT.length);
    const answers = this.answers.get(chitchatId) ?? [];
    if (answers.length === 0) return { kind: 'none', score };
    const answer = answers[Math.min(answers.length - 1, Math.floor(this.random() * answers.length))]!;
    return { kind: 'chitchat', chitchatId, answer, score };
  }
}

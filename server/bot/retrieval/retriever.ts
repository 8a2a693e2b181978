import type { Band, Hit, IndexDoc, Ranked, SynonymTable } from '../types.js';
import { N_FEATURES, NgramIndexes, PreparedQuery, featuresInto } from './features.js';
import { MODEL, type RetrievalModel } from './model.js';
import { ANSWER_GATE, objection, type AnswerGate } from './answer-gate.js';
import type { PrecisionSignals } from './precision.js';
import { buildPrecision } from './precision.js';
import { normalize } from './normalize.js';
import { topIndices } from './top.js';

/**
 * The FAQ retriever: BM25 over character 1-, 2- and 3-grams picks
 * candidate questions, a logistic re-ranker orders them on scale-free overlap features, and a
 * second logistic model turns the best entry's score and its margin over the runner-up into
 * the probability that the best entry is right.
 */
export interface Retriever {
  rank(query: string, k?: number): Ranked;
  /** Number of indexed questions. */
  size: number;
  /** The answer gate's inputs for a query with indexed question `exclude` left out (bench/answer-gate.learn.ts). */
  gateSample(query: string, exclude: number): { confidence: number; signals: PrecisionSignals; topEntry: string } | null;
}

export interface RetrieverOptions {
  synonyms?: SynonymTable;
  /** Weights to use instead of the shipped ones (the bench's learning mode). */
  model?: RetrievalModel;
  /** An answer gate to use instead of the shipped one (fitting it). */
  gate?: AnswerGate;
}

/** Confidence bands; see docs/retrieval.md for how they were chosen. */
export const THRESHOLDS = { answer: 0.1, suggest: 0.03 } as const;

/** Questions re-ranked per query. */
const CANDIDATES = 30;
/** Weights of the 1-, 2- and 3-gram BM25 scores when picking candidates. */
const FIRST_STAGE = [1, 1, 1];
/** The margin feature saturates here (also its value when there is no runner-up). */
const MAX_MARGIN = 4;

export function bandOf(confidence: number): Band {
  if (confidence >= THRESHOLDS.answer) return 'answer';
  if (confidence >= THRESHOLDS.suggest) return 'suggest';
  return 'none';
}

export function buildRetriever(docs: IndexDoc[], opts: RetrieverOptions = {}): Retriever {
  const model = opts.model ?? MODEL;
  const gate = opts.gate ?? ANSWER_GATE;
  const scorer = buildScorer(docs, opts.synonyms);
  const exact = exactIndex(docs, scorer.normalized);
  const precision = buildPrecision(scorer.ix, docs, scorer.normalized);

  function rank(query: string, k = 5): Ranked {
    const ranked = rankByScore(query, k);
    const at = exact.get(normalize(query, opts.synonyms));
    if (at === undefined) return ranked;
    // A question staff wrote, typed as written: that entry, whatever the scores say.
    const doc = docs[at]!;
    const id = doc.entryId;
    const rest = ranked.hits.filter((h) => h.entryId !== id);
    const top = ranked.hits.find((h) => h.entryId === id);
    return { hits: [{ entryId: id, score: top?.score ?? Infinity, text: doc.text }, ...rest].slice(0, k), confidence: 1, band: 'answer', exact: true };
  }

  function rankByScore(query: string, k: number, exclude?: number): Ranked & { signals?: PrecisionSignals; topEntry?: string } {
    const found = scorer.candidates(query, exclude);
    const { cands, feats } = found;
    // Best re-ranked question per entry.
    const best = new Map<string, { doc: number; score: number; slot: number }>();
    cands.forEach((doc, slot) => {
      const score = linear(model.rerank, feats, slot * N_FEATURES, N_FEATURES);
      const entry = docs[doc]!.entryId;
      const cur = best.get(entry);
      if (!cur || score > cur.score) best.set(entry, { doc, score, slot });
    });
    const ordered = [...best.values()].sort((a, b) => b.score - a.score || a.doc - b.doc);
    if (ordered.length === 0) return { hits: [], confidence: 0, band: 'none' };
    const top = ordered[0]!;
    const g = confidenceFeatures(top.score, ordered[1]?.score, feats, top.slot * N_FEATURES, found);
    const confidence = sigmoid(linear(model.confidence, g, 0, g.length)) * domainGate(found, model.gate);
    // Precision before recall: a direct answer only when the answer gate (answer-gate.ts) finds
    // the best entry about what was asked; an entry must share the query's content to be
    // suggested at all (precision.ts).
    const q = found.query;
    const topEntry = docs[top.doc]!.entryId;
    const signals = precision.signals(q, topEntry, exclude);
    let band = bandOf(confidence);
    if (band === 'answer' && objection(signals, confidence, gate)) band = 'suggest';
    const kept = band === 'suggest' ? ordered.filter((o) => precision.related(q, docs[o.doc]!.entryId)) : ordered;
    if (band === 'suggest' && kept.length === 0) band = 'none';
    const hits: Hit[] = (kept.length > 0 ? kept : ordered).slice(0, k).map(({ doc, score }) => ({ entryId: docs[doc]!.entryId, score, text: docs[doc]!.text }));
    return { hits, confidence, band, signals, topEntry };
  }

  /** For choosing the gate: the best entry, its confidence and signals, with one indexed question left out. */
  function gateSample(query: string, exclude: number): { confidence: number; signals: PrecisionSignals; topEntry: string } | null {
    const r = rankByScore(query, 1, exclude);
    return r.signals && r.topEntry ? { confidence: r.confidence, signals: r.signals, topEntry: r.topEntry } : null;
  }

  return { rank, size: docs.length, gateSample };
}

/**
 * Folded question text → its entry, for the texts that belong to one entry only. Staff's rule
 * is one question text, one entry; a text that still sits in two entries (data older than the
 * rule) gets no exact answer, and ranking decides.
 */
function exactIndex(docs: readonly IndexDoc[], normalized: readonly string[]): Map<string, number> {
  const owner = new Map<string, number | null>();
  docs.forEach((d, i) => {
    const key = normalized[i]!;
    if (!key) return;
    const cur = owner.get(key);
    owner.set(key, cur === undefined ? i : cur !== null && docs[cur]!.entryId === d.entryId ? cur : null);
  });
  const out = new Map<string, number>();
  for (const [key, at] of owner) if (at !== null) out.set(key, at);
  return out;
}

/** The candidate questions of a query and their features (flat, N_FEATURES per candidate). */
export interface Candidates {
  /** Query length in units. */
  len: number;
  /** Per n-gram order: share of the query's IDF the index knows. */
  knownShare: number[];
  /** Document indices, by first-stage score. */
  cands: number[];
  /** Valid until the next call: copy what you keep. */
  feats: Float64Array;
  query: PreparedQuery;
}

/** First stage and features, shared by rank() and the learning code. */
export function buildScorer(docs: readonly IndexDoc[], synonyms?: SynonymTable): { candidates(query: string, exclude?: number): Candidates; ix: NgramIndexes; normalized: string[] } {
  const normalized = docs.map((d) => normalize(d.text, synonyms));
  const ix = new NgramIndexes(normalized);
  const n = docs.length;
  // rank() is synchronous, so one set of buffers serves every call.
  const bm25 = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const first = new Float64Array(n);
  const feats = new Float64Array(CANDIDATES * N_FEATURES);
  return {
    candidates(query: string, exclude?: number): Candidates {
      const q = new PreparedQuery(normalize(query, synonyms), ix);
      first.fill(0);
      for (let o = 0; o < 3; o++) {
        const b = bm25[o]!;
        b.fill(0);
        ix.byOrder[o]!.scoreInto(q.terms[o]!, 1, b);
        const w = FIRST_STAGE[o]!;
        for (let d = 0; d < n; d++) first[d]! += w * b[d]!;
      }
      if (exclude !== undefined) first[exclude] = -Infinity;
      const cands = topIndices(first, CANDIDATES);
      cands.forEach((doc, slot) => featuresInto(q, ix, doc, bm25, feats, slot * N_FEATURES));
      return { len: q.len, knownShare: q.knownShare, cands, feats, query: q };
    },
    ix,
    normalized,
  };
}

export const CONFIDENCE_FEATURE_NAMES = ['top_score', 'margin', 'both_1'] as const;

/**
 * Inputs of the confidence model: how good the best entry is, how clearly it wins, and how
 * fully query and question cover each other. Kept to scale-free inputs and few of them: a
 * richer model fitted on the public pairs (where near-identical wording often means a different
 * question) learned to distrust near-exact matches, which in our own base are the surest answers.
 */
export function confidenceFeatures(top: number, second: number | undefined, feats: Float64Array, offset: number, _q: Candidates): Float64Array {
  const margin = second === undefined ? MAX_MARGIN : Math.min(MAX_MARGIN, top - second);
  return Float64Array.of(top, margin, feats[offset + 17]!);
}

/**
 * How much the query is made of the knowledge base's own words: the IDF share of its bigrams
 * (of its characters when it has no bigram) that occur in some indexed question. Questions
 * about something else score low here whatever their best match looks like.
 */
export function domainShare(q: Candidates): number {
  return q.len >= 2 ? q.knownShare[1]! : q.knownShare[0]!;
}

/** P(in domain): a logistic gate on domainShare(); gate = [centre, slope]. */
export function domainGate(q: Candidates, gate: readonly number[]): number {
  return sigmoid(gate[1]! * (domainShare(q) - gate[0]!));
}

/** w · x[offset ..] + bias, the bias being the last weight. */
export function linear(w: readonly number[], x: ArrayLike<number>, offset: number, n: number): number {
  let s = w[n]!;
  for (let i = 0; i < n; i++) s += w[i]! * x[offset + i]!;
  return s;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

import { Bm25Index } from './bm25.js';
import { ngrams, skipPairs, units } from './ngrams.js';

/**
 * Query–question features for the re-ranker. Every feature is scale-free (a ratio or a log
 * ratio), so weights learned on one knowledge base carry over to another of a different size.
 */
export const FEATURE_NAMES = [
  'bm25_1', // unigram BM25 / the query's total unigram IDF
  'bm25_2', // bigram BM25 / the query's total bigram IDF
  'bm25_3', // trigram BM25 / the query's total trigram IDF
  'cover_q1', // IDF share of the query's characters found in the question
  'cover_d1', // IDF share of the question's characters found in the query
  'cover_q2',
  'cover_d2',
  'cover_q3',
  'cover_d3',
  'len_gap', // |ln(query length / question length)|
  'raw_1', // ln(1 + unigram BM25): the absolute strength of the match
  'raw_2',
  'raw_3',
  'dice_1', // 2 · shared IDF / (query IDF + question IDF), unigrams
  'dice_2',
  'lcs_q', // longest common subsequence / query length
  'lcs_d', // longest common subsequence / question length
  'both_1', // cover_q1 · cover_d1: high only when each side covers the other
  'both_2',
  'skip_q', // IDF share of the query's gapped pairs (a_b) found in the question: survives an inserted word
  'skip_d',
  'base', // (unigram + bigram BM25) / (their total query IDF): the anchor's score, scale-free
  'base_raw', // unigram + bigram BM25, as the anchor ranks
] as const;
export const N_FEATURES = FEATURE_NAMES.length;

export const ORDERS = [1, 2, 3] as const;
const BM25 = { k1: 1.2, b: 0.75 };

/** The n-gram indexes of a set of normalised questions. */
export class NgramIndexes {
  readonly byOrder: Bm25Index[];
  /** Per order, per document: the sum of IDF over its distinct n-grams. */
  readonly docIdf: Float64Array[];
  readonly docLen: Int32Array;
  readonly docUnits: string[][];
  readonly size: number;

  constructor(normalized: readonly string[]) {
    this.size = normalized.length;
    const u = normalized.map(units);
    this.docUnits = u;
    this.docLen = Int32Array.from(u, (x) => x.length);
    this.byOrder = [...ORDERS.map((n) => new Bm25Index(u.map((x) => ngrams(x, n)), BM25)), new Bm25Index(u.map(skipPairs), BM25)];
    this.docIdf = this.byOrder.map((idx) =>
      Float64Array.from(idx.docTerms, (ids) => ids.reduce((s, id) => s + idx.idfById[id]!, 0)),
    );
  }
}

/** A query prepared once for scoring many candidates. */
export class PreparedQuery {
  readonly len: number;
  readonly units: string[];
  /** Per order: share of the query's total IDF made of n-grams the index knows (in-domain words). */
  readonly knownShare: number[];
  /** Per order: the n-grams with repetition (for BM25). */
  readonly terms: string[][];
  /** Per order: known term id → IDF, for the overlap sums. */
  readonly known: Map<number, number>[];
  /** Per order: total IDF of the distinct n-grams, unknown ones at the highest IDF. */
  readonly totalIdf: number[];

  constructor(normalized: string, ix: NgramIndexes) {
    const u = units(normalized);
    this.len = u.length;
    this.units = u;
    this.knownShare = [];
    this.terms = [...ORDERS.map((n) => ngrams(u, n)), skipPairs(u)];
    this.known = [];
    this.totalIdf = [];
    ix.byOrder.forEach((idx, o) => {
      const known = new Map<number, number>();
      let total = 0;
      for (const t of new Set(this.terms[o])) {
        const idf = idx.idf(t);
        total += idf;
        const id = idx.id(t);
        if (id >= 0) known.set(id, idf);
      }
      this.known.push(known);
      this.totalIdf.push(total);
      let knownIdf = 0;
      for (const v of known.values()) knownIdf += v;
      this.knownShare.push(total > 0 ? knownIdf / total : 0);
    });
  }
}

/** Writes the features of (query, doc) into out[offset .. offset + N_FEATURES). */
export function featuresInto(
  q: PreparedQuery,
  ix: NgramIndexes,
  doc: number,
  bm25: readonly Float64Array[],
  out: Float64Array,
  offset: number,
): void {
  for (let o = 0; o < ORDERS.length; o++) {
    const total = q.totalIdf[o]!;
    out[offset + o] = total > 0 ? bm25[o]![doc]! / total : 0;
    const known = q.known[o]!;
    let overlap = 0;
    if (known.size > 0) {
      const ids = ix.byOrder[o]!.docTerms[doc]!;
      for (let i = 0; i < ids.length; i++) overlap += known.get(ids[i]!) ?? 0;
    }
    const docTotal = ix.docIdf[o]![doc]!;
    out[offset + 3 + 2 * o] = total > 0 ? overlap / total : 0;
    out[offset + 4 + 2 * o] = docTotal > 0 ? overlap / docTotal : 0;
    out[offset + 10 + o] = Math.log1p(bm25[o]![doc]!);
    if (o < 2) out[offset + 13 + o] = total + docTotal > 0 ? (2 * overlap) / (total + docTotal) : 0;
  }
  out[offset + 17] = out[offset + 3]! * out[offset + 4]!;
  out[offset + 18] = out[offset + 5]! * out[offset + 6]!;
  {
    const total = q.totalIdf[3]!;
    const known = q.known[3]!;
    let overlap = 0;
    if (known.size > 0) {
      const ids = ix.byOrder[3]!.docTerms[doc]!;
      for (let i = 0; i < ids.length; i++) overlap += known.get(ids[i]!) ?? 0;
    }
    const docTotal = ix.docIdf[3]![doc]!;
    out[offset + 19] = total > 0 ? overlap / total : 0;
    out[offset + 20] = docTotal > 0 ? overlap / docTotal : 0;
  }
  const t12 = q.totalIdf[0]! + q.totalIdf[1]!;
  out[offset + 22] = bm25[0]![doc]! + bm25[1]![doc]!;
  out[offset + 21] = t12 > 0 ? out[offset + 22]! / t12 : 0;
  out[offset + 9] = Math.abs(Math.log((q.len + 1) / (ix.docLen[doc]! + 1)));
  const lcs = lcsLength(q.units, ix.docUnits[doc]!);
  out[offset + 15] = q.len > 0 ? lcs / q.len : 0;
  out[offset + 16] = ix.docLen[doc]! > 0 ? lcs / ix.docLen[doc]! : 0;
}

const lcsRow = new Int32Array(256);

/** Length of the longest common subsequence of two unit sequences (one rolling row). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const m = Math.min(b.length, lcsRow.length - 1);
  lcsRow.fill(0, 0, m + 1);
  for (let i = 0; i < a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= m; j++) {
      const up = lcsRow[j]!;
      lcsRow[j] = a[i] === b[j - 1] ? diag + 1 : Math.max(up, lcsRow[j - 1]!);
      diag = up;
    }
  }
  return lcsRow[m]!;
}

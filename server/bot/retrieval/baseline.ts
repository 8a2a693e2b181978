import type { Hit, IndexDoc } from '../types.js';
import { Bm25Index } from './bm25.js';
import { normalize } from './normalize.js';
import { ngrams, units } from './ngrams.js';
import { bestPerEntry } from './top.js';

/**
 * The anchor the issue measures every alternative against: one bag of character unigrams and
 * bigrams, BM25 with k1 = 1.2, b = 0.75, no synonyms, no re-ranking.
 */
export function bm25Baseline(docs: IndexDoc[]): { rank(query: string, k?: number): Hit[] } {
  const texts = docs.map((d) => normalize(d.text));
  const index = new Bm25Index(texts.map(terms), { k1: 1.2, b: 0.75 });
  return {
    rank(query: string, k = 5): Hit[] {
      const acc = new Float64Array(docs.length);
      index.scoreInto(terms(normalize(query)), 1, acc);
      return bestPerEntry(docs, acc, k);
    },
  };
}

function terms(normalized: string): string[] {
  const u = units(normalized);
  return [...u, ...ngrams(u, 2)];
}

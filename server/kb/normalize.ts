/**
 * Text comparisons of the knowledge base itself: duplicate standard questions and the
 * unanswered log's clusters. Pure: no I/O.
 */

/** Letters and digits survive; punctuation, whitespace, symbols and emoji go. */
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Full-width → half-width (NFKC), lower case, letters and digits only. The retriever folds with
 * it too (bot/retrieval/normalize.ts, before its synonyms), so the index and the knowledge base
 * agree on what "the same question" is.
 */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_WORD, '');
}

/** The retriever's fold without synonyms, so that clustering does not change when the synonym table does. */
export function normalizeQuestion(text: string): string {
  return fold(text);
}

/** The set of character bigrams of a normalised text; a one-character text is its own gram. */
export function bigramSet(normalized: string): Set<string> {
  const chars = [...normalized];
  if (chars.length < 2) return new Set(chars);
  const grams = new Set<string>();
  for (let i = 0; i < chars.length - 1; i++) grams.add(chars[i]! + chars[i + 1]!);
  return grams;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Text normalisation for the knowledge base's own comparisons: duplicate standard questions
 * and the unanswered log's clusters. Pure: no I/O. (The retriever has its own normaliser with
 * synonyms; this one is deliberately plain so that clustering does not depend on the synonym table.)
 */

/** NFKC folds full-width letters, digits and punctuation to half width; then lower-case, no punctuation, symbols or spaces. */
export function normalizeQuestion(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');
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

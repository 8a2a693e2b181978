/**
 * Character n-grams of a normalised text. A run of ASCII letters or digits ("gs", "erp",
 * "4006586000") is one unit, so an English word or a phone number is not split into letters;
 * every other character (CJK) is a unit of its own.
 */
const UNIT = /[a-z0-9]+|[\s\S]/gu;

export function units(normalized: string): string[] {
  return normalized.match(UNIT) ?? [];
}

/** The n-grams of `u` in order, with repetitions; a text shorter than n has none. */
export function ngrams(u: readonly string[], n: number): string[] {
  if (n === 1) return u.slice();
  const out: string[] = [];
  for (let i = 0; i + n <= u.length; i++) out.push(u.slice(i, i + n).join(' '));
  return out;
}

/** Pairs of units one apart ("a_c" of "abc"), for matching across an inserted character. */
export function skipPairs(u: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 < u.length; i++) out.push(`${u[i]}_${u[i + 2]}`);
  return out;
}

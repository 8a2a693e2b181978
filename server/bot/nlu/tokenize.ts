/**
 * The NLU's Chinese tokenizer: unit unigrams plus adjacent-unit bigrams. Pure: no I/O.
 *
 * A unit is one CJK character, one run of Latin letters and digits ("ok", "886", "gs"), or one
 * emoji. @nlpjs/lang-zh's pipeline segments with CC-CEDICT by forward maximum match and
 * then "stems" every word to pinyin syllables: it compiles a 120k-line dictionary on first use
 * (about 0.7 s, and it prints "Compiling dictionary" to stdout) and turns 人工 into the bag
 * {ren2, gong1}. Bigrams keep the word order that chit-chat depends on; docs/nlu.md has the
 * measurement that chose them.
 */

/** Emoji survive folding: a reply of 👍 or 😭 is chit-chat, not noise. */
const UNIT = /\p{Script=Han}|[a-z0-9]+|\p{Extended_Pictographic}/gu;

/** The units of a text: NFKC-folded, lower case; punctuation, spaces and other symbols are dropped. */
export function units(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const found = folded.match(UNIT);
  // "？？？" or "。。。" has no letters: its characters are its units, so it can still be chit-chat.
  return found ?? [...folded.replace(/\s+/gu, '')];
}

/** Every unit, then every pair of neighbouring units ("转人工" → 转, 人, 工, 转人, 人工). */
export function tokens(text: string): string[] {
  const u = units(text);
  const out = [...u];
  for (let i = 0; i + 1 < u.length; i++) out.push(u[i]! + u[i + 1]!);
  return out;
}

/** Sentence-final particles and fillers: they say nothing about the topic. */
const PARTICLE = /[啊呀哈呢吧了么嘛哦喔啦吗哇嘞咯噢]/u;

/**
 * The tokens that carry the topic: those without a particle ("在么" → 在). A text made only of
 * particles keeps them all, so that "哦哦" still has something to match.
 */
export function topicTokens(text: string): string[] {
  const all = tokens(text);
  const topical = all.filter((t) => !PARTICLE.test(t));
  return topical.length > 0 ? topical : all;
}

/** Share of the query's distinct tokens that also occur in `known` (0 for an empty query). */
export function coverage(queryTokens: readonly string[], known: ReadonlySet<string>): number {
  const distinct = new Set(queryTokens);
  if (distinct.size === 0) return 0;
  let hit = 0;
  for (const t of distinct) if (known.has(t)) hit++;
  return hit / distinct.size;
}

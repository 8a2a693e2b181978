import { fold } from '../../kb/normalize.js';
import type { SynonymTable } from '../types.js';

// The fold is the knowledge base's (kb/normalize.ts): it compares its own questions in the same form.
export { fold };

/**
 * Text normalisation shared by the index and the queries: both sides must see the same form,
 * or a synonym applied to one side only would stop them from matching: it applies to both
 * the index and the queries.
 */

interface CompiledSynonyms {
  map: Map<string, string>;
  /** Distinct key lengths, longest first, so the longest key wins at each position. */
  lengths: number[];
}

const compiled = new WeakMap<SynonymTable, CompiledSynonyms>();

/**
 * The normalised form of `text`: folded, then every synonym replaced by its canonical word,
 * longest match first, left to right, in one pass (a replacement is not matched again).
 */
export function normalize(text: string, synonyms?: SynonymTable): string {
  const folded = fold(text);
  if (!synonyms) return folded;
  return applySynonyms(folded, compile(synonyms));
}

function compile(table: SynonymTable): CompiledSynonyms {
  let c = compiled.get(table);
  if (c) return c;
  const map = new Map<string, string>();
  for (const [from, to] of Object.entries(table)) {
    const key = fold(from);
    // A key equal to its value would only cost time; an empty key would match everywhere.
    if (key.length > 0 && key !== fold(to)) map.set(key, fold(to));
  }
  const lengths = [...new Set([...map.keys()].map((k) => k.length))].sort((a, b) => b - a);
  c = { map, lengths };
  compiled.set(table, c);
  return c;
}

function applySynonyms(text: string, { map, lengths }: CompiledSynonyms): string {
  if (map.size === 0) return text;
  let out = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const len of lengths) {
      if (i + len > text.length) continue;
      const to = map.get(text.slice(i, i + len));
      if (to !== undefined) {
        out += to;
        i += len;
        continue outer;
      }
    }
    out += text[i];
    i += 1;
  }
  return out;
}

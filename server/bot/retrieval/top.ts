import type { Hit, IndexDoc } from '../types.js';

/** The k best entries by their best-scoring question, best first; zero scores are no match. */
export function bestPerEntry(docs: readonly IndexDoc[], scores: ArrayLike<number>, k: number): Hit[] {
  const best = new Map<string, number>();
  for (let d = 0; d < docs.length; d++) {
    const s = scores[d]!;
    if (!(s > 0)) continue;
    const entry = docs[d]!.entryId;
    const cur = best.get(entry);
    if (cur === undefined || s > scores[cur]!) best.set(entry, d);
  }
  return [...best.values()]
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k)
    .map((d) => ({ entryId: docs[d]!.entryId, score: scores[d]!, text: docs[d]!.text }));
}

/** Indices of the m highest positive scores, best first. */
export function topIndices(scores: ArrayLike<number>, m: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < scores.length; d++) {
    const s = scores[d]!;
    if (!(s > 0)) continue;
    if (out.length < m) {
      out.push(d);
      if (out.length === m) out.sort((a, b) => scores[b]! - scores[a]!);
    } else if (s > scores[out[m - 1]!]!) {
      let i = m - 1;
      while (i > 0 && scores[out[i - 1]!]! < s) {
        out[i] = out[i - 1]!;
        i--;
      }
      out[i] = d;
    }
  }
  if (out.length < m) out.sort((a, b) => scores[b]! - scores[a]!);
  return out;
}

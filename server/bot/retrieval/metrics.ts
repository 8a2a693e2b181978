/** Retrieval metrics for the offline evaluation. */

/** 1-based rank of the first relevant id among `ranked`, or 0 when none is. */
export function firstRelevantRank(ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const i = ranked.findIndex((id) => relevant.has(id));
  return i < 0 ? 0 : i + 1;
}

/** Mean reciprocal rank, counting only ranks up to `cutoff`. */
export function mrrAt(ranks: readonly number[], cutoff: number): number {
  if (ranks.length === 0) return 0;
  return ranks.reduce((s, r) => s + (r > 0 && r <= cutoff ? 1 / r : 0), 0) / ranks.length;
}

/** Share of ranks in 1..k. */
export function hitRateAt(ranks: readonly number[], k: number): number {
  if (ranks.length === 0) return 0;
  return ranks.filter((r) => r > 0 && r <= k).length / ranks.length;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (Mann–Whitney U with mid-ranks).
 */
export function auroc(positives: readonly number[], negatives: readonly number[]): number {
  const all = [...positives.map((s) => [s, 1] as const), ...negatives.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (all[t]![1] === 1) rankSumPos += midRank;
    i = j;
  }
  const p = positives.length;
  const n = negatives.length;
  return (rankSumPos - (p * (p + 1)) / 2) / (p * n);
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

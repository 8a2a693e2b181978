import { describe, expect, it } from 'vitest';
import { auroc, firstRelevantRank, hitRateAt, mrrAt, quantile } from './metrics.js';

describe('metrics', () => {
  it.each([
    [[3, 4], [1, 2], 1],
    [[1, 2], [3, 4], 0],
    [[1, 1], [1, 1], 0.5],
    [[1, 3], [2], 0.5],
  ])('AUROC of %j over %j is %d', (pos, neg, expected) => {
    expect(auroc(pos, neg)).toBeCloseTo(expected);
  });

  it('finds the 1-based rank of the first relevant id', () => {
    expect(firstRelevantRank(['x', 'y', 'z'], new Set(['z', 'y']))).toBe(2);
    expect(firstRelevantRank(['x'], new Set(['z']))).toBe(0);
  });

  it('computes MRR with a cutoff and hit rates', () => {
    expect(mrrAt([1, 2, 0, 6], 5)).toBeCloseTo((1 + 0.5) / 4);
    expect(hitRateAt([1, 2, 0, 4], 3)).toBe(0.5);
  });

  it('takes nearest-rank quantiles', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 100], 0.99)).toBe(100);
  });
});

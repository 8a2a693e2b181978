import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it.each([
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [9, 300_000],
    [30, 300_000],
  ])('waits about %i → %i ms without jitter', (attempt, expected) => {
    expect(backoffMs(attempt, () => 0.5)).toBe(expected);
  });

  it('keeps jitter within ±20 %', () => {
    expect(backoffMs(2, () => 0)).toBe(3200);
    expect(backoffMs(2, () => 1)).toBe(4800);
  });
});

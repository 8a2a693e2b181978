import { describe, expect, it } from 'vitest';
import { estimateWaitS, formatWait, shouldSendPosition } from './eta.js';

describe('estimateWaitS', () => {
  it.each([
    // position, free, total, avg handle s, expected s
    [1, 1, 5, 300, 0],
    [3, 0, 5, 300, 300],
    [6, 0, 5, 300, 600],
    [6, 1, 5, 300, 300],
    [2, 0, 2, null, 300], // no history: 5 minutes per wave
    [1, 0, 0, 300, null], // nobody online: no estimate
  ])('position %i with %i free of %i slots, %s s per chat → %s s', (position, freeSlots, totalSlots, avg, expected) => {
    expect(estimateWaitS(position, { freeSlots, totalSlots }, avg)).toBe(expected);
  });

  it.each([
    [null, null],
    [30, '不到 1 分钟'],
    [300, '约 5 分钟'],
    [3900, '约 1 小时 5 分钟'],
  ])('formats %s s as %s', (s, text) => {
    expect(formatWait(s)).toBe(text);
  });
});

describe('shouldSendPosition', () => {
  const base = { sentSinceCustomerWrote: 0, windowOpen: true };
  it.each([
    [10, 9, false], // a small step is not worth a message
    [10, 5, true], // halved
    [10, 6, false],
    [3, 1, true], // next in line
    [1, 1, false],
    [null, 1, false], // never told: the reply to #人工 tells it
    [4, 5, false], // moved back (a priority customer came in)
  ])('told %s, now %i → %s', (told, current, expected) => {
    expect(shouldSendPosition({ ...base, told, current })).toBe(expected);
  });

  it('keeps the quota for the agent: at most two updates since the customer last wrote', () => {
    expect(shouldSendPosition({ told: 8, current: 1, sentSinceCustomerWrote: 1, windowOpen: true })).toBe(true);
    expect(shouldSendPosition({ told: 8, current: 1, sentSinceCustomerWrote: 2, windowOpen: true })).toBe(false);
  });

  it('sends nothing outside the 48-hour window', () => {
    expect(shouldSendPosition({ told: 8, current: 1, sentSinceCustomerWrote: 0, windowOpen: false })).toBe(false);
  });
});

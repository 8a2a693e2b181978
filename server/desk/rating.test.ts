import { describe, expect, it } from 'vitest';
import { parseRating, ratingStillOpen } from './rating.js';

describe('parseRating', () => {
  it.each([
    ['5', { score: 5, comment: null }],
    [' 4 回复很快', { score: 4, comment: '回复很快' }],
    ['3分，还行', { score: 3, comment: '还行' }],
    ['1。太慢了', { score: 1, comment: '太慢了' }],
    ['2星', { score: 2, comment: null }],
    ['0', null],
    ['6', null],
    ['500元的发票', null],
    ['1个问题', null],
    ['好评', null],
  ])('reads %j as %j', (text, expected) => {
    expect(parseRating(text)).toEqual(expected);
  });

  it('takes a rating for 24 hours after asking', () => {
    const asked = new Date(0);
    expect(ratingStillOpen(asked, 23 * 3_600_000)).toBe(true);
    expect(ratingStillOpen(asked, 24 * 3_600_000)).toBe(false);
    expect(ratingStillOpen(null, 0)).toBe(false);
  });
});

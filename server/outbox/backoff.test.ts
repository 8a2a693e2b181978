import { describe, expect, it } from 'vitest';
import { WeChatApiError, WeChatTransportError } from '../wechat/api-errors.js';
import { backoffMs, isTransient } from './backoff.js';

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

describe('isTransient', () => {
  it.each([
    [new WeChatTransportError('ECONNRESET', '/cgi-bin/message/custom/send'), true],
    [new WeChatApiError(-1, 'system error', '/x'), true],
    [new WeChatApiError(45009, 'api limit', '/x'), true],
    [new WeChatApiError(45011, 'api freq', '/x'), true],
    [new WeChatApiError(40001, 'invalid credential', '/x'), true],
    [new WeChatApiError(42001, 'expired', '/x'), true],
    [new WeChatApiError(40003, 'invalid openid', '/x'), false],
    [new WeChatApiError(45015, 'out of window', '/x'), false],
    [new Error('bug'), false],
  ])('%s → %s', (err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { WeChatApiError, WeChatTransportError } from './api-errors.js';
import { retryDelayMs, runWithRetry, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { transportTries: 3, baseDelayMs: 200, maxDelayMs: 500 };
const noSleep = async () => {};

describe('the retry policy', () => {
  it('waits exponentially, capped, within ±20 %', () => {
    expect([1, 2, 3, 4].map((t) => retryDelayMs(t, policy, () => 0.5))).toEqual([200, 400, 500, 500]);
    expect(retryDelayMs(1, policy, () => 0)).toBe(160);
    expect(retryDelayMs(1, policy, () => 1)).toBe(240);
  });

  it('gets the token first, and refreshes the refused one exactly once', async () => {
    const seen: (string | undefined)[] = [];
    const refreshed: string[] = [];
    const tokens = { get: async () => 'T1', refresh: async (t: string) => (refreshed.push(t), 'T2') };
    const attempt = async (token: string | undefined) => {
      seen.push(token);
      throw new WeChatApiError(40014, 'invalid access_token', '/x');
    };
    await expect(runWithRetry(attempt, { idempotent: true, tokens }, policy, noSleep)).rejects.toMatchObject({ errcode: 40014 });
    expect(seen).toEqual(['T1', 'T2']);
    expect(refreshed).toEqual(['T1']);
  });

  it('tries an idempotent call that gets no answer transportTries times, waiting in between; anything else once', async () => {
    const waits: number[] = [];
    let calls = 0;
    const unanswered = async () => {
      calls++;
      throw new WeChatTransportError('HTTP 503', '/x');
    };
    await expect(runWithRetry(unanswered, { idempotent: true }, policy, async (ms) => void waits.push(ms), () => 0.5)).rejects.toBeInstanceOf(WeChatTransportError);
    expect([calls, waits]).toEqual([3, [200, 400]]);
    calls = 0;
    await expect(runWithRetry(unanswered, { idempotent: false }, policy, noSleep)).rejects.toBeInstanceOf(WeChatTransportError);
    expect(calls).toBe(1);
    calls = 0;
    const refused = async () => {
      calls++;
      throw new WeChatApiError(-1, 'system error', '/x');
    };
    await expect(runWithRetry(refused, { idempotent: true }, policy, noSleep)).rejects.toMatchObject({ errcode: -1 });
    expect(calls).toBe(1);
  });
});

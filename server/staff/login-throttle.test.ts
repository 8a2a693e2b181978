import { describe, expect, it } from 'vitest';
import { MAX_FAILURES, WINDOW_MS, memoryLoginThrottle } from './login-throttle.js';

describe('the in-memory login lockout', () => {
  it('locks a username after 5 failures and unlocks it when the oldest leaves the 15 min window', async () => {
    let now = 1_000_000;
    const t = memoryLoginThrottle(() => now);
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      await t.recordFailure('alice');
      now += 1000;
    }
    expect(await t.isLocked('alice')).toBe(false);
    await t.recordFailure('alice');
    expect(await t.isLocked('alice')).toBe(true);
    expect(await t.isLocked('bob')).toBe(false);
    now = 1_000_000 + WINDOW_MS + 1;
    expect(await t.isLocked('alice')).toBe(false);
  });

  it('forgets failures after a successful login', async () => {
    const t = memoryLoginThrottle();
    for (let i = 0; i < MAX_FAILURES; i++) await t.recordFailure('carol');
    await t.clear('carol');
    expect(await t.isLocked('carol')).toBe(false);
  });
});

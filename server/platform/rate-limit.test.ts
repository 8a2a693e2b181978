import { describe, expect, it } from 'vitest';
import { memoryRateLimiter, waitText } from './rate-limit.js';

describe('memoryRateLimiter', () => {
  it('allows `limit` hits per window, then says how long to wait', async () => {
    let t = 1_000_000;
    const l = memoryRateLimiter({ limit: 2, windowMs: 60_000 }, () => t);
    expect(await l.hit('a')).toBe(0);
    t += 10_000;
    expect(await l.hit('a')).toBe(0);
    t += 5_000;
    expect(await l.hit('a')).toBe(45_000);
    expect(await l.hit('b')).toBe(0);
    t += 45_000;
    expect(await l.hit('a')).toBe(0);
  });

  it('does not count refused hits', async () => {
    let t = 0;
    const l = memoryRateLimiter({ limit: 1, windowMs: 1000 }, () => t);
    await l.hit('k');
    for (let i = 0; i < 5; i++) await l.hit('k');
    t = 1000;
    expect(await l.hit('k')).toBe(0);
  });
});

describe('waitText', () => {
  it.each([[500, '1秒'], [59_001, '60秒'], [90_000, '90秒'], [90_001, '2分钟'], [3_600_000, '60分钟']])('%i ms reads %s', (ms, text) => {
    expect(waitText(ms)).toBe(text);
  });
});

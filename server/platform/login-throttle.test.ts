import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from './rate-limit.js';
import { LoginGuard, STAFF_LOGIN_RULES } from './login-throttle.js';

describe('LoginGuard (in memory)', () => {
  const guard = (now: () => number = Date.now) => new LoginGuard((rule) => memoryRateLimiter(rule, now), STAFF_LOGIN_RULES);

  it('locks an account for one address after 5 attempts, not for another, and unlocks after 15 minutes', async () => {
    let now = 1_000_000;
    const g = guard(() => now);
    for (let i = 0; i < 5; i++) expect(await g.attempt('alice', '10.0.0.1')).toBeUndefined();
    expect(await g.attempt('alice', '10.0.0.1')).toMatchObject({ reason: 'locked' });
    expect(await g.attempt('alice', '10.0.0.2')).toBeUndefined();
    expect(await g.attempt('bob', '10.0.0.1')).toBeUndefined();
    now += 15 * 60 * 1000 + 1;
    expect(await g.attempt('alice', '10.0.0.1')).toBeUndefined();
  });

  it('counts simultaneous attempts: 30 at once get 5 through', async () => {
    const g = guard();
    const results = await Promise.all(Array.from({ length: 30 }, () => g.attempt('carol', '10.0.0.3')));
    expect(results.filter((r) => r === undefined)).toHaveLength(5);
  });

  it('forgets the pair after a success', async () => {
    const g = guard();
    for (let i = 0; i < 4; i++) await g.attempt('dave', '10.0.0.4');
    await g.attempt('dave', '10.0.0.4');
    await g.succeeded('dave', '10.0.0.4');
    for (let i = 0; i < 5; i++) expect(await g.attempt('dave', '10.0.0.4')).toBeUndefined();
  });

  it('limits one address over many accounts', async () => {
    const g = guard();
    for (let i = 0; i < STAFF_LOGIN_RULES.perIp.limit; i++) expect(await g.attempt(`user${i}`, '10.0.0.5')).toBeUndefined();
    expect(await g.attempt('another', '10.0.0.5')).toMatchObject({ reason: 'ip' });
  });
});

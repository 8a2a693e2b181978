import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { sessionCookieOf, startStaffApp, type StaffTestApp } from './staff-app.js';

/**
 * The console login's guessing limits: counted before the password is checked (a burst is no
 * better than a sequence), per (account, IP) so an attacker cannot lock the owner out, and per IP.
 */
describe(`staff login limits (${testMode()})`, () => {
  let app: StaffTestApp;
  let n = 0;
  const login = (username: string, password: string, ip: string) =>
    fetch(`${app.url}/api/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    });

  beforeAll(async () => {
    app = await startStaffApp(await freshStorageTarget());
    for (const username of ['burst1', 'victim2', 'owner3']) {
      await app.accounts.createStaff({ username, password: `${username}-right-pass`, role: 'agent', displayName: username });
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses the right password sent 13th in a burst of 30 simultaneous guesses', async () => {
    const ip = `10.20.0.${++n}`;
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => login('burst1', i === 12 ? 'burst1-right-pass' : `wrong-guess-${i}`, ip)));
    const statuses = burst.map((r) => r.status);
    expect(statuses[12], `statuses: ${statuses.join(',')}`).toBe(429);
    expect(sessionCookieOf(burst[12]!)).toBeUndefined();
    // At most 5 guesses were checked at all; the rest were refused unchecked.
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
  });

  it("does not lock the owner's address when an attacker's address fails 5 times", async () => {
    const attacker = `10.21.0.${++n}`;
    for (let i = 0; i < 5; i++) expect((await login('victim2', `nope-${i}-nope`, attacker)).status).toBe(401);
    expect((await login('victim2', 'victim2-right-pass', attacker)).status).toBe(429);
    const owner = await login('victim2', 'victim2-right-pass', `10.22.0.${++n}`);
    expect(owner.status).toBe(200);
    expect(sessionCookieOf(owner)).toBeDefined();
  });

  it('limits one address guessing over many accounts to 20 attempts in 15 minutes', async () => {
    const ip = `10.23.0.${++n}`;
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`nobody${i}`, 'some-password', ip)));
    expect(guesses.map((r) => r.status)).toEqual(Array(20).fill(401));
    const over = await login('owner3', 'owner3-right-pass', ip);
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
    expect((await login('owner3', 'owner3-right-pass', `10.24.0.${++n}`)).status).toBe(200);
  });
});

import { describe, expect, it } from 'vitest';
import { isOwnOrigin } from './origin-check.js';

const own = ['http://127.0.0.1:3000', 'https://kf.example.com'];

describe('isOwnOrigin', () => {
  it.each([
    ['the request\'s own origin', 'http://127.0.0.1:3000', '', ''],
    ['PUBLIC_BASE_URL\'s origin', 'https://kf.example.com', '', 'same-origin'],
    ['an own Referer when there is no Origin', '', 'https://kf.example.com/h5/#home', ''],
    ['neither header (a non-browser client)', '', '', ''],
  ])('allows %s', (_, origin, referer, site) => {
    expect(isOwnOrigin(origin, referer, site, own)).toBe(true);
  });

  it.each([
    ['a foreign Origin', 'https://evil.example', '', ''],
    ['Origin: null', 'null', '', ''],
    ['a foreign Origin with an own Referer', 'https://evil.example', 'https://kf.example.com/', ''],
    ['a foreign Referer', '', 'https://evil.example/x', ''],
    ['an unparsable Referer', '', 'not a url', ''],
    ['another port', 'http://127.0.0.1:3001', '', ''],
    ['Sec-Fetch-Site: cross-site', 'https://kf.example.com', '', 'cross-site'],
  ])('refuses %s', (_, origin, referer, site) => {
    expect(isOwnOrigin(origin, referer, site, own)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN, safeReturnPath } from './return-path.js';

describe('safeReturnPath', () => {
  it.each(['/h5/', '/h5/#home/profile', '/h5/#service/ask?x=1', '/h5/index.html?from=menu#home', '/h5'])('keeps the local H5 path %s', (to) => {
    expect(safeReturnPath(to)).toBe(to);
  });

  it.each([
    'https://evil.example/h5/',
    '//evil.example/h5/',
    '/\\evil.example/h5/',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/h5/../admin',
    '/h5/..%2f..%2fadmin',
    '/h5/%2F%2Fevil.example',
    '/api/h5/me',
    '/h5x/',
    '/h5/\r\nSet-Cookie: a=b',
    '',
    'x'.repeat(600),
  ])('refuses %s', (to) => {
    expect(safeReturnPath(to)).toBe(DEFAULT_RETURN);
  });

  it('refuses what is not a string', () => {
    expect(safeReturnPath(undefined)).toBe(DEFAULT_RETURN);
    expect(safeReturnPath(['/h5/', '//evil'])).toBe(DEFAULT_RETURN);
  });
});

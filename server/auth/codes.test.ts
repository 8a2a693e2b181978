import { describe, expect, it } from 'vitest';
import { codeMatches, hashCode, mask } from './codes.js';

describe('code hashes', () => {
  it('stores a salted hash that matches only its code', () => {
    const stored = hashCode('123456');
    expect(stored).not.toContain('123456');
    expect(hashCode('123456')).not.toBe(stored);
    expect(codeMatches('123456', stored)).toBe(true);
    expect(codeMatches('123457', stored)).toBe(false);
    expect(codeMatches('123456', 'garbage')).toBe(false);
  });
});

describe('mask', () => {
  it('keeps enough of a target to tell it apart in a log', () => {
    expect(mask('13812345678')).toBe('138****5678');
    expect(mask('alice@example.com')).toBe('a****@example.com');
  });
});

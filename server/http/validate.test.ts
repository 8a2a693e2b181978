import { describe, expect, it } from 'vitest';
import { idSchema, isSaneIsoDate, searchSchema } from './validate.js';

describe('isSaneIsoDate', () => {
  it.each([
    ['2024-05-01', true],
    ['2024-02-29', true],
    ['2024-05-01T08:00', true],
    ['2024-05-01T08:00:00Z', true],
    ['2024-05-01T08:00:00.123+08:00', true],
    ['2100-12-31', true],
    ['+275760-09-13', false],
    ['1999-12-31', false],
    ['2101-01-01', false],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-05-01T24:00', false],
    ['2024-5-1', false],
    ['next tuesday', false],
    ['', false],
  ])('%s → %s', (v, ok) => {
    expect(isSaneIsoDate(v)).toBe(ok);
  });
});

describe('idSchema and searchSchema', () => {
  it('takes int4 ids and refuses what the column cannot hold', () => {
    expect(idSchema().parse('2147483647')).toBe(2147483647);
    for (const bad of ['2147483648', '0', '-1', '1.5', 'abc', '']) expect(idSchema().safeParse(bad).success).toBe(false);
  });

  it('trims a search, treats empty as no filter, and refuses control characters and overlong text', () => {
    expect(searchSchema(5).parse('  发票 ')).toBe('发票');
    expect(searchSchema(5).parse('')).toBeUndefined();
    for (const bad of ['a\u0000b', 'a\u001bb', 'abcdef']) expect(searchSchema(5).safeParse(bad).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { bigramSet, jaccard, normalizeQuestion } from './normalize.js';

describe('normalizeQuestion', () => {
  it.each([
    ['ＥＲＰ怎么登录？', 'erp怎么登录'],
    ['忘记 密码 了!!', '忘记密码了'],
    ['GS  安装，报错。', 'gs安装报错'],
    ['“服务编码”是什么', '服务编码是什么'],
    ['１２３', '123'],
    ['', ''],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeQuestion(input)).toBe(expected);
  });
});

describe('bigramSet and jaccard', () => {
  it('makes the bigrams of a text', () => {
    expect([...bigramSet('登录失败')]).toEqual(['登录', '录失', '失败']);
  });
  it('keeps a one-character text as its own gram', () => {
    expect([...bigramSet('好')]).toEqual(['好']);
  });
  it.each([
    ['忘记密码怎么办', '忘记密码怎么办', 1],
    ['忘记密码怎么办', '忘记密码怎么办呢', 6 / 7],
    ['忘记密码怎么办', '发票怎么打印', 1 / 10],
  ])('scores %j against %j as %d', (a, b, expected) => {
    expect(jaccard(bigramSet(a), bigramSet(b))).toBeCloseTo(expected, 6);
  });
});

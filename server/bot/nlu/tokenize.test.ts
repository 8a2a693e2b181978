import { describe, expect, it } from 'vitest';
import { coverage, tokens, topicTokens, units } from './tokenize.js';

describe('units', () => {
  it.each([
    ['转人工', ['转', '人', '工']],
    ['在吗？', ['在', '吗']],
    ['ＯＫ的', ['ok', '的']],
    ['GS 886 好', ['gs', '886', '好']],
    ['赞👍', ['赞', '👍']],
    ['[微笑]', ['微', '笑']],
    ['？？？', ['?', '?', '?']],
    ['   ', []],
  ])('splits %j into %j', (text, expected) => {
    expect(units(text)).toEqual(expected);
  });
});

describe('tokens', () => {
  it('gives the units, then the bigrams of neighbouring units', () => {
    expect(tokens('转人工')).toEqual(['转', '人', '工', '转人', '人工']);
  });
  it('gives a one-unit text as itself', () => {
    expect(tokens('嗯')).toEqual(['嗯']);
  });
});

describe('topicTokens', () => {
  it.each([
    ['在么', ['在']],
    ['谢谢哈', ['谢', '谢', '谢谢']],
    ['哦哦', ['哦', '哦', '哦哦']],
  ])('keeps the tokens of %j without particles', (text, expected) => {
    expect(topicTokens(text)).toEqual(expected);
  });
});

describe('coverage', () => {
  const known = new Set(['你', '好', '你好']);
  it.each([
    [['你', '好', '你好'], 1],
    [['你', '好', '啊', '你好', '好啊'], 3 / 5],
    [['你', '你'], 1],
    [['账'], 0],
    [[], 0],
  ])('of %j is %d', (query, expected) => {
    expect(coverage(query, known)).toBeCloseTo(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { normaliseUnitName } from './unit-name.js';

describe('normaliseUnitName', () => {
  it.each([
    ['  浪潮软件股份有限公司  ', '浪潮软件股份有限公司'],
    ['\u3000浪潮软件股份有限公司\u3000', '浪潮软件股份有限公司'],
    ['ＡＢＣ示例集团有限公司', 'ABC示例集团有限公司'],
    ['山东示例科技有限公司（济南）', '山东示例科技有限公司(济南)'],
    ['浪潮  软件\t公司', '浪潮 软件 公司'],
    ['１２３公司', '123公司'],
  ])('turns %j into %j', (input, expected) => {
    expect(normaliseUnitName(input)).toBe(expected);
  });

  it('keeps letter case, so that it never widens a match beyond the exact name', () => {
    expect(normaliseUnitName('abc示例集团有限公司')).not.toBe(normaliseUnitName('ABC示例集团有限公司'));
  });

  it('never shortens or expands a name', () => {
    expect(normaliseUnitName('浪潮软件')).toBe('浪潮软件');
  });
});

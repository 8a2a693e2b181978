import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../platform/paths.js';
import { validateRows } from './import.js';
import { COLUMNS, columnOf, splitSimilar, statusOf } from './sheet.js';

describe('columnOf', () => {
  it.each([
    ['标准问题', 'question'],
    [' Question ', 'question'],
    ['相似问题', 'similar'],
    ['Similar Questions', 'similar'],
    ['答案', 'answer'],
    ['ANSWER', 'answer'],
    ['产品', 'product'],
    ['module', 'module'],
    ['版本', 'version'],
    ['链接', 'link'],
    ['备注', undefined],
  ])('maps the header %j to %j', (header, key) => {
    expect(columnOf(header)).toBe(key);
  });
});

describe('splitSimilar', () => {
  it.each([
    ['a|b|c', ['a', 'b', 'c']],
    [' a ｜ b || ', ['a', 'b']],
    ['', []],
  ])('splits %j', (cell, expected) => {
    expect(splitSimilar(cell)).toEqual(expected);
  });
});

describe('the 状态 column', () => {
  it('reads what export writes, and English', () => {
    expect(['已发布', '草稿', 'published', 'Draft', ' 草稿 '].map(statusOf)).toEqual(['published', 'draft', 'published', 'draft', 'draft']);
    expect(statusOf('上线')).toBeUndefined();
  });

  it('rejects a row with an unknown status, and keeps a valid one', () => {
    const { valid, rejected } = validateRows(
      [
        { row: 2, cells: { question: '问一', answer: '答', status: '上线' } },
        { row: 3, cells: { question: '问二', answer: '答', status: '已发布' } },
      ],
      new Map(),
    );
    expect(rejected).toEqual([{ row: 2, reason: '状态只能是“已发布”或“草稿”' }]);
    expect(valid.map((v) => v.status)).toEqual(['published']);
  });

  it('is named, with every other column export writes, in the console’s import help', () => {
    const dialog = readFileSync(fromRoot('console', 'src', 'components', 'kb', 'ImportDialog.vue'), 'utf8');
    const help = /列与导出的文件相同：([^。]*)。/.exec(dialog)?.[1] ?? '';
    expect(help.split('、').map((c) => c.replace(/（.*$/, ''))).toEqual(COLUMNS.map((c) => c.header));
  });
});

describe('validateRows', () => {
  const row = (n: number, question: string, answer: string, extra: Record<string, string> = {}) => ({ row: n, cells: { question, answer, ...extra } });
  it.each([
    ['an empty question', row(2, '', 'a'), '标准问题为空'],
    ['a question of punctuation only', row(2, '？？', 'a'), '标准问题为空'],
    ['an empty answer', row(2, 'q', ''), '答案为空'],
    ['both empty', row(2, '', ''), '标准问题为空；答案为空'],
    ['a long answer', row(2, 'q', 'x'.repeat(5001)), '答案超过5000字'],
    ['a long module', row(2, 'q', 'a', { module: 'm'.repeat(51) }), '模块超过50字'],
    ['too many similar questions', row(2, 'q', 'a', { similar: Array.from({ length: 201 }, (_, i) => `s${i}`).join('|') }), '相似问题超过200条'],
    ['an existing question', row(2, '已有的问题！', 'a'), '标准问题已在条目 7「已有的问题？」中'],
    ['a similar question another entry holds', row(2, '新问题', 'a', { similar: '别的问法|已有的 问题' }), '相似问题「已有的 问题」已在条目 7「已有的问题？」中'],
  ])('rejects %s', (_name, r, reason) => {
    expect(validateRows([r], new Map([['已有的问题', { entryId: 7, question: '已有的问题？' }]])).rejected).toEqual([{ row: 2, reason }]);
  });

  it('rejects a later duplicate of a valid row, but not of a rejected one', () => {
    const { valid, rejected } = validateRows([row(2, '问题甲', ''), row(3, '问题甲', '答'), row(4, '问题甲。', '答')], new Map());
    expect(valid.map((v) => v.row)).toEqual([3]);
    expect(rejected).toEqual([
      { row: 2, reason: '答案为空' },
      { row: 4, reason: '与第3行的问题重复' },
    ]);
  });

  it('rejects a row whose question is an earlier row’s similar question, and the other way round', () => {
    const { valid, rejected } = validateRows([row(2, '问题甲', '答', { similar: '问法乙' }), row(3, '问法乙', '答'), row(4, '问题丙', '答', { similar: '问题甲' })], new Map());
    expect(valid.map((v) => v.row)).toEqual([2]);
    expect(rejected).toEqual([
      { row: 3, reason: '与第2行的问题重复' },
      { row: 4, reason: '相似问题「问题甲」与第2行的问题重复' },
    ]);
  });
});

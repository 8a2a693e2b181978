import { describe, expect, it } from 'vitest';
import { bm25Baseline } from './baseline.js';

const docs = [
  { entryId: 'a', text: '怎么修改密码' },
  { entryId: 'b', text: '发票怎么打印' },
  { entryId: 'c', text: '服务编码在哪里查询' },
  { entryId: 'c', text: '服务编码是什么' },
];

describe('bm25Baseline', () => {
  it('ranks the question sharing the rarest characters first', () => {
    const hits = bm25Baseline(docs).rank('密码修改');
    expect(hits[0]!.entryId).toBe('a');
  });

  it('returns one hit per entry, its best question, best first', () => {
    const hits = bm25Baseline(docs).rank('服务编码查询');
    expect(hits.map((h) => h.entryId)).toEqual(['c', 'a']); // 'a' shares only 码
    expect(hits[0]!.text).toBe('服务编码在哪里查询');
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('scores higher for more shared bigrams', () => {
    const r = bm25Baseline(docs);
    expect(r.rank('发票打印')[0]!.score).toBeGreaterThan(r.rank('发票')[0]!.score);
  });

  it('returns nothing for a query with no shared character', () => {
    expect(bm25Baseline(docs).rank('天气晴朗')).toEqual([]);
  });

  it('returns at most k hits', () => {
    expect(bm25Baseline(docs).rank('怎么', 1)).toHaveLength(1);
  });
});

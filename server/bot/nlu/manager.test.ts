import { describe, expect, it } from 'vitest';
import { newManager, trimPrepareCache } from './manager.js';

describe('newManager', () => {
  it('classifies Chinese with the unigram and bigram tokenizer', async () => {
    const m = newManager('bigram');
    m.addDocument('zh', '转人工', 'handoff');
    m.addDocument('zh', '工作人员在吗', 'other');
    await m.train();
    expect((await m.process('zh', '人工')).intent).toBe('handoff');
  });
});

describe('trimPrepareCache', () => {
  it('drops the per-text cache of the classifier once it passes the limit', async () => {
    const m = newManager('bigram');
    m.addDocument('zh', '你好', 'greet');
    m.addDocument('zh', '转人工', 'handoff');
    await m.train();
    for (let i = 0; i < 30; i++) await m.process('zh', `第${i}个问题`);
    expect(trimPrepareCache(m, 100)).toBeGreaterThanOrEqual(30);
    expect(trimPrepareCache(m, 100)).toBeGreaterThanOrEqual(30); // under the limit: kept
    trimPrepareCache(m, 10);
    expect(trimPrepareCache(m, 10)).toBe(0);
    expect((await m.process('zh', '转人工')).intent).toBe('handoff');
  });
});

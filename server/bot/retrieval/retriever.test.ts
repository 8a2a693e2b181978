import { describe, expect, it } from 'vitest';
import type { IndexDoc } from '../types.js';
import { THRESHOLDS, bandOf, buildRetriever } from './index.js';

/** A small ERP knowledge base: entry id → standard question and similar questions. */
const KB: Record<string, string[]> = {
  'plat-001': ['忘记密码怎么办', '密码找回的方法有哪些', '怎么重置登录密码', '登录密码不记得了'],
  'plat-002': ['如何绑定微信', '微信怎么绑定账号', '账号绑定微信的步骤'],
  'plat-003': ['服务编码是什么', '怎么查询服务编码', '服务编码在哪里看'],
  'plat-004': ['客服热线电话是多少', '400电话怎么拨打', '人工服务热线'],
  'plat-005': ['怎么成为VIP用户', 'VIP会员如何申请', '申请VIP需要什么条件'],
  'gl-001': ['凭证审核后怎么修改', '已审核的凭证如何取消审核', '凭证审核了还能改吗'],
  'gl-002': ['总账月末结账失败', '结账时提示有未记账凭证', '月结不成功怎么处理'],
  'lock-001': ['加密锁检测不到', '插上加密锁提示未找到', '加密锁识别不了怎么办'],
  'inv-001': ['增值税专用发票怎么开', '开具专用发票的步骤', '专用发票开票流程'],
  'pay-001': ['工资表怎么导入', '如何批量导入工资数据', '薪资数据导入excel'],
  'fa-001': ['固定资产怎么计提折旧', '折旧计提的操作', '资产折旧怎么算'],
  'db-001': ['数据库连接失败', '连接不上数据库服务器', 'sql server连接报错'],
};

const synonyms = { 登陆: '登录', 专票: '专用发票', 加密狗: '加密锁', 密码忘了: '忘记密码', 咋: '怎么' };

const docs: IndexDoc[] = Object.entries(KB).flatMap(([entryId, qs]) => qs.map((text) => ({ entryId, text })));
const retriever = buildRetriever(docs, { synonyms });

describe('buildRetriever', () => {
  it('indexes every standard and similar question', () => {
    expect(retriever.size).toBe(docs.length);
  });

  it('returns at most one hit per entry, best first, at most k', () => {
    const { hits } = retriever.rank('服务编码怎么查询', 4);
    expect(hits.length).toBeLessThanOrEqual(4);
    expect(new Set(hits.map((h) => h.entryId)).size).toBe(hits.length);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits[0]!.entryId).toBe('plat-003');
  });

  it('returns five hits by default', () => {
    expect(retriever.rank('怎么').hits.length).toBeLessThanOrEqual(5);
  });

  it('reports the best-matching question of the entry', () => {
    expect(retriever.rank('怎么绑定微信').hits[0]!.text).toMatch(/微信/);
  });

  it.each([
    ['我密码忘了咋办啊', 'plat-001'],
    ['加密狗插了没反应 识别不了', 'lock-001'],
    ['专票咋开', 'inv-001'],
    ['服务编吗在哪看', 'plat-003'],
    ['凭证审合了还能修改么', 'gl-001'],
    ['月末结帐失败了', 'gl-002'],
    ['VIP怎么申请', 'plat-005'],
    ['工资数据批量导入', 'pay-001'],
    ['sqlserver数据库连不上', 'db-001'],
  ])('finds the right entry for the colloquial or misspelt %j', (query, entryId) => {
    const r = retriever.rank(query);
    expect(r.hits[0]!.entryId).toBe(entryId);
    expect(r.band).not.toBe('none');
  });

  it('answers a close paraphrase in the answer band', () => {
    expect(retriever.rank('忘记密码了怎么办').band).toBe('answer');
  });

  it.each(['今天天气怎么样', '推荐一部好看的电影', '英雄联盟什么英雄最厉害', '附近有什么好吃的餐厅'])(
    'gives the unrelated question %j the band none',
    (query) => {
      const r = retriever.rank(query);
      expect(r.band).toBe('none');
      expect(r.confidence).toBeLessThan(THRESHOLDS.suggest);
    },
  );

  it('gives a query with no known character no hit and zero confidence', () => {
    expect(retriever.rank('😀！！')).toEqual({ hits: [], confidence: 0, band: 'none' });
  });

  it('keeps confidence in [0, 1]', () => {
    for (const q of ['忘记密码怎么办', '天气', '服务编码是什么服务编码是什么', '凭证']) {
      const { confidence } = retriever.rank(q);
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('bands', () => {
  it('orders the thresholds', () => {
    expect(THRESHOLDS.answer).toBeGreaterThan(THRESHOLDS.suggest);
    expect(THRESHOLDS.suggest).toBeGreaterThan(0);
  });

  it.each([
    [THRESHOLDS.answer, 'answer'],
    [1, 'answer'],
    [THRESHOLDS.answer - 1e-9, 'suggest'],
    [THRESHOLDS.suggest, 'suggest'],
    [THRESHOLDS.suggest - 1e-9, 'none'],
    [0, 'none'],
  ] as const)('maps confidence %d to %s', (confidence, band) => {
    expect(bandOf(confidence)).toBe(band);
  });
});

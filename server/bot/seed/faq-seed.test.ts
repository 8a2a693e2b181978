import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../../kb/normalize.js';
import { fromRoot } from '../../platform/paths.js';
import type { FaqSeedEntry } from '../types.js';

// The shipped FAQ seed (server/bot/seed/faq-*.json), as staff and the bot rely on it.
const seedDir = fromRoot('server', 'bot', 'seed');
const files = readdirSync(seedDir).filter((f) => /^faq-.*\.json$/.test(f));
const entries = files.flatMap((f) => (JSON.parse(readFileSync(`${seedDir}/${f}`, 'utf8')) as FaqSeedEntry[]).map((e) => ({ ...e, file: f })));

describe('the FAQ seed', () => {
  it('has at least 1,000 entries, each with a unique id, a product, a module and at least 4 similar questions', () => {
    expect(entries.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const thin = entries.filter((e) => !e.product.trim() || !e.module.trim() || e.similar.length < 4 || !e.answer.trim());
    expect(thin.map((e) => e.id)).toEqual([]);
  });

  it('covers the ERP modules customers ask about', () => {
    const modules = new Set(entries.map((e) => e.module));
    for (const m of ['总账', '报表', '合并报表', '薪资', '固定资产', '应收应付', '出纳', '资金', '采购', '销售', '库存', '存货核算', '成本', '预算', '发票与税务', '系统管理']) {
      expect(modules, m).toContain(m);
    }
  });

  it('keeps one question text in one entry (compared folded)', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const e of entries) {
      for (const q of new Set([e.question, ...e.similar].map(normalizeQuestion))) {
        const other = owner.get(q);
        if (other && other !== e.id) clashes.push(`${q}: ${other} and ${e.id}`);
        owner.set(q, e.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('states no version of its own, and the hotline only as the {{hotline}} placeholder', () => {
    expect(entries.filter((e) => e.version !== undefined).map((e) => e.id)).toEqual([]);
    expect(entries.filter((e) => /400-?658-?6000/.test(e.answer)).map((e) => e.id)).toEqual([]);
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold, normalize } from '../retrieval/normalize.js';
import { units } from './tokenize.js';
import type { ChitchatSeedEntry, DomainCase, IntentName, IntentSeed, SynonymTable } from '../types.js';

// The shipped chit-chat, intent and synonym seeds and the out-of-scope test set.
const root = join(import.meta.dirname, '../../..');
const read = async <T>(p: string) => JSON.parse(await readFile(join(root, p), 'utf8')) as T;
const chitchat = await read<ChitchatSeedEntry[]>('server/bot/seed/chitchat.json');
const intents = await read<IntentSeed[]>('server/bot/seed/intents.json');
const synonyms = await read<SynonymTable>('server/bot/seed/synonyms.json');
const oos = await read<DomainCase[]>('test/bot-domain/oos.json');

/** Words of ERP or the service platform: a chit-chat question holding one would swallow a business question. */
const BUSINESS = ['凭证', '总账', '账套', '结账', '报表', '工资', '资产', '加密锁', '发票', '服务编码', '注册', '登录', '密码', '绑定', '预约', '积分', 'vip', '管理员', '下载', '月报', '安装', '数据库', '补丁', 'erp', 'gs', '热线', '提问', '文档'];

describe('chit-chat seed', () => {
  it('has at least 85 entries with ids cc-001, cc-002, … in order', () => {
    expect(chitchat.length).toBeGreaterThanOrEqual(85);
    expect(chitchat.map((c) => c.id)).toEqual(chitchat.map((_, i) => `cc-${String(i + 1).padStart(3, '0')}`));
  });

  it('gives every entry at least 4 wordings and 2 answers, none blank', () => {
    for (const c of chitchat) {
      expect(c.questions.length, c.id).toBeGreaterThanOrEqual(4);
      expect(c.answers.length, c.id).toBeGreaterThanOrEqual(2);
      expect([...c.questions, ...c.answers].every((t) => t.trim() !== ''), c.id).toBe(true);
    }
  });

  it('never repeats a wording, in chit-chat or in the intents', () => {
    // As the NLU sees them: emoji kept, punctuation dropped.
    const all = [...chitchat.flatMap((c) => c.questions), ...intents.flatMap((i) => i.utterances)].map((t) => units(t).join(''));
    expect(all.filter((t, i) => all.indexOf(t) !== i)).toEqual([]);
  });

  it('holds no business question', () => {
    const offending = chitchat.flatMap((c) => c.questions).filter((q) => BUSINESS.some((w) => fold(q).includes(w)));
    expect(offending).toEqual([]);
  });
});

describe('intent seed', () => {
  it.each<[IntentName, number]>([
    ['handoff', 25],
    ['end', 15],
    ['thanks', 15],
    ['feedback.up', 10],
    ['feedback.down', 10],
  ])('has at least %s × %d utterances', (intent, min) => {
    const seed = intents.filter((i) => i.intent === intent);
    expect(seed).toHaveLength(1);
    expect(seed[0]!.utterances.length).toBeGreaterThanOrEqual(min);
  });
});

describe('synonym table', () => {
  const pairs = Object.entries(synonyms);

  it('has at least 80 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(80);
  });

  it('rewrites every key to its canonical word', () => {
    const wrong = pairs.filter(([from, to]) => normalize(from, synonyms) !== fold(to));
    expect(wrong).toEqual([]);
  });

  it('leaves every canonical word as it is (no key hides inside one)', () => {
    const rewritten = pairs.filter(([, to]) => normalize(to, synonyms) !== fold(to));
    expect(rewritten).toEqual([]);
  });
});

describe('out-of-scope test set', () => {
  it('has at least 60 distinct questions, none with an expected entry', () => {
    expect(oos.length).toBeGreaterThanOrEqual(60);
    expect(oos.every((c) => c.expectedId === null && c.question.trim() !== '')).toBe(true);
    expect(new Set(oos.map((c) => fold(c.question))).size).toBe(oos.length);
  });
});

import { describe, expect, it } from 'vitest';
import { decide, needsPrevious, type DecideInput, type PreviousTurn } from './decide.js';
import type { Ranked } from './types.js';

const entries = new Map([
  [1, { question: '忘记密码怎么办？', answer: '可通过手机、邮箱或服务热线找回。', link: '/h5/#home/profile' }],
  [2, { question: '如何绑定微信？', answer: '在个人中心绑定。' }],
  [3, { question: '服务编码怎么查？', answer: '按单位全称查询。' }],
]);
const now = new Date('2026-11-24T12:00:00Z');
const ranked = (band: Ranked['band'], ids: number[] = [1, 2, 3], confidence = 0.5): Ranked => ({
  band,
  confidence,
  hits: ids.map((id, n) => ({ entryId: String(id), score: 10 - n, text: entries.get(id)!.question })),
});
const input = (over: Partial<DecideInput>): DecideInput => ({
  question: '问题',
  previous: null,
  ranked: ranked('none', []),
  nlu: { kind: 'none' },
  entry: (id) => entries.get(id),
  now,
  publicBaseUrl: 'https://kf.example.com',
  ...over,
});
const prev = (over: Partial<PreviousTurn>): PreviousTurn => ({ id: 9, band: 'answer', entryId: 1, suggestions: null, feedback: null, at: new Date(now.getTime() - 60_000), ...over });

describe('decide', () => {
  it('answers in the answer band, with the link and an invitation to give feedback', () => {
    const d = decide(input({ question: '密码忘了', ranked: ranked('answer', [1]) }));
    expect(d.kind).toBe('answer');
    if (d.kind !== 'answer') return;
    expect(d.entryId).toBe(1);
    expect(d.text).toContain('可通过手机、邮箱或服务热线找回。');
    expect(d.text).toContain('<a href="https://kf.example.com/h5/#home/profile">查看详情</a>');
    expect(d.text).toContain('“有用”或“没用”');
  });

  it('suggests up to three numbered standard questions', () => {
    const d = decide(input({ ranked: ranked('suggest', [2, 1, 3]) }));
    expect(d).toMatchObject({ kind: 'suggest', suggestions: [2, 1, 3] });
    if (d.kind !== 'suggest') return;
    expect(d.text.split('\n').slice(0, 4)).toEqual(['您是不是想问：', '1. 如何绑定微信？', '2. 忘记密码怎么办？', '3. 服务编码怎么查？']);
  });

  it.each(['2', '２', '第2个', '二'])('answers suggestion %j right after a suggestion', (q) => {
    const d = decide(input({ question: q, previous: prev({ band: 'suggest', suggestions: [3, 2, 1] }) }));
    expect(d).toMatchObject({ kind: 'answer', entryId: 2, via: 'suggestion' });
  });

  it('does not treat a number as a pick when no suggestion came before', () => {
    expect(decide(input({ question: '2' })).kind).toBe('none');
  });

  it('says when the picked number was not offered', () => {
    const d = decide(input({ question: '3', previous: prev({ band: 'suggest', suggestions: [1] }) }));
    expect(d.kind).toBe('chitchat');
  });

  it('admits it cannot answer and always names #人工', () => {
    const d = decide(input({ question: '今天股市怎么样' }));
    expect(d.kind).toBe('none');
    if (d.kind === 'none') expect(d.text).toContain('#人工');
  });

  it.each([
    ['有用', 'up'],
    ['没用', 'down'],
    ['没用。', 'down'],
  ] as const)('counts %j right after an answer as %s', (q, value) => {
    expect(decide(input({ question: q, previous: prev({}) }))).toMatchObject({ kind: 'feedback', turnId: 9, value });
  });

  it('ignores feedback words when the last answer was already rated or long ago', () => {
    expect(decide(input({ question: '有用', previous: prev({ feedback: 'up' }) })).kind).not.toBe('feedback');
    expect(decide(input({ question: '有用', previous: prev({ at: new Date(now.getTime() - 3_600_000) }) })).kind).not.toBe('feedback');
  });

  it('hands off on a handoff intent', () => {
    expect(decide(input({ question: '我要找真人', nlu: { kind: 'intent', intent: 'handoff' } })).kind).toBe('handoff');
  });

  it('hands off on a request even when the FAQ matches strongly', () => {
    const d = decide(input({ question: '帮我转人工客服', ranked: ranked('answer', [2]), nlu: { kind: 'intent', intent: 'handoff' } }));
    expect(d.kind).toBe('handoff');
  });

  it.each(['怎么预约技术人员', '机器人回答不上来咋办', '联系人工的方法'])('answers a question about reaching people (%s) from the FAQ instead of handing off', (question) => {
    const d = decide(input({ question, ranked: ranked('answer', [2]), nlu: { kind: 'intent', intent: 'handoff' } }));
    expect(d).toMatchObject({ kind: 'answer', entryId: 2 });
  });

  it('answers a business question from the FAQ even when chit-chat also matches', () => {
    const d = decide(input({ question: '你好，忘记密码怎么办', ranked: ranked('answer', [1]), nlu: { kind: 'chitchat', answer: '你好呀！' } }));
    expect(d.kind).toBe('answer');
  });

  it('answers chit-chat when the FAQ has no strong match', () => {
    const d = decide(input({ question: '你好', ranked: ranked('suggest', [2]), nlu: { kind: 'chitchat', answer: '你好呀！' } }));
    expect(d).toEqual({ kind: 'chitchat', text: '你好呀！' });
  });
});

describe('needsPrevious (the previous turn is read only when it can matter)', () => {
  const none = { kind: 'none' } as const;
  it.each([
    ['1', none, true],
    ['第2个', none, true],
    ['有用', none, true],
    ['没用', none, true],
    ['挺好的帮到我了', { kind: 'intent', intent: 'feedback.up' } as const, true],
    ['怎么修改登录密码？', none, false],
    ['忘记密码怎么办', none, false],
    ['你好', { kind: 'chitchat', answer: '你好呀' } as const, false],
  ])('%s → %s', (q, nlu, expected) => {
    expect(needsPrevious(q, nlu as never)).toBe(expected);
  });
});

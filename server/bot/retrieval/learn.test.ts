import { describe, expect, it } from 'vitest';
import { fitLogistic, learnGate, tasksFromPairs } from './learn.js';

describe('learning', () => {
  it('fits a logistic regression whose weight follows the label', () => {
    const xs = [[-2], [-1], [-0.5], [0.5], [1], [2], [0.2], [-0.2]];
    const ys = [0, 0, 0, 1, 1, 1, 0, 1];
    const [w, b] = fitLogistic(xs, ys, 0.1, true);
    expect(w).toBeGreaterThan(0);
    expect(Math.abs(b!)).toBeLessThan(1);
  });

  it('builds tasks whose queries list every kb entry of their paraphrase cluster', () => {
    const pairs = [
      { a: '怎么改密码', b: '密码如何修改', same: true },
      { a: '如何修改密码', b: '密码如何修改', same: true },
      { a: '发票怎么打', b: '打印发票', same: true },
      { a: '发票怎么打', b: '服务编码', same: false },
    ];
    const [task] = tasksFromPairs('t', pairs, 10, 1, new Set(['打印发票']));
    expect(task!.kb.map((d) => d.text)).toEqual(['怎么改密码', '如何修改密码', '发票怎么打']);
    expect(task!.queries).toEqual([{ q: '密码如何修改', relevant: ['0', '1'] }]);
  });

  it('centres the domain gate low in the in-domain distribution', () => {
    const shares = Array.from({ length: 101 }, (_, i) => 0.5 + i / 200);
    const [centre, slope] = learnGate(shares);
    expect(centre).toBeCloseTo(0.525);
    expect(1 / (1 + Math.exp(-slope! * (0.75 - centre!)))).toBeCloseTo(0.95);
  });
});

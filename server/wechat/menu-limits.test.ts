import { describe, expect, it } from 'vitest';
import type { Menu } from './menu.js';
import { menuProblems } from './menu-limits.js';

const view = (name: string, url = '/h5/#/home') => ({ type: 'view' as const, name, url });

describe('menuProblems', () => {
  it('accepts a valid menu', () => {
    expect(menuProblems({ button: [{ name: '我的服务', sub_button: [view('我要提问'), { type: 'click', name: '微客服', key: 'KF_CHAT' }] }, view('知识中心')] })).toEqual([]);
  });

  it.each<[string, Menu, RegExp]>([
    ['no buttons', { button: [] }, /至少需要 1 个/],
    ['four top buttons', { button: [view('a'), view('b'), view('c'), view('d')] }, /最多 3 个/],
    ['a top name over 16 bytes (6 Chinese characters = 18 bytes)', { button: [view('一二三四五六')] }, /18 字节，超过 16 字节/],
    ['six sub-buttons', { button: [{ name: '组', sub_button: ['1', '2', '3', '4', '5', '6'].map((n) => view(n)) }] }, /二级菜单最多 5 个，现在有 6 个/],
    ['a sub name over 60 bytes', { button: [{ name: '组', sub_button: [view('长'.repeat(21))] }] }, /63 字节，超过 60 字节/],
    ['a click without a key', { button: [{ type: 'click', name: '点我' }] }, /需要 key/],
    ['a view without a url', { button: [{ type: 'view', name: '看' }] }, /需要 url/],
    ['a url over 1024 bytes', { button: [view('看', `/h5/#/${'x'.repeat(1030)}`)] }, /超过 1024 字节/],
    ['an unknown type', { button: [{ type: 'scancode' as never, name: '扫' }] }, /type 必须是 click 或 view/],
  ])('refuses %s', (_label, menu, problem) => {
    const problems = menuProblems(menu);
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });
});

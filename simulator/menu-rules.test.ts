import { describe, expect, it } from 'vitest';
import { validateMenu } from './menu-rules.js';

const click = (name: string, key = 'K') => ({ type: 'click', name, key });
const view = (name: string, url = 'https://example.com/h5') => ({ type: 'view', name, url });
const group = (name: string, subs: unknown[]) => ({ name, sub_button: subs });
const zh = (n: number) => '服'.repeat(n); // 3 UTF-8 bytes each

describe('menu rules', () => {
  const cases: Array<[string, unknown, number]> = [
    ['accepts three groups of five', { button: [1, 2, 3].map((g) => group(`组${g}`, [1, 2, 3, 4, 5].map((i) => click(`项${i}`, `K${g}${i}`)))) }, 0],
    ['accepts top-level click and view buttons', { button: [click('微客服'), view('微知识')] }, 0],
    ['refuses a body that is not an object', 'menu', 47001],
    ['refuses a menu without buttons', { button: [] }, 40016],
    ['refuses four buttons', { button: [click('a'), click('b'), click('c'), click('d')] }, 40016],
    ['refuses an unknown top-level type', { button: [{ type: 'scancode_push', name: 'a', key: 'k' }] }, 40017],
    ['accepts a 16-byte top-level name', { button: [click('我的服务!!!!')] }, 0],
    ['refuses a 17-byte top-level name', { button: [click(`${zh(5)}ab`)] }, 40018],
    ['refuses an empty top-level name', { button: [click('')] }, 40018],
    ['refuses a 129-byte top-level key', { button: [click('a', 'k'.repeat(129))] }, 40019],
    ['accepts a 128-byte key', { button: [click('a', 'k'.repeat(128))] }, 0],
    ['refuses a top-level click without a key', { button: [{ type: 'click', name: 'a' }] }, 40019],
    ['refuses a 1025-byte top-level url', { button: [view('a', `https://e.com/${'x'.repeat(1025 - 14)}`)] }, 40020],
    ['accepts a 1024-byte url', { button: [view('a', `https://e.com/${'x'.repeat(1024 - 14)}`)] }, 0],
    ['refuses a view url that is not http(s)', { button: [view('a', 'javascript:alert(1)')] }, 40020],
    ['refuses six sub-buttons', { button: [group('组', [1, 2, 3, 4, 5, 6].map((i) => click(`项${i}`)))] }, 40023],
    ['refuses an unknown sub-button type', { button: [group('组', [{ type: 'media_id', name: 'a', media_id: 'm' }])] }, 40024],
    ['accepts a 60-byte sub-button name', { button: [group('组', [click(zh(20))])] }, 0],
    ['refuses a 63-byte sub-button name', { button: [group('组', [click(zh(21))])] }, 40025],
    ['refuses a 129-byte sub-button key', { button: [group('组', [click('a', 'k'.repeat(129))])] }, 40026],
    ['refuses a 1025-byte sub-button url', { button: [group('组', [view('a', `https://e.com/${'x'.repeat(1011)}`)])] }, 40027],
    ['refuses a group whose name is too long', { button: [group(zh(6), [click('a')])] }, 40018],
  ];
  it.each(cases)('%s', (_name, input, errcode) => {
    const result = validateMenu(input);
    expect(result.ok ? 0 : result.errcode).toBe(errcode);
  });

  it('keeps only the known fields of each button', () => {
    const result = validateMenu({ button: [{ ...click('微客服', 'CHAT'), extra: 1, sub_button: [] }] });
    expect(result).toEqual({ ok: true, menu: { button: [{ type: 'click', name: '微客服', key: 'CHAT' }] } });
  });
});

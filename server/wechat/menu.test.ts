import { describe, expect, it } from 'vitest';
import { entryUrl, resolveMenu, type Menu } from './menu.js';

const base = 'https://kf.example.com';

describe('resolveMenu', () => {
  it('sends every view link through /auth/wechat with the original path as `to`, and leaves clicks alone', () => {
    const menu: Menu = {
      button: [
        { type: 'click', name: '微客服', key: 'KF_CHAT' },
        { name: '服务家园', sub_button: [{ type: 'view', name: '个人中心', url: '/h5/#home/profile' }, { type: 'click', name: '点我', key: 'K' }] },
      ],
    };
    const resolved = resolveMenu(menu, { publicBaseUrl: base });
    expect(resolved.button[0]).toEqual(menu.button[0]);
    const view = resolved.button[1]!.sub_button![0]!;
    expect(view.url).toBe(`${base}/auth/wechat?to=%2Fh5%2F%23home%2Fprofile`);
    expect(new URL(view.url!).searchParams.get('to')).toBe('/h5/#home/profile');
    expect(resolved.button[1]!.sub_button![1]).toEqual(menu.button[1]!.sub_button![1]);
    expect(menu.button[1]!.sub_button![0]!.url).toBe('/h5/#home/profile');
  });
});

describe('entryUrl', () => {
  it('wraps an absolute link to our own server, with a trailing slash on the base', () => {
    expect(entryUrl(`${base}/h5/#service?x=1`, `${base}/`)).toBe(`${base}/auth/wechat?to=%2Fh5%2F%23service%3Fx%3D1`);
  });

  it('leaves a link to another site unchanged', () => {
    expect(entryUrl('https://other.example.com/page', base)).toBe('https://other.example.com/page');
  });
});

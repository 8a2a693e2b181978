import { readFile } from 'node:fs/promises';
import { fromRoot } from '../platform/paths.js';

/** A menu button as WeChat's menu/create takes it. */
export interface MenuButton {
  type?: 'click' | 'view';
  name: string;
  key?: string;
  url?: string;
  sub_button?: MenuButton[];
}

export interface Menu {
  button: MenuButton[];
}

export async function readMenuFile(path = fromRoot('menus', 'menu.json')): Promise<Menu> {
  return JSON.parse(await readFile(path, 'utf8')) as Menu;
}

/**
 * Makes every `view` URL absolute (against the server's public address) and sends it
 * through OAuth silent login (snsapi_base), so the page opens with the user identified.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
 */
export function resolveMenu(menu: Menu, o: { publicBaseUrl: string; oauthBase: string; appId: string }): Menu {
  const fix = (b: MenuButton): MenuButton => ({
    ...b,
    ...(b.type === 'view' && b.url ? { url: oauthUrl(new URL(b.url, `${o.publicBaseUrl}/`).toString(), o) } : {}),
    ...(b.sub_button ? { sub_button: b.sub_button.map(fix) } : {}),
  });
  return { button: menu.button.map(fix) };
}

export function oauthUrl(redirectUri: string, o: { oauthBase: string; appId: string }, state = 'menu'): string {
  const q = new URLSearchParams({ appid: o.appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state });
  return `${o.oauthBase}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
}

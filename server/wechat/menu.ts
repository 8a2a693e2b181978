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

export interface MenuTarget {
  publicBaseUrl: string;
  /** Not used any more: /auth/wechat knows WeChat's address and the AppID. Accepted so older callers compile. */
  oauthBase?: string;
  appId?: string;
}

/**
 * Sends every `view` URL through our OAuth entry, `${publicBaseUrl}/auth/wechat?to=<path>`:
 * that route redirects to WeChat's authorize page with a random state tied to the browser
 * (server/auth/oauth.routes.ts), so the page opens with the user identified. A fixed state in
 * the menu could not be checked against anything.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
 */
export function resolveMenu(menu: Menu, o: MenuTarget): Menu {
  const fix = (b: MenuButton): MenuButton => ({
    ...b,
    ...(b.type === 'view' && b.url ? { url: entryUrl(b.url, o.publicBaseUrl) } : {}),
    ...(b.sub_button ? { sub_button: b.sub_button.map(fix) } : {}),
  });
  return { button: menu.button.map(fix) };
}

/**
 * The OAuth entry for a menu link. A local path (or an absolute URL on our own server) becomes
 * `to`; a link to another site is left alone: silent login only identifies users for our pages.
 */
export function entryUrl(url: string, publicBaseUrl: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const abs = new URL(url, `${base}/`);
  if (abs.origin !== new URL(base).origin) return url;
  return `${base}/auth/wechat?${new URLSearchParams({ to: `${abs.pathname}${abs.search}${abs.hash}` }).toString()}`;
}

import type { Menu, MenuButton } from './menu.js';

/**
 * The custom menu's limits (DESIGN.md §3 "Menu"; lengths in UTF-8 bytes): 1–3 top buttons, at most
 * 5 sub-buttons each, a top name ≤ 16 bytes, a sub-button name ≤ 60 bytes, a key ≤ 128 bytes,
 * a URL ≤ 1024 bytes (after OAuth wrapping, which `npm run menu:check` also checks). Pure.
 * Returns the problems in Chinese, each naming the button; empty when the menu is valid.
 */
export const MENU_LIMITS = { buttons: 3, subButtons: 5, topNameBytes: 16, subNameBytes: 60, keyBytes: 128, urlBytes: 1024 } as const;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function menuProblems(menu: Menu): string[] {
  const problems: string[] = [];
  if (!Array.isArray(menu?.button) || menu.button.length === 0) return ['菜单至少需要 1 个一级菜单'];
  if (menu.button.length > MENU_LIMITS.buttons) problems.push(`一级菜单最多 ${MENU_LIMITS.buttons} 个，现在有 ${menu.button.length} 个`);
  for (const [i, top] of menu.button.entries()) {
    const where = `一级菜单 ${i + 1}「${top.name ?? ''}」`;
    checkName(top, MENU_LIMITS.topNameBytes, where, problems);
    if (top.sub_button && top.sub_button.length > 0) {
      if (top.type) problems.push(`${where}: 有二级菜单时不能再设置 type`);
      if (top.sub_button.length > MENU_LIMITS.subButtons) problems.push(`${where}: 二级菜单最多 ${MENU_LIMITS.subButtons} 个，现在有 ${top.sub_button.length} 个（多出的条目请放到分组页面里）`);
      for (const [j, sub] of top.sub_button.entries()) {
        const subWhere = `${where} → 二级菜单 ${j + 1}「${sub.name ?? ''}」`;
        checkName(sub, MENU_LIMITS.subNameBytes, subWhere, problems);
        checkAction(sub, subWhere, problems);
      }
    } else {
      checkAction(top, where, problems);
    }
  }
  return problems;
}

function checkName(b: MenuButton, max: number, where: string, problems: string[]): void {
  if (typeof b.name !== 'string' || b.name.trim() === '') problems.push(`${where}: 缺少名称`);
  else if (bytes(b.name) > max) problems.push(`${where}: 名称 ${bytes(b.name)} 字节，超过 ${max} 字节（约 ${Math.floor(max / 3)} 个汉字）`);
}

function checkAction(b: MenuButton, where: string, problems: string[]): void {
  if (b.type === 'click') {
    if (!b.key) problems.push(`${where}: click 类型需要 key`);
    else if (bytes(b.key) > MENU_LIMITS.keyBytes) problems.push(`${where}: key 超过 ${MENU_LIMITS.keyBytes} 字节`);
  } else if (b.type === 'view') {
    if (!b.url) problems.push(`${where}: view 类型需要 url`);
    else if (bytes(b.url) > MENU_LIMITS.urlBytes) problems.push(`${where}: url ${bytes(b.url)} 字节，超过 ${MENU_LIMITS.urlBytes} 字节`);
  } else {
    problems.push(`${where}: type 必须是 click 或 view`);
  }
}

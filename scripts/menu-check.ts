/**
 * npm run menu:check [-- menus/menu.json]
 * Checks the custom menu against WeChat's limits (server/wechat/menu-limits.ts), as written and
 * after `npm run menu:push` sends view URLs through /auth/wechat (longer URLs). Prints what is
 * wrong and exits 1, or prints a summary and exits 0.
 */
import { resolve } from 'node:path';
import { menuProblems } from '../server/wechat/menu-limits.js';
import { readMenuFile, resolveMenu, type Menu } from '../server/wechat/menu.js';

const file = resolve(process.argv[2] ?? 'menus/menu.json');
let menu: Menu;
try {
  menu = await readMenuFile(file);
} catch (err) {
  process.stderr.write(`无法读取菜单文件 ${file}: ${(err as Error).message}\n`);
  process.exit(1);
}
const publicBaseUrl = (process.env.PUBLIC_BASE_URL ?? 'https://kf.example.com').replace(/\/+$/, '');
const raw = menuProblems(menu);
const wrapped = menuProblems(resolveMenu(menu, { publicBaseUrl }));
// Wrapping only lengthens URLs: report what it adds.
const problems = [...raw, ...wrapped.filter((p) => !raw.includes(p)).map((p) => `（经 /auth/wechat 包装后）${p}`)];
if (problems.length > 0) {
  process.stderr.write(`${file}: ${problems.length} 个问题\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
const subs = menu.button.reduce((n, b) => n + (b.sub_button?.length ?? 0), 0);
process.stdout.write(`${file}: 通过（${menu.button.length} 个一级菜单，${subs} 个二级菜单）\n`);

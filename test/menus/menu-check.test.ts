import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/menu-check.ts', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

describe('npm run menu:check', () => {
  it('passes the shipped menus/menu.json', () => {
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/通过（3 个一级菜单/);
  });

  it('prints what is wrong and exits 1', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'menu-')), 'menu.json');
    writeFileSync(file, JSON.stringify({ button: [{ name: '我的服务', sub_button: ['1', '2', '3', '4', '5', '6'].map((n) => ({ type: 'view', name: n, url: '/h5/' })) }, { name: '一二三四五六', type: 'click', key: 'K' }] }));
    const r = run(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/二级菜单最多 5 个，现在有 6 个/);
    expect(r.stderr).toMatch(/18 字节，超过 16 字节/);
  });
});

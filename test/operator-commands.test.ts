import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../server/platform/paths.js';

/**
 * The operator commands run from the compiled dist/ with plain node: after `npm ci --omit=dev`
 * there is no tsx, and nothing they load may come from a devDependency.
 */
const COMMANDS = ['staff-add', 'kb-import', 'kb-export', 'menu-check', 'menu-push'];
const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
const builtins = new Set(builtinModules);

/** Every package a compiled file loads, following its relative imports through dist/. */
function packagesLoadedBy(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // TypeScript's own import scanner, as scripts/import-graph.mjs uses: static, re-exports and import().
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:') && !builtins.has(spec)) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, file);
      }
    }
  };
  visit(entry);
  return packages;
}

describe('the operator commands', () => {
  const compiled = (name: string) => fromRoot('dist', 'scripts', `${name}.js`);

  it.each(COMMANDS)('%s is compiled, run by npm with node alone, and loads only production dependencies', (name) => {
    expect(existsSync(compiled(name)), `${compiled(name)} (run node scripts/build-if-stale.mjs)`).toBe(true);
    const script = Object.entries(pkg.scripts).find(([, cmd]) => cmd.includes(`dist/scripts/${name}.js`));
    expect(script, `an npm script runs dist/scripts/${name}.js`).toBeDefined();
    expect(script![1]).not.toContain('tsx');
    const outside = [...packagesLoadedBy(compiled(name))].filter(([p]) => !(p in pkg.dependencies));
    expect(outside.map(([p, file]) => `${p} (from ${file.replace(fromRoot(), '')})`)).toEqual([]);
  });

  it('run with plain node: menu:check checks the menu, staff:add explains what is missing', () => {
    const env = { PATH: process.env.PATH ?? '' };
    const check = spawnSync(process.execPath, [compiled('menu-check')], { cwd: fromRoot(), env, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('通过');
    const add = spawnSync(process.execPath, [compiled('staff-add')], { cwd: join(fromRoot(), 'menus'), env, encoding: 'utf8' });
    expect(add.status).not.toBe(0);
    expect(add.stderr + add.stdout).toContain('缺少参数: --username');
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseImports, formatMutual } from '../scripts/import-graph.mjs';

// The folders of server/ import each other one way only (docs/architecture.md); the same analysis
// runs as `node scripts/import-graph.mjs`.
describe('server folder imports', () => {
  const { mutual, cycles, imports } = analyseImports();

  it('has no pair of folders importing each other', () => {
    // The offending import lines are the message, so a failure says what to move.
    expect(mutual.length === 0 ? '' : `\n${formatMutual(mutual)}\n`).toBe('');
  });

  it('has no longer loop between folders either', () => {
    const inLoop = cycles.map((c) => {
      const lines = imports.filter((i) => c.includes(i.from) && c.includes(i.to));
      return `${c.join(', ')}\n${lines.map((i) => `  server/${i.fromFile}:${i.line}  ${i.text}`).join('\n')}`;
    });
    expect(inLoop.join('\n')).toBe('');
  });

  it('leaves the root files (the assembly) to import the folders, never the other way', () => {
    const intoRoot = imports.filter((i) => i.to === '(root)').map((i) => `server/${i.fromFile}:${i.line}  ${i.text}`);
    expect(intoRoot).toEqual([]);
  });
});

describe('the import analysis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('main.ts', "import { a } from './a/a.js';\n");
  write('a/a.ts', "import type { B } from '../b/b.js';\nexport const a = 1;\n");
  write('a/schema.ts', 'export const t = 1;\n');
  write('b/b.ts', "export type B = number;\nexport { a } from '../a/a.js';\nconst late = () => import('../c/c.js');\n");
  write('b/b.test.ts', "import { x } from '../d/d.js';\n");
  write('c/c.ts', "import { z } from 'zod';\nimport { fold } from '../../outside.js';\n");
  write('db/schema.ts', "export * from '../a/schema.js';\n");
  write('a/uses-db.ts', "import { t } from '../db/schema.js';\n");

  it('counts type imports, re-exports and dynamic imports, and leaves out tests, packages and outside files', () => {
    const { edges, mutual, cycles, layers } = analyseImports(dir);
    expect(edges).toEqual([
      { from: '(root)', to: 'a', count: 1 },
      { from: 'a', to: 'b', count: 1 },
      { from: 'a', to: 'db', count: 1 },
      { from: 'b', to: 'a', count: 1 },
      { from: 'b', to: 'c', count: 1 },
    ]);
    // db/schema.ts gathering a domain's schema does not make db and a a pair.
    expect(mutual.map((m) => [m.a, m.b])).toEqual([['a', 'b']]);
    expect(formatMutual(mutual)).toContain("server/a/a.ts:1  import type { B } from '../b/b.js';");
    expect(cycles).toEqual([['a', 'b']]);
    expect(layers).toEqual([]);
  });
});

#!/usr/bin/env node
// The folder-level import graph of server/: which top-level folder imports which, and the pairs of folders
// that import each other. Imports should point one way (see docs/architecture.md); a mutual pair means two
// folders cannot be understood, tested or changed apart. Exit code 1 when a mutual pair exists.
//
//   node scripts/import-graph.mjs            edge list, mutual pairs
//   node scripts/import-graph.mjs --lines    also every import line behind each edge
//
// Every relative import counts, `import type` and `export ... from` and `import('...')` included: a type
// import ties two folders together as much as a value import does. Test files (*.test.ts) are left out.
// Files directly under server/ are the folder "(root)". One exception: db/schema.ts, the schema index that
// re-exports every domain's tables for drizzle, may import any domain's schema.ts.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT_FOLDER = '(root)';

/** server/ of this repository. */
export const defaultServerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'server');

function listTsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      out.push(...listTsFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** The top-level folder of a file under serverDir, or "(root)" for a file directly in it. */
function folderOf(serverDir, file) {
  const rel = path.relative(serverDir, file).split(path.sep);
  return rel.length === 1 ? ROOT_FOLDER : rel[0];
}

/** The .ts file a relative specifier names ("./x.js" is ./x.ts under NodeNext), or the bare path if none. */
function resolveSpecifier(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base];
  if (/\.(m|c)?js$/.test(base)) candidates.push(base.replace(/\.(m|c)?js$/, '.ts'), base.replace(/\.(m|c)?js$/, '.d.ts'));
  candidates.push(`${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts'));
  for (const c of candidates) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return base;
}

/** Whether an import is allowed to point back: the schema index gathering every domain's tables. */
function isExcluded(serverDir, fromFile, toFile) {
  const from = path.relative(serverDir, fromFile).split(path.sep).join('/');
  const to = path.relative(serverDir, toFile).split(path.sep).join('/');
  return from === 'db/schema.ts' && /^[^/]+\/schema\.ts$/.test(to);
}

/**
 * Analyse server/: every cross-folder import, the folder edges with counts, and the mutual pairs.
 * @param {string} [serverDir]
 */
export function analyseImports(serverDir = defaultServerDir) {
  /** @type {{from: string, to: string, fromFile: string, toFile: string, line: number, text: string}[]} */
  const imports = [];
  for (const file of listTsFiles(serverDir).sort()) {
    const source = fs.readFileSync(file, 'utf8');
    // readImportFiles: import/export-from (type-only included); detectJavaScriptImports: import() too.
    const info = ts.preProcessFile(source, true, true);
    const lineStarts = ts.computeLineStarts(source);
    for (const ref of info.importedFiles) {
      const specifier = ref.fileName;
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const target = resolveSpecifier(file, specifier);
      const rel = path.relative(serverDir, target);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue; // outside server/ (common/ etc.)
      const from = folderOf(serverDir, file);
      const to = folderOf(serverDir, target);
      if (from === to) continue;
      if (isExcluded(serverDir, file, target)) continue;
      const line = ts.computeLineAndCharacterOfPosition(lineStarts, ref.pos).line;
      const text = source.split('\n')[line]?.trim() ?? '';
      imports.push({
        from,
        to,
        fromFile: path.relative(serverDir, file).split(path.sep).join('/'),
        toFile: rel.split(path.sep).join('/'),
        line: line + 1,
        text,
      });
    }
  }

  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const i of imports) counts.set(`${i.from}\u0000${i.to}`, (counts.get(`${i.from}\u0000${i.to}`) ?? 0) + 1);
  const edges = [...counts]
    .map(([key, count]) => {
      const [from, to] = key.split('\u0000');
      return { from, to, count };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));

  const mutual = [];
  for (const e of edges) {
    if (e.from < e.to && counts.has(`${e.to}\u0000${e.from}`)) {
      mutual.push({
        a: e.from,
        b: e.to,
        aToB: imports.filter((i) => i.from === e.from && i.to === e.to),
        bToA: imports.filter((i) => i.from === e.to && i.to === e.from),
      });
    }
  }
  return { imports, edges, mutual };
}

/** A readable account of the mutual pairs and the import lines behind them. */
export function formatMutual(mutual) {
  const out = [];
  for (const m of mutual) {
    out.push(`${m.a} <-> ${m.b}`);
    for (const i of [...m.aToB, ...m.bToA]) out.push(`  server/${i.fromFile}:${i.line}  ${i.text}`);
  }
  return out.join('\n');
}

function main() {
  const showLines = process.argv.includes('--lines');
  const { imports, edges, mutual } = analyseImports();
  console.log('folder -> folder (imports)');
  for (const e of edges) {
    console.log(`  ${e.from.padEnd(9)} -> ${e.to.padEnd(9)} ${String(e.count).padStart(3)}`);
    if (showLines) {
      for (const i of imports.filter((x) => x.from === e.from && x.to === e.to)) {
        console.log(`      server/${i.fromFile}:${i.line}  ${i.text}`);
      }
    }
  }
  if (mutual.length === 0) {
    console.log('\nno mutual pairs');
    return;
  }
  console.log(`\nmutual pairs (${mutual.length}):`);
  console.log(formatMutual(mutual));
  process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

#!/usr/bin/env node
// The folder-level import graph of server/: which top-level folder imports which, and the pairs of folders
// that import each other. Imports should point one way (see docs/architecture.md); a mutual pair means two
// folders cannot be understood, tested or changed apart. Exit code 1 when a mutual pair exists, or a
// longer loop (a -> b -> c -> a); without either it prints the layers.
//
//   node scripts/import-graph.mjs            edge list, mutual pairs, loops or layers
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
  const { cycles, layers } = layering(edges);
  return { imports, edges, mutual, cycles, layers };
}

/**
 * The folders that import each other through a longer loop (a -> b -> c -> a): the strongly
 * connected components of more than one folder, mutual pairs included. When there is none, the
 * layers: each folder sits one above the highest folder it imports, "(root)" on top.
 */
function layering(edges) {
  const out = new Map();
  for (const e of edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    if (!out.has(e.to)) out.set(e.to, []);
    out.get(e.from).push(e.to);
  }
  // Tarjan's algorithm; the graph has a dozen nodes, recursion is fine.
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of [...out.keys()].sort()) if (!index.has(v)) visit(v);
  if (cycles.length > 0) return { cycles, layers: [] };

  const level = new Map();
  const levelOf = (v) => {
    if (!level.has(v)) level.set(v, Math.max(-1, ...out.get(v).map(levelOf)) + 1);
    return level.get(v);
  };
  const layers = [];
  for (const v of [...out.keys()].sort()) (layers[levelOf(v)] ??= []).push(v);
  return { cycles, layers };
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
  const { imports, edges, mutual, cycles, layers } = analyseImports();
  console.log('folder -> folder (imports)');
  for (const e of edges) {
    console.log(`  ${e.from.padEnd(9)} -> ${e.to.padEnd(9)} ${String(e.count).padStart(3)}`);
    if (showLines) {
      for (const i of imports.filter((x) => x.from === e.from && x.to === e.to)) {
        console.log(`      server/${i.fromFile}:${i.line}  ${i.text}`);
      }
    }
  }
  if (mutual.length > 0) {
    console.log(`\nmutual pairs (${mutual.length}):`);
    console.log(formatMutual(mutual));
  } else {
    console.log('\nno mutual pairs');
  }
  if (cycles.length > 0) {
    console.log(`\nfolders in an import loop: ${cycles.map((c) => c.join(', ')).join('; ')}`);
  } else {
    console.log('\nlayers, bottom first (a folder imports only from layers below it):');
    layers.forEach((l, i) => console.log(`  ${i}  ${l.join(', ')}`));
  }
  if (mutual.length > 0 || cycles.length > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

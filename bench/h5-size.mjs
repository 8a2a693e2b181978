#!/usr/bin/env node
// How much gzipped JavaScript the H5 app's first route loads (at most 100 KB).
//   node bench/h5-size.mjs            builds h5/ with a manifest into a temporary folder, then measures
//   node bench/h5-size.mjs --dist     measures h5/dist as it is (needs h5/dist/.vite/manifest.json)
// What counts: what the browser fetches before the first route (/h5/#/service) shows — the entry chunk,
// the chunks it imports statically (index.html's modulepreload links), and the first route's page chunk
// with its own static imports. CSS is printed apart; it is not part of the JS budget.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TARGET_KB = 100;
/** The page of the first route: '/' redirects to /service, a group page. */
const FIRST_ROUTE_SOURCE = 'src/pages/group/index.vue';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const useDist = process.argv.includes('--dist');

let outDir = join(root, 'h5', 'dist');
let cleanup = () => {};
if (!useDist) {
  const { build } = await import('vite');
  outDir = mkdtempSync(join(tmpdir(), 'h5-size-'));
  cleanup = () => rmSync(outDir, { recursive: true, force: true });
  const started = performance.now();
  await build({
    configFile: join(root, 'h5', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  console.log(`built h5 in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  const manifestPath = join(outDir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run without --dist`);
  /** @type {Record<string, {file: string, isEntry?: boolean, imports?: string[], css?: string[], src?: string}>} */
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entryKey) throw new Error('no entry in the manifest');
  if (!manifest[FIRST_ROUTE_SOURCE]) throw new Error(`${FIRST_ROUTE_SOURCE} is not a chunk: is the first route still lazy?`);

  // Static imports only: dynamic imports (the other pages) load when their route opens.
  const js = new Set();
  const css = new Set();
  const follow = (key) => {
    const chunk = manifest[key];
    if (!chunk || js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const next of chunk.imports ?? []) follow(next);
  };
  follow(entryKey);
  const beforeRoute = js.size;
  follow(FIRST_ROUTE_SOURCE);

  // Cross-check with what index.html preloads: every preloaded chunk must be counted.
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/h5\/([^"]+)"/g)].map((m) => m[1]);
  const missing = preloaded.filter((file) => !js.has(file));
  if (missing.length > 0) throw new Error(`index.html loads chunks the walk missed: ${missing.join(', ')}`);

  const sizeOf = (file) => {
    const bytes = readFileSync(join(outDir, file));
    return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  };
  const kb = (n) => (n / 1024).toFixed(2).padStart(7);
  let total = 0;
  let totalRaw = 0;
  console.log(`\nfirst route /h5/#/service — JavaScript (${beforeRoute} chunk(s) from the entry, ${js.size - beforeRoute} for the page)`);
  console.log(`${'raw KB'.padStart(7)} ${'gzip KB'.padStart(7)}  file`);
  for (const file of js) {
    const { raw, gz } = sizeOf(file);
    total += gz;
    totalRaw += raw;
    console.log(`${kb(raw)} ${kb(gz)}  ${file}`);
  }
  console.log(`${kb(totalRaw)} ${kb(total)}  TOTAL JS`);
  let cssTotal = 0;
  for (const file of css) cssTotal += sizeOf(file).gz;
  console.log(`${''.padStart(7)} ${kb(cssTotal)}  CSS (${css.size} file(s), not in the JS budget; includes Vant's inlined icon font)`);

  const pass = total / 1024 <= TARGET_KB;
  console.log(`\ntarget: first route ≤ ${TARGET_KB} KB gzipped JS → ${(total / 1024).toFixed(1)} KB  ${pass ? 'PASS' : 'FAIL'}`);
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, node ${process.version}, gzip level 9`);
  process.exitCode = pass ? 0 : 1;
} finally {
  cleanup();
}

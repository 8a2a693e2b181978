#!/usr/bin/env node
// Builds only what is missing or stale: the server (tsc), the H5 app and the staff console (vite).
//   node scripts/build-if-stale.mjs           build what changed
//   node scripts/build-if-stale.mjs --force   rebuild all three
//   node scripts/build-if-stale.mjs --server  the server and the operator commands only (dist/)
// Runtime assets (migrations, simulator page) are read from the repo root, so nothing is copied.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const serverOnly = process.argv.includes('--server');

/** Newest mtime (ms) of the files under `dir` that `accept` keeps; skips node_modules and `skip` folders. */
function newestMtime(dir, accept, skip = new Set()) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || skip.has(path)) continue;
      newest = Math.max(newest, newestMtime(path, accept, skip));
    } else if (accept(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function touch(path) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${new Date().toISOString()}\n`);
}

/** Runs a local binary from node_modules/.bin (npx would add ~0.5 s of start-up). */
function run(bin, args) {
  const local = join(root, 'node_modules', '.bin', bin);
  const [command, fullArgs] = existsSync(local) ? [local, args] : ['npx', [bin, ...args]];
  const result = spawnSync(command, fullArgs, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status === 0;
}

function part(name, { stamp, isStale, build }) {
  const started = performance.now();
  if (!force && !isStale(mtimeOf(join(root, stamp)))) {
    console.log(`${name}: up to date`);
    return true;
  }
  if (!build()) {
    console.error(`${name}: build FAILED`);
    return false;
  }
  touch(join(root, stamp));
  console.log(`${name}: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

const isServerSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts');

const serverOk = part('server', {
  stamp: 'dist/.server-stamp',
  isStale: (stampTime) => {
    if (stampTime < 0 || !existsSync(join(root, 'dist'))) return true;
    const sources = Math.max(
      ...['server', 'simulator', 'common', 'scripts'].map((dir) => newestMtime(join(root, dir), isServerSource)),
      ...readdirSync(root)
        .filter((name) => /^tsconfig.*\.json$/.test(name))
        .map((name) => mtimeOf(join(root, name))),
    );
    return sources > stampTime;
  },
  build: () => run('tsc', ['-p', 'tsconfig.build.json']),
});

if (serverOnly) process.exit(serverOk ? 0 : 1);

const h5Ok =
  serverOk &&
  part('h5', {
    stamp: 'h5/dist/.stamp',
    isStale: (stampTime) => {
      if (stampTime < 0) return true;
      return newestMtime(join(root, 'h5'), () => true, new Set([join(root, 'h5', 'dist')])) > stampTime;
    },
    build: () => run('vite', ['build', '--config', 'h5/vite.config.ts']),
  });

// The console imports the API types in common/, so a change there rebuilds it too.
const consoleOk =
  serverOk &&
  part('console', {
    stamp: 'console/dist/.stamp',
    isStale: (stampTime) => {
      if (stampTime < 0) return true;
      return (
        Math.max(
          newestMtime(join(root, 'console'), () => true, new Set([join(root, 'console', 'dist')])),
          newestMtime(join(root, 'common'), isServerSource),
        ) > stampTime
      );
    },
    build: () => run('vite', ['build', '--config', 'console/vite.config.ts']),
  });

process.exit(serverOk && h5Ok && consoleOk ? 0 : 1);

// Start time and memory of the built server, from spawn to its "listening" log line, on a fresh
// data folder each run (the first run also trains and caches the NLU model; later runs load it).
// Usage: npm run bench:startup [-- runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const dataDir = mkdtempSync(join(tmpdir(), 'startup-bench-'));

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function startOnce() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', SIMULATOR: '1', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const early = (code) => reject(new Error(`server exited ${code} before listening`));
    child.once('exit', early);
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (!buf.includes('listening on')) return;
      child.off('exit', early);
      const ms = performance.now() - t0;
      const line = buf.split('\n').find((l) => l.includes('listening on'));
      const startMs = JSON.parse(line).startMs;
      // Let start-up work that runs after listening (timers, lazy loads) settle before reading RSS.
      setTimeout(() => {
        const rss = rssOf(child.pid);
        child.once('exit', () => resolve({ ms, startMs, rss }));
        child.kill('SIGTERM');
      }, 1000);
      buf = '';
    });
  });
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await startOnce());
rmSync(dataDir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
results.forEach((r, i) => console.log(`run ${i + 1}${i === 0 ? ' (cold: trains the NLU model)' : ''}: spawn→listening ${r.ms.toFixed(0)} ms (startServer ${r.startMs} ms), RSS ${r.rss.toFixed(0)} MB`));
const warm = results.slice(1);
console.log(`warm median: spawn→listening ${median(warm.map((r) => r.ms)).toFixed(0)} ms, RSS ${median(warm.map((r) => r.rss)).toFixed(0)} MB`);

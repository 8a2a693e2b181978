// Gateway benchmark: signed plain-mode text pushes at /wechat of the BUILT server, on the
// embedded default (PGlite in a fresh temporary DATA_DIR), against a bare Koa route.
//   npm run bench:gateway
// It prints numbers and a PASS/FAIL table against the targets; it exits 0 unless the benchmark
// itself broke. Knobs (environment): BENCH_RATE (300), BENCH_SECONDS (10), BENCH_WARMUP_S (3),
// BENCH_CONNECTIONS (32), BENCH_QUICK=1 (only the gateway's fixed-rate run: for A/B experiments),
// BENCH_SERVER_NODE_ARGS (extra node flags for the server child,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
//
// Two load shapes:
//  - fixed rate: an open-loop pacer sending one push every 1000/RATE ms over keep-alive
//    sockets; latency is measured from the SCHEDULED send time, so a stalled server is not
//    hidden (no coordinated omission). autocannon's overallRate is not used here: it sends
//    each connection's per-second quota back to back at the start of every second (a burst,
//    not a rate) and its correction assumes a 1 ms interval.
//  - saturation: autocannon with BENCH_CONNECTIONS connections for BENCH_SECONDS.
// Every push carries a unique MsgId (dedupe would otherwise answer from the log), one of 1000
// openids and Chinese text. Each push is signed with its own nonce, as WeChat does: the server
// remembers (timestamp, nonce) against the body, so one query reused with other bodies is refused.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_MAIN = join(ROOT, 'dist', 'server', 'main.js');
const BARE_MAIN = join(ROOT, 'bench', 'bare-koa.mjs');

const RATE = Number(process.env.BENCH_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const COLD_STARTS = 3;
const QUICK = process.env.BENCH_QUICK === '1';

// p99Ms: with a placeholder bot; botP99Ms: with the knowledge-base bot answering.
const TARGETS = { throughputRatio: 0.5, p99Ms: 20, botP99Ms: 25, coldStartMs: 3000 };

const APP_ID = 'wxbench000000001';
const TOKEN = 'benchtoken1';
const ACCOUNT_ID = `gh_${createHash('sha1').update(APP_ID).digest('hex').slice(0, 12)}`;
// 28 characters, like real openids.
const OPENIDS = Array.from({ length: 1000 }, (_, i) => `oBENCH${String(i).padStart(6, '0')}abcdefghijklmnop`);
const QUESTIONS = ['你好，请问发票怎么开？', '我的订单一直没有发货，怎么回事', '怎么修改登录密码？', '月结报表导出失败怎么办', '凭证审核后还能修改吗？'];

// ---------------------------------------------------------------------------------------------
// Children and clean-up

const children = new Set();
const tempDirs = new Set();

function cleanupSync() {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping children and removing temporary folders`);
    cleanupSync();
    process.exit(130);
  });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Spawns `node <args>`; keeps the last few KiB of its output for error messages. */
function startChild(args, env) {
  const startedAt = performance.now();
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => {
    proc.once('exit', (code, signal) => {
      children.delete(proc);
      resolveExit({ code, signal });
    });
  });
  return { proc, startedAt, exited, output: () => output };
}

async function stopChild(child, timeoutMs = 15_000) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return child.exited;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/** Polls GET /readyz every 20 ms until a 200; returns ms since the child was spawned. */
async function waitReady(child, base, timeoutMs = 60_000) {
  let exit;
  child.exited.then((e) => (exit = e));
  for (;;) {
    if (exit) throw new Error(`child exited (${exit.code ?? exit.signal}) before it was ready:\n${child.output()}`);
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - child.startedAt;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - child.startedAt > timeoutMs) throw new Error(`not ready after ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function serverEnv({ port, dataDir, apiPort }) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // Empty values win over a .env file (dotenv never overrides): embedded default, no Redis.
    DATABASE_URL: '',
    REDIS_URL: '',
    WECHAT_APPID: APP_ID,
    WECHAT_APPSECRET: 'benchsecret0000000000000000000001',
    WECHAT_TOKEN: TOKEN,
    WECHAT_AES_KEY: '',
    WECHAT_API_BASE: `http://127.0.0.1:${apiPort}`, // nothing listens: the bench only exercises passive replies
    LOG_LEVEL: 'warn',
  };
}

function startGateway(target) {
  return startChild([...SERVER_NODE_ARGS, SERVER_MAIN], serverEnv(target));
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

// ---------------------------------------------------------------------------------------------
// Pushes

const msgIdBase = randomBytes(8).readBigUInt64BE(0) >> 2n; // below 2^62: room to count up
let pushCount = 0;

function nextPush() {
  const n = pushCount++;
  const openid = OPENIDS[n % OPENIDS.length];
  const body =
    `<xml><ToUserName><![CDATA[${ACCOUNT_ID}]]></ToUserName>` +
    `<FromUserName><![CDATA[${openid}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
    '<MsgType><![CDATA[text]]></MsgType>' +
    `<Content><![CDATA[${QUESTIONS[n % QUESTIONS.length]}（第${n}条）]]></Content>` +
    `<MsgId>${msgIdBase + BigInt(n)}</MsgId></xml>`;
  return { openid, body };
}

/** One signed query per push: signature = sha1(sorted [token, timestamp, nonce]), a fresh nonce each. */
function signedPath() {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString('hex');
  const signature = createHash('sha1').update([TOKEN, timestamp, nonce].sort().join('')).digest('hex');
  return `/wechat?${new URLSearchParams({ signature, timestamp, nonce })}`;
}

const isReply = (status, body) => status === 200 && body.includes('<Content><![CDATA[') && body.includes('<MsgType><![CDATA[text]]></MsgType>');

/** Sends one push and fails loudly unless the answer is a text reply XML (to that user, unless the reply is fixed). */
async function verifySample(base, label, { fixedReply = false } = {}) {
  const { openid, body } = nextPush();
  const res = await fetch(`${base}${signedPath()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  const text = await res.text();
  if (!isReply(res.status, text) || (!fixedReply && !text.includes(`<ToUserName><![CDATA[${openid}]]></ToUserName>`))) {
    throw new Error(`${label}: the sample push was not answered with a reply XML (HTTP ${res.status}):\n${text || '(empty body)'}`);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Load

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Open-loop fixed rate: push i is due at start + i/rate; latency counts from that due time. */
async function pacedRun(base, rate, seconds) {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  const counts = { ok: 0, non2xx: 0, badBody: 0, errors: 0 };
  let lastEnd = 0;
  const start = performance.now() + 10;
  const perSecond = Array.from({ length: Math.ceil(seconds) }, () => []);
  let sent = 0;
  let settled = 0;

  await new Promise((resolveRun) => {
    const settle = () => {
      if (++settled === total) resolveRun();
    };
    const fire = (due) => {
      const { body } = nextPush();
      const req = http.request(
        { agent, hostname, port, path: signedPath(), method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            const end = performance.now();
            latencies.push(end - due);
            perSecond[Math.floor((due - start) / 1000)]?.push(end - due);
            lastEnd = Math.max(lastEnd, end);
            if (res.statusCode < 200 || res.statusCode >= 300) counts.non2xx++;
            else if (!isReply(res.statusCode, text)) counts.badBody++;
            else counts.ok++;
            settle();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        counts.errors++;
        settle();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) fire(start + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 10);
  });
  agent.destroy();

  latencies.sort((a, b) => a - b);
  if (process.env.BENCH_TIMELINE === '1') {
    console.log(`  per second (by due time): ${perSecond.map((l) => ms(percentile(l.sort((a, b) => a - b), 0.99))).join(' | ')}`);
  }
  return {
    requests: total,
    rps: counts.ok / ((lastEnd - start) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    p999: percentile(latencies, 0.999),
    max: latencies.at(-1),
    ...counts,
  };
}

/** Closed loop with `connections` keep-alive connections, as fast as the server answers. */
async function autocannonRun(base, connections, seconds) {
  const counts = { badBody: 0 };
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        setupRequest: (req) => ({ ...req, path: signedPath(), body: nextPush().body }),
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && !isReply(status, body)) counts.badBody++;
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    badBody: counts.badBody,
  };
}

async function measure(label, base, pid, sampleOptions) {
  console.log(`\n[${label}] sample: ${(await verifySample(base, label, sampleOptions)).length} bytes of reply XML`);
  console.log(`[${label}] warm-up ${WARMUP_S} s ...`);
  await autocannonRun(base, 10, WARMUP_S);
  console.log(`[${label}] fixed rate ${RATE}/s for ${SECONDS} s ...`);
  const fixed = await pacedRun(base, RATE, SECONDS);
  printRun(fixed);
  if (fixed.rps < RATE * 0.95) {
    console.log(`  NOTE: ${label} cannot keep up with ${RATE}/s; the queue grows during the run, so these latencies measure the backlog`);
  }
  if (QUICK) return { fixed };
  console.log(`[${label}] saturation, ${CONNECTIONS} connections for ${SECONDS} s ...`);
  const saturation = await autocannonRun(base, CONNECTIONS, SECONDS);
  printRun(saturation);
  const memory = memoryOf(pid);
  console.log(`  memory after saturation: RSS ${memory.rssMiB.toFixed(1)} MiB, peak (VmHWM) ${memory.hwmMiB.toFixed(1)} MiB`);
  return { fixed, saturation, memory };
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const pad = (s, n) => String(s).padEnd(n);

function printRun(r) {
  console.log(
    `  ${r.rps.toFixed(0)} req/s over ${r.requests} requests; p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, p99.9 ${ms(r.p999)}, max ${ms(r.max)}; ` +
      `non-2xx ${r.non2xx}, errors ${r.errors}, 2xx without reply ${r.badBody}`,
  );
}

function printMachine() {
  const cpus = os.cpus();
  console.log('Machine');
  console.log(`  CPU      ${cpus[0]?.model ?? 'unknown'} x ${cpus.length} (available parallelism ${os.availableParallelism()})`);
  console.log(`  memory   ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(`  OS       ${os.type()} ${os.release()} ${os.arch()}`);
  console.log(`  Node     ${process.version}`);
  console.log(`  load     ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min, before the run)`);
  console.log('  note     load generator, server and baseline share this machine');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---------------------------------------------------------------------------------------------

/** Starts bench/bare-koa.mjs with `env`, measures it like the gateway, and stops it. */
async function measureBare(label, env) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const bare = startChild([BARE_MAIN], { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', ...env });
  await waitReady(bare, base);
  const result = await measure(label, base, bare.proc.pid, { fixedReply: true });
  await stopChild(bare);
  return result;
}

async function main() {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run npm run build first`);
  printMachine();
  console.log(
    `Settings: fixed rate ${RATE}/s, ${SECONDS} s per run, warm-up ${WARMUP_S} s, saturation ${CONNECTIONS} connections, ` +
      `embedded PGlite, LOG_LEVEL=warn, WECHAT_MAX_SKEW_S default (one signed query per push)`,
  );

  const tmp = mkdtempSync(join(os.tmpdir(), 'gateway-bench-'));
  tempDirs.add(tmp);
  const target = { port: await freePort(), dataDir: join(tmp, 'data'), apiPort: await freePort() };
  const base = `http://127.0.0.1:${target.port}`;

  // First start on an empty folder (creates the database and runs the migrations).
  let server = startGateway(target);
  const firstStartMs = await waitReady(server, base);
  console.log(`\n[gateway] first start on an empty data folder: ready in ${ms(firstStartMs)}`);
  const gw = await measure('gateway', base, server.proc.pid);
  const pushesStored = pushCount;
  if (QUICK) {
    await stopChild(server);
    return;
  }

  const bk = await measureBare('bare koa', {});
  // The second baseline: the bare route that also stores each push with one INSERT into PGlite.
  const bs = await measureBare('bare koa + 1 INSERT', { BARE_STORE_DIR: join(tmp, 'bare-store') });

  // Cold starts on the same, now populated, data folder.
  const coldMs = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const exit = await stopChild(server);
    if (exit.code !== 0) throw new Error(`the gateway did not stop cleanly (${exit.code ?? exit.signal}):\n${server.output()}`);
    server = startGateway(target);
    coldMs.push(await waitReady(server, base));
    console.log(`[gateway] cold start ${i + 1} on the existing folder: ready in ${ms(coldMs.at(-1))}`);
  }
  await verifySample(base, 'gateway after restart');
  const idle = memoryOf(server.proc.pid);
  console.log(`[gateway] after the last restart and one push: RSS ${idle.rssMiB.toFixed(1)} MiB, peak ${idle.hwmMiB.toFixed(1)} MiB`);
  await stopChild(server);

  // Report
  const ratio = gw.saturation.rps / bk.saturation.rps;
  const storeRatio = gw.saturation.rps / bs.saturation.rps;
  console.log(`\nComparison (gateway vs bare Koa, and vs bare Koa storing each push with one PGlite INSERT; same machine)`);
  console.log(`  ${pad('', 24)}${pad('gateway', 12)}${pad('bare koa', 12)}${pad('ratio', 9)}${pad('bare+INSERT', 13)}ratio`);
  const x = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');
  const row = (name, fmt, a, b, c) => console.log(`  ${pad(name, 24)}${pad(fmt(a), 12)}${pad(fmt(b), 12)}${pad(x(a, b), 9)}${pad(fmt(c), 13)}${x(a, c)}`);
  const mib = (v) => `${v.toFixed(0)} MiB`;
  const rps = (v) => `${v.toFixed(0)}/s`;
  row(`fixed ${RATE}/s achieved`, rps, gw.fixed.rps, bk.fixed.rps, bs.fixed.rps);
  row('fixed p50', ms, gw.fixed.p50, bk.fixed.p50, bs.fixed.p50);
  row('fixed p99', ms, gw.fixed.p99, bk.fixed.p99, bs.fixed.p99);
  row('fixed p99.9', ms, gw.fixed.p999, bk.fixed.p999, bs.fixed.p999);
  row('saturation throughput', rps, gw.saturation.rps, bk.saturation.rps, bs.saturation.rps);
  row('saturation p50', ms, gw.saturation.p50, bk.saturation.p50, bs.saturation.p50);
  row('saturation p99', ms, gw.saturation.p99, bk.saturation.p99, bs.saturation.p99);
  row('RSS after saturation', mib, gw.memory.rssMiB, bk.memory.rssMiB, bs.memory.rssMiB);
  row('peak RSS (VmHWM)', mib, gw.memory.hwmMiB, bk.memory.hwmMiB, bs.memory.hwmMiB);

  const failures = [gw, bk, bs].flatMap((m) => [m.fixed, m.saturation]).reduce((n, r) => n + r.non2xx + r.errors + r.badBody, 0);
  const summary = [
    ['throughput >= 0.5x bare route', `${ratio.toFixed(2)}x (${gw.saturation.rps.toFixed(0)} vs ${bk.saturation.rps.toFixed(0)} req/s)`, ratio >= TARGETS.throughputRatio],
    [`p99 <= 20 ms at ${RATE} pushes/s`, `${ms(gw.fixed.p99)} (p50 ${ms(gw.fixed.p50)})`, gw.fixed.p99 <= TARGETS.p99Ms],
    [`p99 <= 25 ms at ${RATE}/s, bot on`, `${ms(gw.fixed.p99)} (p50 ${ms(gw.fixed.p50)})`, gw.fixed.p99 <= TARGETS.botP99Ms],
    [
      'cold start <= 3 s, existing folder',
      `median ${ms(median(coldMs))}, max ${ms(Math.max(...coldMs))} (${COLD_STARTS} starts, ${pushesStored} pushes stored)`,
      Math.max(...coldMs) <= TARGETS.coldStartMs,
    ],
    ['every push answered with a reply', `${failures} failed or empty`, failures === 0],
  ];
  console.log('\nSummary (embedded default)');
  for (const [name, value, pass] of summary) console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${pad(name, 36)}${value}`);
  console.log(`  info  ${pad('throughput vs bare + 1 INSERT', 36)}${storeRatio.toFixed(2)}x (${gw.saturation.rps.toFixed(0)} vs ${bs.saturation.rps.toFixed(0)} req/s)`);
  console.log(`  info  ${pad('first start, empty folder', 36)}${ms(firstStartMs)}`);
  console.log(`  info  ${pad('gateway RSS after saturation', 36)}${gw.memory.rssMiB.toFixed(0)} MiB (peak ${gw.memory.hwmMiB.toFixed(0)} MiB)`);
  console.log(`  info  ${pad('gateway RSS after a restart', 36)}${idle.rssMiB.toFixed(0)} MiB (peak ${idle.hwmMiB.toFixed(0)} MiB)`);
}

main()
  .then(() => {
    cleanupSync();
    process.exit(0);
  })
  .catch((err) => {
    console.error(`\nbenchmark broke: ${err instanceof Error ? err.message : err}`);
    cleanupSync();
    process.exit(1);
  });

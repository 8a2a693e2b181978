/**
 * npm run bench:handoff
 *
 * Human-service latency, on the BUILT server (dist/), 50 concurrent
 * chats served by 5 agents (10 chats each), against the simulator as the WeChat platform:
 *  - push → WebSocket: a customer's push arrives at /wechat; the time until the assigned agent's
 *    console WebSocket delivers the `message` frame;
 *  - send → fake API: an agent POSTs a reply; the time until the simulator's customer-service API
 *    receives it (through the outbox).
 * Two set-ups: embedded (one process, PGlite) and two instances (PostgreSQL + Redis started
 * here; pushes reach instance A, agents are connected to and send through instance B).
 * Each round (about a second), every chat's customer writes once and its agent answers once
 * (the customer's message also renews WeChat's 5-message quota), spread so the 50 chats overlap.
 * It prints numbers and PASS/FAIL against the targets (p99 ≤ 50 ms for both); exits 0 unless
 * the benchmark itself broke. Knobs: BENCH_ROUNDS (10), BENCH_MODES (embedded,two).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { DeskEvent } from '../common/desk-api.js';
import { freePort } from '../test/helpers/ports.js';
import { startPostgres, createDatabase } from '../test/helpers/postgres.js';
import { startRedis } from '../test/helpers/redis.js';
import { startStandaloneSimulator, credentialsEnv, type StandaloneSimulator } from '../test/helpers/simulator.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_MAIN = path.join(ROOT, 'dist', 'server', 'main.js');
const CHATS = 50;
const AGENTS = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const MODES = (process.env.BENCH_MODES ?? 'embedded,two').split(',').map((m) => m.trim());
const TARGET_P99_MS = 50;
const PASSWORD = 'bench-password-1';

interface Server {
  base: string;
  proc: ChildProcess;
  output(): string;
}

const cleanups: Array<() => Promise<void> | void> = [];
async function cleanup(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch {
      /* keep cleaning */
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanup().then(() => process.exit(130)));

function startGateway(env: Record<string, string>): Server {
  let out = '';
  const proc = spawn(process.execPath, [SERVER_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (c) => (out = (out + c).slice(-8000)));
  proc.stderr!.on('data', (c) => (out = (out + c).slice(-8000)));
  cleanups.push(() => stop(proc));
  return { base: `http://127.0.0.1:${env.PORT}`, proc, output: () => out };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

async function waitReady(s: Server): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (s.proc.exitCode !== null) throw new Error(`server exited:\n${s.output()}`);
    try {
      if ((await fetch(`${s.base}/readyz`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready in 60 s:\n${s.output()}`);
}

function addAgents(storageEnv: Record<string, string>): void {
  for (let i = 1; i <= AGENTS; i++) {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/staff-add.ts', '--username', `agent${i}`, '--password', PASSWORD, '--role', 'agent', '--name', `坐席${i}`, '--max', String(CHATS / AGENTS)],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...storageEnv }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`staff:add failed: ${r.stderr || r.stdout}`);
  }
}

interface Agent {
  username: string;
  cookie: string;
  ws: WebSocket;
  /** Resolvers waiting for a message frame, by content. */
  waiting: Map<string, (at: number, conversationId: number) => void>;
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('login returned no cookie');
  return cookie;
}

async function api<T>(base: string, cookie: string, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${route}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function connectAgent(base: string, username: string): Promise<Agent> {
  const cookie = await login(base, username);
  await api(base, cookie, 'PUT', '/api/desk/me/status', { status: 'online' });
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/desk/ws`, { headers: { cookie } });
  const agent: Agent = { username, cookie, ws, waiting: new Map() };
  ws.on('message', (data) => {
    const at = performance.now();
    const frame = JSON.parse(String(data)) as DeskEvent;
    if (frame.type === 'message' && frame.message.direction === 'in') agent.waiting.get(frame.message.content)?.(at, frame.message.conversationId);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  cleanups.push(() => ws.close());
  return agent;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

interface Result {
  mode: string;
  pushToWs: number[];
  sendToApi: number[];
}

async function run(mode: 'embedded' | 'two'): Promise<Result> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'handoff-bench-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const portA = await freePort();
  const sim: StandaloneSimulator = await startStandaloneSimulator(`http://127.0.0.1:${portA}/wechat`);
  cleanups.push(() => sim.stop());

  let storage: Record<string, string>;
  if (mode === 'embedded') {
    storage = { DATA_DIR: path.join(tmp, 'data') };
  } else {
    const pg = await startPostgres();
    cleanups.push(() => pg.stop());
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    storage = { DATABASE_URL: await createDatabase(pg.url), REDIS_URL: redis.url };
  }
  // The first start creates the schema (and the NLU cache); agents are added after it, as an
  // operator would, then the server(s) start again.
  const cache = path.join(tmp, 'cache');
  const env = { ...storage, ...credentialsEnv(sim), CACHE_DIR: cache };
  const first = startGateway({ ...env, PORT: String(portA) });
  await waitReady(first);
  await stop(first.proc);
  addAgents(storage);

  const a = startGateway({ ...env, PORT: String(portA) });
  await waitReady(a);
  let b = a;
  if (mode === 'two') {
    b = startGateway({ ...env, PORT: String(await freePort()) });
    await waitReady(b);
  }
  const agents: Agent[] = [];
  for (let i = 1; i <= AGENTS; i++) agents.push(await connectAgent(b.base, `agent${i}`));

  // 50 customers ask for a human; automatic assignment spreads them over the 5 agents.
  const openids = Array.from({ length: CHATS }, (_, i) => sim.platform.addUser({ nickname: `客户${i}` }).openid);
  await Promise.all(openids.map((o) => sim.driver.send(sim.driver.build.text(o, '#人工'))));
  const deadline = Date.now() + 30_000;
  for (;;) {
    let mine = 0;
    for (const agent of agents) mine += (await api<{ total: number }>(b.base, agent.cookie, 'GET', '/api/desk/conversations?mine=1')).total;
    if (mine >= CHATS) break;
    if (Date.now() > deadline) throw new Error(`only ${mine} of ${CHATS} chats were assigned in 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const pushToWs: number[] = [];
  const sendToApi: number[] = [];
  // The simulator's customer-service API: when each agent text arrives.
  const apiArrivals = new Map<string, (at: number) => void>();
  const off = sim.platform.onEvent((event) => {
    if (event.type === 'timeline' && event.entry.via === 'custom') apiArrivals.get(event.entry.text)?.(performance.now());
  });
  cleanups.push(() => void off());

  for (let round = 0; round < ROUNDS + 1; round++) {
    const warm = round === 0;
    // Spread the 50 customers over one second: every chat exchanges a message each way per
    // second (50 customer and 50 agent messages a second, far busier than people type).
    await Promise.all(
      openids.map(async (openid, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / CHATS));
        const text = `问题 r${round} c${i} ${Math.random().toString(36).slice(2, 8)}`;
        const arrived = new Promise<{ at: number; agent: Agent; conversationId: number }>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no WebSocket frame for "${text}" in 10 s`)), 10_000);
          for (const agent of agents) {
            agent.waiting.set(text, (at, conversationId) => {
              clearTimeout(timer);
              for (const ag of agents) ag.waiting.delete(text);
              resolve({ at, agent, conversationId });
            });
          }
        });
        const t0 = performance.now();
        await sim.driver.send(sim.driver.build.text(openid, text));
        const { at, agent, conversationId } = await arrived;
        if (!warm) pushToWs.push(at - t0);
        // The agent who got it answers.
        const reply = `回复 r${round} c${i} ${Math.random().toString(36).slice(2, 8)}`;
        const received = new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the fake API did not receive "${reply}" in 10 s`)), 10_000);
          apiArrivals.set(reply, (at2) => {
            clearTimeout(timer);
            apiArrivals.delete(reply);
            resolve(at2);
          });
        });
        const t1 = performance.now();
        await api(b.base, agent.cookie, 'POST', `/api/desk/conversations/${conversationId}/messages`, { text: reply });
        const at2 = await received;
        if (!warm) sendToApi.push(at2 - t1);
      }),
    );
  }
  await cleanup();
  return { mode, pushToWs, sendToApi };
}

function report(r: Result): Array<[string, number, number, boolean]> {
  const rows: Array<[string, number, number, boolean]> = [];
  for (const [name, xs] of [
    ['push → agent WebSocket', r.pushToWs],
    ['agent send → fake API', r.sendToApi],
  ] as const) {
    const s = [...xs].sort((x, y) => x - y);
    const p50 = quantile(s, 0.5);
    const p99 = quantile(s, 0.99);
    console.log(`  ${r.mode.padEnd(9)} ${name.padEnd(24)} n=${s.length}  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${s.at(-1)?.toFixed(1)} ms`);
    rows.push([`${r.mode}: ${name}`, p50, p99, p99 <= TARGET_P99_MS]);
  }
  return rows;
}

async function main(): Promise<void> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run npm run build first`);
  const cpus = os.cpus();
  console.log('Machine');
  console.log(`  CPU      ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`);
  console.log(`  memory   ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  note     load generator, simulator, server(s), PostgreSQL and Redis share this machine`);
  console.log(`Settings: ${CHATS} concurrent chats, ${AGENTS} agents, ${ROUNDS} measured rounds (+1 warm-up), each round one customer message and one agent reply per chat`);
  const rows: Array<[string, number, number, boolean]> = [];
  for (const mode of MODES) {
    if (mode !== 'embedded' && mode !== 'two') throw new Error(`unknown mode ${mode}`);
    console.log(`\n[${mode === 'embedded' ? 'embedded (PGlite, one process)' : 'two instances (PostgreSQL + Redis; pushes to A, agents on B)'}]`);
    rows.push(...report(await run(mode)));
  }
  console.log('\nSummary');
  for (const [name, , p99, pass] of rows) console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${name.padEnd(40)} p99 ${p99.toFixed(1)} ms (target ≤ ${TARGET_P99_MS} ms)`);
}

main()
  .catch(async (err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());

/**
 * npm run bench:bot [-- --learn]
 *
 * Offline evaluation of the FAQ retriever on every task in
 * ../shared/eval/faq/*.json: our retriever and the plain character unigram+bigram BM25
 * baseline, in the same run. It is a report: it exits 0 unless it broke.
 *
 * --learn  recomputes the weights in server/bot/retrieval/model.ts from the train pairs
 *          (ATEC train, AFQMC train), prints them, and evaluates them as a third column.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { IndexDoc } from '../server/bot/types.js';
import { THRESHOLDS, bm25Baseline, buildRetriever, type RetrievalModel } from '../server/bot/retrieval/index.js';
import { learnModel, tasksFromPairs, type Pair, type Task } from '../server/bot/retrieval/learn.js';
import { auroc, firstRelevantRank, hitRateAt, mrrAt, quantile } from '../server/bot/retrieval/metrics.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const evalDir = path.resolve(repo, '../shared/eval');
const faqDir = path.join(evalDir, 'faq');
const CUSTOMER_SERVICE = /^(bq-|atec-ccks-test|afqmc-dev)/;
const TARGET = { top1Gain: 3, auroc: 0.93, p99Ms: 2, buildMs: 500 };

interface Row {
  top1: number;
  top3: number;
  mrr5: number;
  auroc: number | null;
  buildMs: number;
  p50: number;
  p99: number;
  /** Band outcomes of our retriever (null for the baseline, which has no bands). */
  bands: { answeredRight: number; answeredWrong: number; suggestTop3: number; oosAnswered: number; oosNone: number } | null;
}

interface System {
  build(kb: IndexDoc[]): { rank(q: string): { ids: string[]; confidence: number; band?: string } };
}

function main(): void {
  if (!existsSync(faqDir)) {
    console.log(`bench:bot — no evaluation data at ${faqDir}: nothing to measure (the research-only data lives outside the repo, in ../shared/eval).`);
    return;
  }
  const tasks = readdirSync(faqDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readTask(path.join(faqDir, f)));

  const systems: [string, System][] = [
    ['baseline', baselineSystem()],
    ['ours', oursSystem()],
  ];
  if (process.argv.includes('--learn')) {
    const model = learn(tasks);
    systems.push(['learned', oursSystem(model)]);
  }

  const results = new Map<string, Map<string, Row>>();
  for (const task of tasks) {
    const perSystem = new Map<string, Row>();
    for (const [name, system] of systems) perSystem.set(name, evaluate(task, system));
    results.set(task.name, perSystem);
  }
  printMetrics(tasks, systems.map(([n]) => n), results);
  printBands(tasks, systems.map(([n]) => n).filter((n) => n !== 'baseline'), results);
  printTargets(tasks, systems.map(([n]) => n).filter((n) => n !== 'baseline'), results);
  printMachine();
}

function readTask(file: string): Task {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    kb: { id: number | string; question: string }[];
    queries: { q: string; relevant: (number | string)[] }[];
    oos?: string[];
  };
  return {
    name: raw.name,
    kb: raw.kb.map((e) => ({ entryId: String(e.id), text: e.question })),
    queries: raw.queries.map((q) => ({ q: q.q, relevant: q.relevant.map(String) })),
    oos: raw.oos ?? [],
  };
}

function baselineSystem(): System {
  return {
    build(kb) {
      const r = bm25Baseline(kb);
      return {
        rank(q) {
          const hits = r.rank(q, 5);
          // The baseline's confidence is its raw top score.
          return { ids: hits.map((h) => h.entryId), confidence: hits[0]?.score ?? 0 };
        },
      };
    },
  };
}

function oursSystem(model?: RetrievalModel): System {
  return {
    build(kb) {
      const r = buildRetriever(kb, model ? { model } : {});
      return {
        rank(q) {
          const { hits, confidence, band } = r.rank(q, 5);
          return { ids: hits.map((h) => h.entryId), confidence, band };
        },
      };
    },
  };
}

function evaluate(task: Task, system: System): Row {
  // Build time: the best of three builds after a warm-up, so JIT start-up is not counted.
  system.build(task.kb);
  let buildMs = Infinity;
  let index!: ReturnType<System['build']>;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    index = system.build(task.kb);
    buildMs = Math.min(buildMs, performance.now() - t0);
  }
  for (const { q } of task.queries.slice(0, 200)) index.rank(q); // warm-up

  const latencies: number[] = [];
  const timed = (q: string) => {
    const t0 = performance.now();
    const r = index.rank(q);
    latencies.push(performance.now() - t0);
    return r;
  };
  const ranks: number[] = [];
  const inConf: number[] = [];
  const bands = { answeredRight: 0, answeredWrong: 0, suggestTop3: 0, oosAnswered: 0, oosNone: 0 };
  for (const { q, relevant } of task.queries) {
    const r = timed(q);
    const rank = firstRelevantRank(r.ids, new Set(relevant));
    ranks.push(rank);
    inConf.push(r.confidence);
    if (r.band === 'answer') bands[rank === 1 ? 'answeredRight' : 'answeredWrong']++;
    if (r.band === 'suggest' && rank >= 1 && rank <= 3) bands.suggestTop3++;
  }
  const oosConf: number[] = [];
  for (const q of task.oos) {
    const r = timed(q);
    oosConf.push(r.confidence);
    if (r.band === 'answer') bands.oosAnswered++;
    if (r.band === 'none') bands.oosNone++;
  }
  const hasBands = index.rank('').band !== undefined;
  return {
    top1: hitRateAt(ranks, 1),
    top3: hitRateAt(ranks, 3),
    mrr5: mrrAt(ranks, 5),
    auroc: task.oos.length > 0 ? auroc(inConf, oosConf) : null,
    buildMs,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    bands: hasBands ? bands : null,
  };
}

function learn(evalTasks: Task[]): RetrievalModel {
  const pairsDir = path.join(evalDir, 'pairs');
  // Never learn from a sentence that is in an evaluation task.
  const exclude = new Set(evalTasks.flatMap((t) => [...t.kb.map((d) => d.text), ...t.queries.map((q) => q.q), ...t.oos]));
  const atec = readPairs(path.join(pairsDir, 'ATEC_atec_nlp_sim_train.csv'), 1);
  const afqmc = readPairs(path.join(pairsDir, 'AFQMC_train.txt'), 0);
  const train = [...tasksFromPairs('atec-train', atec, 2000, 4, exclude), ...tasksFromPairs('afqmc-train', afqmc, 2000, 4, exclude)];
  const t0 = performance.now();
  const model = learnModel(train);
  console.log(
    `learned from ${train.length} train tasks (${train.reduce((s, t) => s + t.queries.length, 0)} queries) in ${Math.round(performance.now() - t0)} ms:`,
  );
  console.log(JSON.stringify(model));
  return model;
}

/** Tab-separated `[id\t]s1\ts2\tlabel` lines; BOM, CRLF and a header line tolerated. */
function readPairs(file: string, skipColumns: number): Pair[] {
  return readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.split('\t').slice(skipColumns))
    .filter((c) => c.length >= 3 && (c[2] === '0' || c[2] === '1'))
    .map((c) => ({ a: c[0]!.trim(), b: c[1]!.trim(), same: c[2] === '1' }));
}

const pct = (v: number) => (100 * v).toFixed(1);
const ms = (v: number) => v.toFixed(3);

function printMetrics(tasks: Task[], names: string[], results: Map<string, Map<string, Row>>): void {
  const rows: string[][] = [['task', 'retriever', 'top-1', 'top-3', 'MRR@5', 'OOS AUROC', 'build ms', 'p50 ms', 'p99 ms']];
  for (const t of tasks) {
    for (const n of names) {
      const r = results.get(t.name)!.get(n)!;
      rows.push([t.name, n, pct(r.top1), pct(r.top3), r.mrr5.toFixed(3), r.auroc === null ? 'n/a' : r.auroc.toFixed(3), r.buildMs.toFixed(1), ms(r.p50), ms(r.p99)]);
    }
  }
  console.log(`\nFAQ retrieval (${evalDir}; kb sizes ${tasks.map((t) => t.kb.length).join('/')})`);
  printTable(rows);
}

function printBands(tasks: Task[], names: string[], results: Map<string, Map<string, Row>>): void {
  const rows: string[][] = [['task', 'retriever', 'answer right', 'answer wrong', 'suggest top-3', 'in-scope served', 'OOS answered', 'OOS none']];
  for (const t of tasks) {
    for (const n of names) {
      const b = results.get(t.name)!.get(n)!.bands;
      if (!b) continue;
      const q = t.queries.length;
      const o = t.oos.length;
      rows.push([
        t.name,
        n,
        pct(b.answeredRight / q),
        pct(b.answeredWrong / q),
        pct(b.suggestTop3 / q),
        pct((b.answeredRight + b.suggestTop3) / q),
        o ? pct(b.oosAnswered / o) : 'n/a',
        o ? pct(b.oosNone / o) : 'n/a',
      ]);
    }
  }
  console.log(`\nBands at THRESHOLDS answer ≥ ${THRESHOLDS.answer}, suggest ≥ ${THRESHOLDS.suggest} (% of queries / of OOS)`);
  printTable(rows);
}

function printTargets(tasks: Task[], names: string[], results: Map<string, Map<string, Row>>): void {
  const rows: string[][] = [['task', 'retriever', `top-1 ≥ base+${TARGET.top1Gain}`, `AUROC ≥ ${TARGET.auroc}`, `p99 ≤ ${TARGET.p99Ms} ms`, `build ≤ ${TARGET.buildMs} ms`]];
  const mark = (ok: boolean | null, detail: string) => (ok === null ? 'n/a' : `${ok ? 'PASS' : 'FAIL'} ${detail}`);
  for (const t of tasks) {
    const base = results.get(t.name)!.get('baseline')!;
    const cs = CUSTOMER_SERVICE.test(t.name);
    for (const n of names) {
      const r = results.get(t.name)!.get(n)!;
      const gain = 100 * (r.top1 - base.top1);
      rows.push([
        t.name,
        n,
        cs ? mark(gain >= TARGET.top1Gain, `(${gain >= 0 ? '+' : ''}${gain.toFixed(1)})`) : `n/a (${gain >= 0 ? '+' : ''}${gain.toFixed(1)})`,
        mark(r.auroc === null ? null : r.auroc >= TARGET.auroc, r.auroc?.toFixed(3) ?? ''),
        mark(r.p99 <= TARGET.p99Ms, ms(r.p99)),
        mark(r.buildMs <= TARGET.buildMs, r.buildMs.toFixed(1)),
      ]);
    }
  }
  console.log('\nTargets');
  printTable(rows);
}

function printMachine(): void {
  const cpus = os.cpus();
  console.log(
    `\nMachine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`,
  );
}

function printTable(rows: string[][]): void {
  const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  for (const r of rows) console.log(r.map((cell, c) => cell + ' '.repeat(widths[c]! - width(cell))).join('  '));
}

main();

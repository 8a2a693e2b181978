import type { IndexDoc } from '../types.js';
import { N_FEATURES } from './features.js';
import type { RetrievalModel } from './model.js';
import { buildScorer, confidenceFeatures, domainShare, linear, sigmoid } from './retriever.js';

/**
 * Learning the retriever's weights from question pairs, the stand-in for pairs a deployment
 * collects from its own traffic (../shared/eval/README.md). Pure: the bench reads the files.
 */



export interface Pair {
  a: string;
  b: string;
  same: boolean;
}

/** An FAQ retrieval task: the knowledge base, and queries with every relevant entry. */
export interface Task {
  name: string;
  kb: IndexDoc[];
  queries: { q: string; relevant: string[] }[];
  oos: string[];
}

/**
 * FAQ tasks built like the evaluation ones: a knowledge base of `kbSize` distinct first
 * sentences, queries are second sentences of positive pairs (never equal to a kb question),
 * and a query's relevant entries are every kb question in its paraphrase cluster.
 * Pairs touching `exclude` (the evaluation sentences) are dropped first.
 */
export function tasksFromPairs(name: string, all: readonly Pair[], kbSize: number, maxTasks: number, exclude: ReadonlySet<string>): Task[] {
  const pairs = all.filter((p) => !exclude.has(p.a) && !exclude.has(p.b) && p.a !== p.b);
  const cluster = clusters(pairs);
  const tasks: Task[] = [];
  let start = 0;
  while (tasks.length < maxTasks && start < pairs.length) {
    const kbIds = new Map<string, string>();
    let end = start;
    for (; end < pairs.length && kbIds.size < kbSize; end++) {
      if (!kbIds.has(pairs[end]!.a)) kbIds.set(pairs[end]!.a, String(kbIds.size));
    }
    const byCluster = new Map<string, string[]>();
    for (const [text, id] of kbIds) {
      const c = cluster(text);
      byCluster.set(c, [...(byCluster.get(c) ?? []), id]);
    }
    const queries = new Map<string, string[]>();
    for (let i = start; i < end; i++) {
      const p = pairs[i]!;
      if (!p.same || kbIds.has(p.b) || queries.has(p.b)) continue;
      queries.set(p.b, byCluster.get(cluster(p.b)) ?? []);
    }
    tasks.push({
      name: `${name}#${tasks.length + 1}`,
      kb: [...kbIds].map(([text, id]) => ({ entryId: id, text })),
      queries: [...queries].filter(([, r]) => r.length > 0).map(([q, relevant]) => ({ q, relevant })),
      oos: [],
    });
    start = end;
  }
  return tasks;
}

/** Learns the re-ranker (pairwise) and then the confidence model (top-1 right or not). */
export function learnModel(tasks: readonly Task[], ridge = 1): RetrievalModel {
  const groups: { pos: number[][]; neg: number[][] }[] = [];
  for (const task of tasks) {
    const scorer = buildScorer(task.kb);
    for (const { q, relevant } of task.queries) {
      const rel = new Set(relevant);
      const { cands, feats } = scorer.candidates(q);
      const rows = cands.map((doc, slot) => ({ pos: rel.has(task.kb[doc]!.entryId), f: Array.from(feats.subarray(slot * N_FEATURES, (slot + 1) * N_FEATURES)) }));
      const pos = rows.filter((r) => r.pos).map((r) => r.f);
      const neg = rows.filter((r) => !r.pos).map((r) => r.f);
      if (pos.length > 0 && neg.length > 0) groups.push({ pos, neg });
    }
  }
  // Pairwise logistic: P(pos above neg) = sigmoid(w · (f_pos − f_neg)); the bias cancels.
  // (Re-weighting the pairs LambdaRank-style was tried and changed top-1 by < 0.5 point.)
  const pairs: number[][] = [];
  const sides: number[] = [];
  for (const { pos, neg } of groups) {
    for (const p of pos) {
      for (const n of neg) {
        const d = p.map((v, i) => v - n[i]!);
        pairs.push(d, d.map((v) => -v));
        sides.push(1, 0);
      }
    }
  }
  const w = fitLogistic(pairs, sides, ridge, false);
  const rerank = [...w, 0];

  // Confidence: P(the best entry is right). Each query is seen twice: against the whole
  // knowledge base (right or wrong at top-1), and with its relevant entries taken out, where
  // nothing can be right: the in-domain stand-in for a question the base cannot answer.
  const xs: number[][] = [];
  const ys: number[] = [];
  const shares: number[] = [];
  for (const task of tasks) {
    const scorer = buildScorer(task.kb);
    for (const { q, relevant } of task.queries) {
      const found = scorer.candidates(q);
      shares.push(domainShare(found));
      for (const withheld of [false, true]) {
        const best = new Map<string, { score: number; slot: number }>();
        found.cands.forEach((doc, slot) => {
          const e = task.kb[doc]!.entryId;
          if (withheld && relevant.includes(e)) return;
          const score = linear(rerank, found.feats, slot * N_FEATURES, N_FEATURES);
          if (!best.has(e) || score > best.get(e)!.score) best.set(e, { score, slot });
        });
        const ordered = [...best].sort((a, b) => b[1].score - a[1].score);
        if (ordered.length === 0) continue;
        const [entry, top] = ordered[0]!;
        xs.push(Array.from(confidenceFeatures(top.score, ordered[1]?.[1].score, found.feats, top.slot * N_FEATURES, found)));
        ys.push(relevant.includes(entry) ? 1 : 0);
      }
    }
  }
  const confidence = fitLogistic(xs, ys, ridge, true);
  return { rerank: rerank.map(round), confidence: confidence.map(round), gate: learnGate(shares).map(round) };
}

/**
 * The domain gate from the in-domain queries alone (the train files have no out-of-domain
 * questions): centred on the 5th percentile of their domainShare(), and steep enough that the
 * median in-domain query passes at 0.95.
 */
export function learnGate(shares: readonly number[]): number[] {
  const sorted = [...shares].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;
  const centre = at(0.05);
  const slope = Math.log(19) / Math.max(0.02, at(0.5) - centre);
  return [centre, slope];
}

/**
 * L2-regularised logistic regression by Newton's method. Returns the weights, then the bias
 * when `bias` (the bias is not regularised).
 */
export function fitLogistic(xs: readonly number[][], ys: readonly number[], ridge: number, bias: boolean, weights?: readonly number[]): number[] {
  const d = (xs[0]?.length ?? 0) + (bias ? 1 : 0);
  const rows = bias ? xs.map((x) => [...x, 1]) : xs;
  let w = new Array<number>(d).fill(0);
  for (let iter = 0; iter < 30; iter++) {
    const grad = w.map((v, i) => (bias && i === d - 1 ? 0 : ridge * v));
    const hess = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j && !(bias && i === d - 1) ? ridge : 0)));
    rows.forEach((x, r) => {
      const p = sigmoid(x.reduce((s, v, i) => s + v * w[i]!, 0));
      const wt = weights?.[r] ?? 1;
      const g = (p - ys[r]!) * wt;
      const h = p * (1 - p) * wt;
      for (let i = 0; i < d; i++) {
        grad[i]! += g * x[i]!;
        for (let j = 0; j <= i; j++) hess[i]![j]! += h * x[i]! * x[j]!;
      }
    });
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) hess[i]![j] = hess[j]![i]!;
    const step = solve(hess, grad);
    w = w.map((v, i) => v - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  return w;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and SPD). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1e-12));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Paraphrase clusters of the positive pairs (union–find): text → cluster representative. */
function clusters(pairs: readonly Pair[]): (text: string) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur) ?? root;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  for (const p of pairs) {
    if (!p.same) continue;
    const ra = find(p.a);
    const rb = find(p.b);
    if (ra !== rb) parent.set(ra, rb);
  }
  return find;
}

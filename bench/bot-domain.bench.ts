/**
 * The bot's decisions on our own domain set (test/bot-domain/*.json) against the shipped seed,
 * through the same retriever the bot uses: how often a question gets the right direct answer,
 * a confident wrong one, a list that holds the right entry, or nothing; and what out-of-scope
 * questions get. Run: npx tsx bench/bot-domain.bench.ts [--misses]
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { buildRetriever } from '../server/bot/retrieval/index.js';
import type { DomainCase, FaqSeedEntry, SynonymTable } from '../server/bot/types.js';
import { fromRoot } from '../server/platform/paths.js';

const seedDir = fromRoot('server', 'bot', 'seed');
const entries: FaqSeedEntry[] = readdirSync(seedDir)
  .filter((f) => /^faq-.*\.json$/.test(f))
  .flatMap((f) => JSON.parse(readFileSync(`${seedDir}/${f}`, 'utf8')) as FaqSeedEntry[]);
const synonyms = JSON.parse(readFileSync(`${seedDir}/synonyms.json`, 'utf8')) as SynonymTable;
const domainDir = fromRoot('test', 'bot-domain');
const files = readdirSync(domainDir).filter((f) => f.endsWith('.json'));
const load = (f: string) => JSON.parse(readFileSync(`${domainDir}/${f}`, 'utf8')) as DomainCase[];
const inScope = files.filter((f) => !f.startsWith('oos')).flatMap(load);
const outOfScope = files.filter((f) => f.startsWith('oos')).flatMap(load);

const t0 = performance.now();
const retriever = buildRetriever(
  entries.flatMap((e) => [e.question, ...e.similar].map((text) => ({ entryId: e.id, text }))),
  { synonyms },
);
const buildMs = performance.now() - t0;
const question = new Map(entries.map((e) => [e.id, e.question]));

const counts = { right: 0, wrong: 0, listed: 0, listWithout: 0, none: 0 };
const misses: string[] = [];
const times: number[] = [];
for (const c of inScope) {
  const s = performance.now();
  const r = retriever.rank(c.question, 5);
  times.push(performance.now() - s);
  const top = r.hits[0]?.entryId;
  if (r.band === 'answer' && top === c.expectedId) counts.right++;
  else if (r.band === 'answer') {
    counts.wrong++;
    misses.push(`WRONG  ${c.question} → ${question.get(top!)} (want ${question.get(c.expectedId!)})`);
  } else if (r.band === 'suggest' && r.hits.slice(0, 3).some((h) => h.entryId === c.expectedId)) counts.listed++;
  else if (r.band === 'suggest') {
    counts.listWithout++;
    misses.push(`LIST   ${c.question} → ${r.hits.slice(0, 3).map((h) => question.get(h.entryId)).join(' | ')} (want ${question.get(c.expectedId!)})`);
  } else {
    counts.none++;
    misses.push(`NONE   ${c.question} (want ${question.get(c.expectedId!)})`);
  }
}
const oos = { answer: 0, suggest: 0, none: 0 };
for (const c of outOfScope) {
  const r = retriever.rank(c.question, 5);
  oos[r.band]++;
  if (r.band !== 'none') misses.push(`OOS-${r.band.toUpperCase()} ${c.question} → ${r.hits.slice(0, 3).map((h) => question.get(h.entryId)).join(' | ')}`);
}
let exactMiss = 0;
for (const e of entries) for (const q of [e.question, ...e.similar]) {
  const r = retriever.rank(q, 1);
  if (!(r.band === 'answer' && r.hits[0]?.entryId === e.id)) exactMiss++;
}
times.sort((a, b) => a - b);
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
console.log(`Machine: ${os.cpus()[0]?.model} x ${os.cpus().length}, Node ${process.version}`);
console.log(`Seed: ${entries.length} entries, ${retriever.size} questions; index build ${buildMs.toFixed(0)} ms; query p50 ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(2)} ms`);
console.log(`In scope (${inScope.length}): right direct ${pct(counts.right, inScope.length)}, confident wrong ${pct(counts.wrong, inScope.length)}, list with the right entry ${pct(counts.listed, inScope.length)}, list without it ${pct(counts.listWithout, inScope.length)}, nothing ${pct(counts.none, inScope.length)}`);
console.log(`Out of scope (${outOfScope.length}): answered ${pct(oos.answer, outOfScope.length)}, listed ${pct(oos.suggest, outOfScope.length)}, cannot-answer ${pct(oos.none, outOfScope.length)}`);
console.log(`Seed questions typed exactly, not answered directly with their own entry: ${exactMiss}`);
if (process.argv.includes('--misses')) console.log(misses.join('\n'));

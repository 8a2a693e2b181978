/**
 * Chooses the answer gate's maxUncovered (server/bot/retrieval/answer-gate.ts). Each candidate
 * value is scored on the DEV part of the domain set
 * (test/bot-domain/{platform,finance,ops}.json, the cases written before the gate existed): the
 * value with the most right direct answers while at most MAX_WRONG of the questions get a wrong
 * one. The
 * other domain files stay held out for bench/bot-domain.bench.ts and the domain test. For
 * comparison it also prints the same sweep on the seed itself, each similar question asked with
 * that question left out of the index (a harder, differently written set: see docs/retrieval.md).
 * Run: npx tsx bench/answer-gate.learn.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { ANSWER_GATE, objection } from '../server/bot/retrieval/answer-gate.js';
import { THRESHOLDS, buildRetriever } from '../server/bot/retrieval/index.js';
import type { DomainCase, FaqSeedEntry, IndexDoc, SynonymTable } from '../server/bot/types.js';
import { fromRoot } from '../server/platform/paths.js';

/** At most this share of all questions may get a wrong direct answer (the issue's budget). */
const MAX_WRONG = 0.02;
/** Reported as a second view: a wrong direct answer costs this many right ones (a list counts zero). */
const WRONG_COST = 4;

const seedDir = fromRoot('server', 'bot', 'seed');
const entries: FaqSeedEntry[] = readdirSync(seedDir)
  .filter((f) => /^faq-.*\.json$/.test(f))
  .flatMap((f) => JSON.parse(readFileSync(`${seedDir}/${f}`, 'utf8')) as FaqSeedEntry[]);
const synonyms = JSON.parse(readFileSync(`${seedDir}/synonyms.json`, 'utf8')) as SynonymTable;
const docs: IndexDoc[] = entries.flatMap((e) => [e.question, ...e.similar].map((text) => ({ entryId: e.id, text })));
const retriever = buildRetriever(docs, { synonyms });

const SURE = ANSWER_GATE.sureConfidence;
const samples: Array<{ right: boolean; confident: boolean; conf: number; signals: NonNullable<ReturnType<typeof retriever.gateSample>>['signals'] }> = [];
docs.forEach((d, i) => {
  // The standard question stays in the index; the similar questions play the customers.
  if (i === 0 || docs[i - 1]!.entryId !== d.entryId) return;
  const s = retriever.gateSample(d.text, i);
  if (s) samples.push({ right: s.topEntry === d.entryId, confident: s.confidence >= THRESHOLDS.answer, conf: s.confidence, signals: s.signals });
});

const domainDir = fromRoot('test', 'bot-domain');
const dev = (['platform', 'finance', 'ops'] as const).flatMap((f) => JSON.parse(readFileSync(`${domainDir}/${f}.json`, 'utf8')) as DomainCase[]);
const devSamples = dev.map((c) => {
  const s = retriever.gateSample(c.question, -1)!;
  return { right: s.topEntry === c.expectedId, confident: s.confidence >= THRESHOLDS.answer, conf: s.confidence, signals: s.signals };
});

console.log(`Machine: ${os.cpus()[0]?.model} x ${os.cpus().length}, Node ${process.version}`);
const VALUES = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 1.01];
function sweep(label: string, set: typeof samples): number {
  console.log(`\n${label}: ${set.length} queries; top-1 right ${((100 * set.filter((s) => s.right).length) / set.length).toFixed(1)}%`);
  console.log('maxUncovered  direct  right  wrong  wrong share  utility');
  let best = { value: VALUES[0]!, right: -1 };
  for (const value of VALUES) {
    const direct = set.filter((s) => s.confident && !objection(s.signals, s.conf, { maxUncovered: value, sureConfidence: SURE }));
    const right = direct.filter((s) => s.right).length;
    const wrong = direct.length - right;
    const utility = right - WRONG_COST * wrong;
    if (wrong <= MAX_WRONG * set.length && right > best.right) best = { value, right };
    const pct = (n: number) => `${((100 * n) / set.length).toFixed(1)}%`.padStart(6);
    console.log(`${String(value).padEnd(12)}  ${pct(direct.length)} ${pct(right)} ${pct(wrong)}  ${`${((100 * wrong) / Math.max(1, direct.length)).toFixed(1)}%`.padStart(10)}  ${utility}`);
  }
  return best.value;
}
const chosen = sweep('Dev domain cases (platform, finance, ops)', devSamples);
sweep('Seed similar questions, each left out of the index (for comparison only)', samples);
console.log(`\nChosen on the dev cases: maxUncovered = ${chosen}`);

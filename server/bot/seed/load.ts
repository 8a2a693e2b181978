import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Bus } from '../../platform/bus.js';
import { distinctSimilar } from '../../kb/kb.service.js';
import { normalizeQuestion } from '../../kb/normalize.js';
import { questionOwners } from '../../kb/question-owner.js';
import { inOrder, INSERT_CHUNK } from '../../kb/entries.repo.js';
import { chitchatEntries, faqEntries, faqQuestions, synonyms } from '../../kb/schema.js';
import type { ChitchatSeedEntry, FaqSeedEntry, SynonymTable } from '../types.js';

/**
 * Loads the shipped knowledge (faq-*.json, chitchat.json, synonyms.json in seedDir) at start.
 * Idempotent by the seed ids: an entry whose slug is already stored is left alone, so a later
 * start adds only new seed entries and never touches what staff edited (or deleted: deleting is
 * soft and keeps the slug). Synonyms are keyed by their term. Inserts are multi-row and
 * ON CONFLICT DO NOTHING, so two instances seeding at once add each entry once.
 */
export interface SeedResult {
  entriesAdded: number;
  questionsAdded: number;
  chitchatAdded: number;
  synonymsAdded: number;
  ms: number;
}

/** With `bus`, emits 'knowledge.changed' when anything was added (another instance may already be serving). */
export async function seedKnowledge(db: Db, opts: { seedDir: string; bus?: Bus }): Promise<SeedResult> {
  const t0 = performance.now();
  const seed = await readSeed(opts.seedDir);
  const result = await db.transaction(async (tx) => {
    const [entrySlugs, chitchatSlugs, terms] = await inOrder([
      tx.select({ slug: faqEntries.slug }).from(faqEntries).where(isNotNull(faqEntries.slug)),
      tx.select({ slug: chitchatEntries.slug }).from(chitchatEntries).where(isNotNull(chitchatEntries.slug)),
      tx.select({ term: synonyms.term }).from(synonyms),
    ]);
    const haveEntry = new Set(entrySlugs.map((r) => r.slug));
    const haveChitchat = new Set(chitchatSlugs.map((r) => r.slug));
    const haveTerm = new Set(terms.map((r) => r.term));

    let entriesAdded = 0;
    let questionsAdded = 0;
    // One question text, one entry: a shipped question that staff already gave to an entry of
    // their own stays theirs (an entry whose standard question is taken is not added at all).
    const owners = await questionOwners(tx);
    const free = (text: string) => !owners.has(normalizeQuestion(text));
    const newFaq = seed.faq
      .filter((e) => !haveEntry.has(e.id) && free(e.question))
      .map((e) => ({ ...e, similar: (e.similar ?? []).filter(free) }));
    for (let i = 0; i < newFaq.length; i += INSERT_CHUNK) {
      const chunk = newFaq.slice(i, i + INSERT_CHUNK);
      const inserted = await tx
        .insert(faqEntries)
        .values(
          chunk.map((e) => ({
            slug: e.id,
            question: e.question.trim(),
            answer: e.answer,
            link: e.link ?? null,
            product: e.product ?? '',
            module: e.module ?? '',
            version: e.version ?? '',
            status: 'published',
          })),
        )
        .onConflictDoNothing({ target: faqEntries.slug })
        .returning({ id: faqEntries.id, slug: faqEntries.slug });
      const bySlug = new Map(chunk.map((e) => [e.id, e]));
      const questions = inserted.flatMap((row) => {
        const e = bySlug.get(row.slug!)!;
        return distinctSimilar(e.question, e.similar ?? []).map((text) => ({ entryId: row.id, text, source: 'seed' }));
      });
      for (let j = 0; j < questions.length; j += INSERT_CHUNK * 2) {
        await tx.insert(faqQuestions).values(questions.slice(j, j + INSERT_CHUNK * 2));
      }
      entriesAdded += inserted.length;
      questionsAdded += questions.length;
    }

    const newChitchat = seed.chitchat.filter((c) => !haveChitchat.has(c.id));
    let chitchatAdded = 0;
    for (let i = 0; i < newChitchat.length; i += INSERT_CHUNK) {
      const rows = await tx
        .insert(chitchatEntries)
        .values(newChitchat.slice(i, i + INSERT_CHUNK).map((c) => ({ slug: c.id, questions: c.questions, answers: c.answers })))
        .onConflictDoNothing({ target: chitchatEntries.slug })
        .returning({ id: chitchatEntries.id });
      chitchatAdded += rows.length;
    }

    const newSynonyms = Object.entries(seed.synonyms).filter(([term]) => !haveTerm.has(term));
    let synonymsAdded = 0;
    for (let i = 0; i < newSynonyms.length; i += INSERT_CHUNK) {
      const rows = await tx
        .insert(synonyms)
        .values(newSynonyms.slice(i, i + INSERT_CHUNK).map(([term, canonical]) => ({ term, canonical })))
        .onConflictDoNothing({ target: synonyms.term })
        .returning({ id: synonyms.id });
      synonymsAdded += rows.length;
    }
    return { entriesAdded, questionsAdded, chitchatAdded, synonymsAdded };
  });
  if (opts.bus && Object.values(result).some((n) => n > 0)) await opts.bus.emit('knowledge.changed', { reason: 'seed' });
  return { ...result, ms: Math.round(performance.now() - t0) };
}

export interface SeedFiles {
  faq: FaqSeedEntry[];
  chitchat: ChitchatSeedEntry[];
  synonyms: SynonymTable;
}

/** Reads and checks the seed files; a malformed file or a repeated id stops start-up with its name. */
export async function readSeed(seedDir: string): Promise<SeedFiles> {
  let files: string[];
  try {
    files = (await readdir(seedDir)).sort();
  } catch (err) {
    throw new SeedError(seedDir, `cannot read the seed folder: ${(err as Error).message}`);
  }
  const faq: FaqSeedEntry[] = [];
  const seen = new Map<string, string>();
  for (const file of files.filter((f) => /^faq-.*\.json$/.test(f))) {
    const entries = await readJson<FaqSeedEntry[]>(seedDir, file);
    if (!Array.isArray(entries)) throw new SeedError(file, 'must be an array of entries');
    for (const [i, e] of entries.entries()) {
      if (typeof e?.id !== 'string' || typeof e.question !== 'string' || typeof e.answer !== 'string' || !e.question.trim() || !e.answer.trim()) {
        throw new SeedError(file, `entry ${i} needs a string id, question and answer`);
      }
      const other = seen.get(e.id);
      if (other) throw new SeedError(file, `id ${e.id} is also used in ${other}`);
      seen.set(e.id, file);
      faq.push(e);
    }
  }
  const chitchat = files.includes('chitchat.json') ? await readJson<ChitchatSeedEntry[]>(seedDir, 'chitchat.json') : [];
  if (!Array.isArray(chitchat) || chitchat.some((c) => typeof c?.id !== 'string' || !Array.isArray(c.questions) || !Array.isArray(c.answers))) {
    throw new SeedError('chitchat.json', 'must be an array of {id, questions[], answers[]}');
  }
  const syn = files.includes('synonyms.json') ? await readJson<SynonymTable>(seedDir, 'synonyms.json') : {};
  if (typeof syn !== 'object' || syn === null || Array.isArray(syn) || Object.values(syn).some((v) => typeof v !== 'string')) {
    throw new SeedError('synonyms.json', 'must be an object of term → canonical word');
  }
  return { faq, chitchat, synonyms: syn };
}

export class SeedError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`Seed file ${file}: ${problem}`);
    this.name = 'SeedError';
  }
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8')) as T;
  } catch (err) {
    throw new SeedError(file, (err as Error).message);
  }
}

import { createRequire } from 'node:module';
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { tokens } from './tokenize.js';

/**
 * An @nlpjs/nlp Nlp for Chinese that prints nothing and uses our tokenizer.
 *
 * 'bigram' (the default) puts unit unigrams and bigrams (tokenize.ts) in place of a 'zh'
 * tokenizer and stemmer; it needs no language package, as the default normalizer is the same
 * as the 'zh' one and stop words are kept. 'nlpjs' loads @nlpjs/lang-zh's dictionary segmenter
 * and pinyin stemmer: it exists only so that docs/nlu.md can compare the two, and it prints
 * "Compiling dictionary" to stdout the first time it runs.
 */
export type TokenizerMode = 'bigram' | 'nlpjs';

export const LOCALE = 'zh';

const require = createRequire(import.meta.url);
const version = (req: NodeJS.Require, name: string) => (req(`${name}/package.json`) as { version: string }).version;
// @nlpjs/nlu (training, export) and @nlpjs/neural (the classifier) are dependencies of
// @nlpjs/nlp, so they are resolved from there rather than from this package.
const fromNlp = createRequire(require.resolve('@nlpjs/nlp'));

/** The versions of the packages that shape a trained model: part of the model cache key. */
export const nlpjsVersions: Readonly<Record<string, string>> = {
  '@nlpjs/core': version(require, '@nlpjs/core'),
  '@nlpjs/nlp': version(require, '@nlpjs/nlp'),
  '@nlpjs/nlu': version(fromNlp, '@nlpjs/nlu'),
  '@nlpjs/neural': version(fromNlp, '@nlpjs/neural'),
  '@nlpjs/lang-zh': version(require, '@nlpjs/lang-zh'),
};

const quiet = () => {};
const SILENT = { trace: quiet, debug: quiet, info: quiet, log: quiet, warn: quiet, error: quiet, fatal: quiet };

export function newManager(mode: TokenizerMode): Nlp {
  const container = containerBootstrap();
  // The default logger goes to console (e.g. "contains only stop words"): nothing may reach
  // stdout. Registered before Nlp is built, so that nothing logs through the default one.
  container.register('logger', SILENT, true);
  if (mode === 'nlpjs') {
    // Loaded only here: its 120k-line dictionary costs about 50 ms and 17 MB just to require.
    const { LangZh } = require('@nlpjs/lang-zh') as typeof import('@nlpjs/lang-zh');
    container.use(LangZh);
  } else {
    container.register(`tokenizer-${LOCALE}`, { tokenize: (text: string) => tokens(text) }, true);
    // Identity: a 'zh' stemmer would re-segment the raw text into pinyin and lose our tokens.
    container.register(`stemmer-${LOCALE}`, { stem: (t: string[]) => t }, true);
  }
  return new Nlp({
    container,
    languages: [LOCALE],
    // Training progress goes to stdout unless log is false (@nlpjs/neural NeuralNetwork).
    nlu: { log: false },
    autoSave: false,
    autoLoad: false,
    forceNER: false,
    calculateSentiment: false,
  });
}

/** Prepared texts the classifier may keep before trimPrepareCache drops them. */
export const PREPARE_CACHE_MAX = 5000;

interface PreparedCacheHolder {
  cache?: { results?: Record<string, Record<string, unknown>> };
}

/**
 * The classifier keeps the tokens of every text it has seen, per locale, and empties that only
 * when a text arrives more than an hour after the cache was created (@nlpjs/nlu nlu.js
 * defaultPipelinePrepare): under steady traffic of distinct questions it grows without bound.
 * Drop it when it passes `max`; it is rebuilt on the next text.
 * Returns how many texts were cached before the call.
 */
export function trimPrepareCache(manager: Nlp, max = PREPARE_CACHE_MAX): number {
  const internals = manager as unknown as { nluManager?: { domainManagers?: Record<string, { domains?: Record<string, PreparedCacheHolder> }> } };
  let seen = 0;
  for (const dm of Object.values(internals.nluManager?.domainManagers ?? {})) {
    for (const domain of Object.values(dm.domains ?? {})) {
      const size = Object.values(domain.cache?.results ?? {}).reduce((n, r) => n + Object.keys(r).length, 0);
      seen += size;
      if (size > max) domain.cache = undefined;
    }
  }
  return seen;
}

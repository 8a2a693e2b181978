import { createRequire } from 'node:module';
import { NlpManager } from 'node-nlp';
import { tokens } from './tokenize.js';

/**
 * A node-nlp NlpManager for Chinese that prints nothing and uses our tokenizer.
 *
 * 'bigram' (the default) replaces node-nlp's 'zh' tokenizer and stemmer with unit unigrams and
 * bigrams (tokenize.ts). 'nlpjs' keeps node-nlp's own dictionary segmenter and pinyin stemmer:
 * it exists only so that docs/nlu.md can compare the two, and it prints "Compiling dictionary"
 * to stdout the first time it runs.
 */
export type TokenizerMode = 'bigram' | 'nlpjs';

export const LOCALE = 'zh';

export const nodeNlpVersion: string = (createRequire(import.meta.url)('node-nlp/package.json') as { version: string }).version;

const quiet = () => {};
const SILENT = { trace: quiet, debug: quiet, info: quiet, log: quiet, warn: quiet, error: quiet, fatal: quiet };

export function newManager(mode: TokenizerMode): NlpManager {
  const manager = new NlpManager({
    languages: [LOCALE],
    // Training progress goes to stdout unless log is false (@nlpjs/neural NeuralNetwork).
    nlu: { log: false },
    autoSave: false,
    autoLoad: false,
    forceNER: false,
    calculateSentiment: false,
  });
  // node-nlp warns through console (e.g. "contains only stop words"): nothing may reach stdout.
  manager.container.register('logger', SILENT, true);
  if (mode === 'bigram') {
    manager.container.register(`tokenizer-${LOCALE}`, { tokenize: (text: string) => tokens(text) }, true);
    // The 'zh' stemmer re-segments the raw text into pinyin: the identity keeps our tokens.
    manager.container.register(`stemmer-${LOCALE}`, { stem: (t: string[]) => t }, true);
  }
  return manager;
}

/** Prepared texts node-nlp may keep before trimPrepareCache drops them. */
export const PREPARE_CACHE_MAX = 5000;

interface PreparedCacheHolder {
  cache?: { results?: Record<string, Record<string, unknown>> };
}

/**
 * node-nlp's classifier keeps the tokens of every text it has seen, per locale, and empties
 * that only when a text arrives more than an hour after the cache was created
 * (@nlpjs/nlu nlu.js defaultPipelinePrepare): under steady traffic of distinct questions it
 * grows without bound. Drop it when it passes `max`; it is rebuilt on the next text.
 * Returns how many texts were cached before the call.
 */
export function trimPrepareCache(manager: NlpManager, max = PREPARE_CACHE_MAX): number {
  const internals = manager as unknown as { nlp?: { nluManager?: { domainManagers?: Record<string, { domains?: Record<string, PreparedCacheHolder> }> } } };
  let seen = 0;
  for (const dm of Object.values(internals.nlp?.nluManager?.domainManagers ?? {})) {
    for (const domain of Object.values(dm.domains ?? {})) {
      const size = Object.values(domain.cache?.results ?? {}).reduce((n, r) => n + Object.keys(r).length, 0);
      seen += size;
      if (size > max) domain.cache = undefined;
    }
  }
  return seen;
}

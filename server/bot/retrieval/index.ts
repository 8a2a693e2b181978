/** The FAQ retriever's public surface. Pure code: no I/O. */
export { normalize } from './normalize.js';
export { buildRetriever, THRESHOLDS, bandOf, type Retriever, type RetrieverOptions } from './retriever.js';
export { bm25Baseline } from './baseline.js';
export type { RetrievalModel } from './model.js';

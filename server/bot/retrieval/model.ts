/**
 * Learned weights of the retriever (last number of each list = bias). How they were obtained:
 * see docs/retrieval.md; `npm run bench:bot -- --learn` recomputes them from the train pairs.
 */
export interface RetrievalModel {
  /** Re-ranker: one weight per FEATURE_NAMES entry, then the bias. */
  rerank: number[];
  /** Confidence: one weight per CONFIDENCE_FEATURE_NAMES entry, then the bias. */
  confidence: number[];
  /** Domain gate: [centre, slope] of a logistic on the query's in-vocabulary bigram share. */
  gate: number[];
}

/**
 * Fitted by `npm run bench:bot -- --learn`: 8 FAQ tasks built from the train pairs (4 from
 * ATEC train, 4 from AFQMC train; 2000 questions each, 4395 queries; every sentence that occurs
 * in an evaluation task removed first). Re-ranker: pairwise logistic regression, L2 = 1, over
 * (relevant, other) candidate pairs. Confidence: logistic regression on "top-1 is right",
 * each query seen once against the full base and once with its relevant entries withheld.
 * Gate: centre = 5th percentile of the train queries' in-vocabulary bigram share, slope so the
 * median passes at 0.95.
 */
export const MODEL: RetrievalModel = {
  rerank: [-5.121, -6.847, 3.524, 4.57, 2.154, 6.291, -1.736, -5.672, 2.402, -1.104, 4.974, 0.153, -0.111, 4.641, 0.62, -0.523, 5.609, -8.302, -3.127, 2.498, -3.081, 4.821, 0.022, 0],
  confidence: [0.107, 0.72, 0.538, -4.926],
  gate: [0.472, 8.69],
};

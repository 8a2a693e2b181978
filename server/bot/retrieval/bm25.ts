/**
 * A BM25 inverted index over pre-tokenised documents (Robertson/Spärck Jones IDF with the +1
 * that keeps it positive). Terms are interned to ids so a query touches arrays, not maps.
 */
export interface Bm25Params {
  k1: number;
  b: number;
}

export class Bm25Index {
  readonly size: number;
  /** Term → id. */
  private readonly ids = new Map<string, number>();
  /** Per term id: the documents and term frequencies. */
  private readonly postDocs: number[][] = [];
  private readonly postTf: number[][] = [];
  /** Per term id. */
  readonly idfById: Float64Array;
  /** Per document: its distinct term ids. */
  readonly docTerms: Int32Array[];
  /** Per document: k1 * (1 - b + b * len / avgLen), precomputed. */
  private readonly norm: Float64Array;
  private readonly k1: number;

  constructor(docs: readonly string[][], { k1, b }: Bm25Params) {
    this.size = docs.length;
    this.k1 = k1;
    const lengths = docs.map((d) => d.length);
    const avg = lengths.reduce((s, l) => s + l, 0) / Math.max(1, docs.length) || 1;
    this.norm = Float64Array.from(lengths, (l) => k1 * (1 - b + (b * l) / avg));
    this.docTerms = docs.map((terms, doc) => {
      const tf = new Map<number, number>();
      for (const t of terms) {
        let id = this.ids.get(t);
        if (id === undefined) {
          id = this.postDocs.length;
          this.ids.set(t, id);
          this.postDocs.push([]);
          this.postTf.push([]);
        }
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const [id, f] of tf) {
        this.postDocs[id]!.push(doc);
        this.postTf[id]!.push(f);
      }
      return Int32Array.from(tf.keys());
    });
    const n = this.size;
    this.idfById = Float64Array.from(this.postDocs, (p) => Math.log(1 + (n - p.length + 0.5) / (p.length + 0.5)));
  }

  /** The id of a term, or -1 when no document has it. */
  id(term: string): number {
    return this.ids.get(term) ?? -1;
  }

  /** IDF of a term; a term no document has gets the highest possible IDF. */
  idf(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? Math.log(1 + (this.size + 0.5) / 0.5) : this.idfById[id]!;
  }

  /** Adds weight × BM25(query, doc) to acc[doc] for every doc sharing a term with the query. */
  scoreInto(queryTerms: readonly string[], weight: number, acc: Float64Array): void {
    const k1 = this.k1;
    for (const t of queryTerms) {
      const id = this.ids.get(t);
      if (id === undefined) continue;
      const docs = this.postDocs[id]!;
      const tfs = this.postTf[id]!;
      const w = weight * this.idfById[id]! * (k1 + 1);
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        acc[d]! += (w * tf) / (tf + this.norm[d]!);
      }
    }
  }
}

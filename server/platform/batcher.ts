/**
 * Group commit for the hot path: while one batch is being written, new items queue up, and
 * they go together in the next write. An idle batcher writes an item at once, so batching
 * adds no latency at low load and turns N round trips into one under load.
 *
 * Items with the same `conflictKey` never share a batch (a multi-row upsert may not touch one
 * row twice); a later one waits for the next batch, which keeps their order too.
 *
 * When a batch's write fails, its items are written again one by one, so one bad item costs
 * only its own submit and not its neighbours'. That is only sound for a write that is all or
 * nothing (one statement, or one transaction): a failed batch must have left nothing behind.
 */
export interface BatcherOptions<I, O> {
  /** Writes a batch, all or nothing; resolves with one result per item, in order. */
  write(items: I[]): Promise<O[]>;
  conflictKey(item: I): string;
  maxBatch?: number;
  /**
   * Under load, how long a batch waits for company before it is written: for writes that are
   * cheaper in bulk than they are urgent (the unanswered log, the nonce store). Without it,
   * items that arrive while a batch is written still go together in the next one. When idle
   * (the last write ended more than twice this long ago) an item is written at once.
   */
  lingerMs?: number;
}

interface Pending<I, O> {
  item: I;
  resolve(o: O): void;
  reject(e: unknown): void;
}

export class Batcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private writing = false;
  private lastWriteEnd = -Infinity;

  constructor(private readonly o: BatcherOptions<I, O>) {}

  /** Resolves when nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.writing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const linger = this.o.lingerMs ?? 0;
        if (linger > 0 && performance.now() - this.lastWriteEnd < 2 * linger) await new Promise((r) => setTimeout(r, linger));
        const batch = this.take();
        try {
          const failed = await this.write(batch);
          if (failed && batch.length === 1) batch[0]!.reject(failed.error);
          else if (failed) {
            // Only after a failed batch: each item alone, so that only the bad ones fail.
            for (const p of batch) {
              const alone = await this.write([p]);
              if (alone) p.reject(alone.error);
            }
          }
        } finally {
          this.lastWriteEnd = performance.now();
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** Writes the items and resolves them; on failure resolves nothing and returns the error. */
  private async write(batch: Array<Pending<I, O>>): Promise<{ error: unknown } | undefined> {
    let results: O[];
    try {
      results = await this.o.write(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new Error(`batch write returned ${results.length} results for ${batch.length} items`);
    } catch (error) {
      return { error };
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
    return undefined;
  }

  /** The next batch: oldest first, at most maxBatch, no two items with one conflict key. */
  private take(): Array<Pending<I, O>> {
    const max = this.o.maxBatch ?? 64;
    const keys = new Set<string>();
    const batch: Array<Pending<I, O>> = [];
    const rest: Array<Pending<I, O>> = [];
    for (const p of this.queue) {
      const key = this.o.conflictKey(p.item);
      if (batch.length < max && !keys.has(key)) {
        keys.add(key);
        batch.push(p);
      } else {
        // Once a key is deferred, every later item with it must wait too, to keep order.
        keys.add(key);
        rest.push(p);
      }
    }
    this.queue = rest;
    return batch;
  }
}

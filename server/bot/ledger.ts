import type { Db } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import { Batcher } from '../platform/batcher.js';
import { addHits } from '../kb/entries.repo.js';
import { logUnansweredBatch } from '../kb/unanswered.service.js';

/**
 * The bot's bookkeeping, kept off the push's critical path:
 * - turns are not written here: the push stores each with its reply, in one statement;
 * - hit counters add up in memory and are written once a second;
 * - the unanswered log is fed in batches, one candidate scan per batch.
 */
export class BotLedger {
  private readonly unanswered: Batcher<string, void>;
  private hits = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly logger: Logger) {
    let seq = 0;
    this.unanswered = new Batcher({ write: async (qs) => (await logUnansweredBatch(db, qs), qs.map(() => undefined)), conflictKey: () => String(seq++), lingerMs: 100, maxBatch: 200 });
    this.timer = setInterval(() => void this.flushHits(), 1000);
    this.timer.unref();
  }

  countHit(entryId: number): void {
    this.hits.set(entryId, (this.hits.get(entryId) ?? 0) + 1);
  }

  logUnanswered(question: string): void {
    this.unanswered.submit(question).catch((err: unknown) => this.logger.error({ err }, 'unanswered log failed'));
  }

  /** Writes what is pending (shutdown, tests). */
  async flush(): Promise<void> {
    await this.flushHits();
    await this.unanswered.idle();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async flushHits(): Promise<void> {
    if (this.hits.size === 0) return;
    const pending = this.hits;
    this.hits = new Map();
    try {
      await addHits(this.db, pending);
    } catch (err) {
      // Put them back: the next flush tries again.
      for (const [id, n] of pending) this.hits.set(id, (this.hits.get(id) ?? 0) + n);
      this.logger.error({ err }, 'hit counters not written');
    }
  }
}

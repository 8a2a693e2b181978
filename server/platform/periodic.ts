export interface PeriodicOptions {
  everyMs: number;
  /** Delay before the first run; everyMs when not given. */
  firstMs?: number;
  /** A failed run is reported here; the next one still comes. */
  onError: (err: unknown) => void;
}

/**
 * Runs a background task on a timer, one run at a time: a run still going when the next is due
 * makes that one skip. The timer does not keep the process alive; stop() waits for a run in progress.
 */
export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly task: () => Promise<unknown>, private readonly o: PeriodicOptions) {}

  start(): void {
    this.timer = setTimeout(() => {
      this.tick();
      this.timer = setInterval(() => this.tick(), this.o.everyMs);
      this.timer.unref();
    }, this.o.firstMs ?? this.o.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.task()
      .then(() => undefined, this.o.onError)
      .finally(() => (this.running = undefined));
  }
}

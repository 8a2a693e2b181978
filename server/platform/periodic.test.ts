import { afterEach, describe, expect, it, vi } from 'vitest';
import { Periodic } from './periodic.js';

describe('Periodic', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs first after firstMs, then every everyMs, and reports a failed run without stopping', async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    const errors: unknown[] = [];
    const p = new Periodic(async () => {
      runs.push(Date.now());
      if (runs.length === 2) throw new Error('boom');
    }, { everyMs: 1000, firstMs: 100, onError: (err) => errors.push(err) });
    const t0 = Date.now();
    p.start();
    await vi.advanceTimersByTimeAsync(99);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1 + 2000);
    expect(runs.map((t) => t - t0)).toEqual([100, 1100, 2100]);
    expect(errors).toHaveLength(1);
    await p.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toHaveLength(3);
  });

  it('skips a due run while the previous one is still going, and stop() waits for it', async () => {
    vi.useFakeTimers();
    let started = 0;
    let finish!: () => void;
    const p = new Periodic(() => {
      started++;
      return new Promise<void>((r) => (finish = r));
    }, { everyMs: 10, onError: () => undefined });
    p.start();
    await vi.advanceTimersByTimeAsync(55);
    expect(started).toBe(1);
    let stopped = false;
    const stopping = p.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });
});

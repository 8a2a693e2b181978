import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

type Item = { user: string; n: number };

function recording(opts: { maxBatch?: number; fail?: (items: Item[]) => boolean } = {}) {
  const batches: number[][] = [];
  const b = new Batcher<Item, string>({
    conflictKey: (i) => i.user,
    maxBatch: opts.maxBatch,
    async write(items) {
      batches.push(items.map((i) => i.n));
      await new Promise((r) => setTimeout(r, 5));
      if (opts.fail?.(items)) throw new Error('write failed');
      return items.map((i) => `done:${i.n}`);
    },
  });
  return { b, batches };
}

describe('Batcher', () => {
  it('writes a lone item at once', async () => {
    const { b, batches } = recording();
    expect(await b.submit({ user: 'a', n: 1 })).toBe('done:1');
    expect(batches).toEqual([[1]]);
  });

  it('groups items that arrive while a write is running', async () => {
    const { b, batches } = recording();
    const all = [1, 2, 3, 4].map((n) => b.submit({ user: `u${n}`, n }));
    expect(await Promise.all(all)).toEqual(['done:1', 'done:2', 'done:3', 'done:4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts two items with one conflict key in a batch, and keeps their order', async () => {
    const { b, batches } = recording();
    const all = [
      b.submit({ user: 'x', n: 0 }),
      b.submit({ user: 'a', n: 1 }),
      b.submit({ user: 'a', n: 2 }),
      b.submit({ user: 'b', n: 3 }),
      b.submit({ user: 'a', n: 4 }),
    ];
    await Promise.all(all);
    expect(batches).toEqual([[0], [1, 3], [2], [4]]);
  });

  it('respects the batch size limit', async () => {
    const { b, batches } = recording({ maxBatch: 2 });
    await Promise.all([0, 1, 2, 3, 4].map((n) => b.submit({ user: `u${n}`, n })));
    expect(batches).toEqual([[0], [1, 2], [3, 4]]);
  });

  it('rejects only the bad item of a failed batch, by writing its items again one by one', async () => {
    const { b, batches } = recording({ fail: (items) => items.some((i) => i.n === 2) });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => b.submit({ user: `u${n}`, n })));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['done:1', 'write failed', 'done:3', 'done:4']);
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(await b.submit({ user: 'z', n: 9 })).toBe('done:9');
  });

  it('writes a failed lone item once, and rejects it with its own error', async () => {
    const { b, batches } = recording({ fail: () => true });
    await expect(b.submit({ user: 'a', n: 1 })).rejects.toThrow('write failed');
    expect(batches).toEqual([[1]]);
  });

  it('keeps the order of a conflict key when its first item is written again alone', async () => {
    const { b, batches } = recording({ fail: (items) => items.length > 1 && items.some((i) => i.n === 2) });
    const all = [b.submit({ user: 'x', n: 0 }), b.submit({ user: 'a', n: 1 }), b.submit({ user: 'b', n: 2 }), b.submit({ user: 'a', n: 3 })];
    expect(await Promise.all(all)).toEqual(['done:0', 'done:1', 'done:2', 'done:3']);
    expect(batches).toEqual([[0], [1, 2], [1], [2], [3]]);
  });
});

describe('Batcher linger', () => {
  it('writes at once when idle, and waits for company right after a write', async () => {
    const batches: number[][] = [];
    const b = new Batcher<Item, number>({
      conflictKey: (i) => i.user,
      lingerMs: 20,
      async write(items) {
        batches.push(items.map((i) => i.n));
        return items.map((i) => i.n);
      },
    });
    const t0 = performance.now();
    await b.submit({ user: 'a', n: 1 });
    expect(performance.now() - t0).toBeLessThan(15); // idle: no linger
    // Right after a write, a new item lingers, and items arriving meanwhile join it.
    const next = b.submit({ user: 'b', n: 2 });
    await new Promise((r) => setTimeout(r, 5));
    const late = b.submit({ user: 'c', n: 3 });
    await Promise.all([next, late]);
    expect(batches).toEqual([[1], [2, 3]]);
  });
});

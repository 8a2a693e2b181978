import { describe, expect, it } from 'vitest';
import { TokenManager, type CachedToken, type TokenStore } from './token-manager.js';

function memoryStore(initial: CachedToken | null = null): TokenStore & { value: CachedToken | null } {
  const s = {
    value: initial,
    async read() {
      return s.value;
    },
    async write(t: CachedToken) {
      s.value = t;
    },
    async withRefreshLock<T>(fn: () => Promise<T>) {
      return fn();
    },
  };
  return s;
}

describe('TokenManager', () => {
  it('fetches once and then serves the cached token', async () => {
    let fetches = 0;
    const tm = new TokenManager(memoryStore(), async () => ({ token: `t${++fetches}`, expiresInS: 7200 }));
    expect(await tm.get()).toBe('t1');
    expect(await tm.get()).toBe('t1');
    expect(fetches).toBe(1);
  });

  it('refreshes a token that is about to expire', async () => {
    let now = 1_000_000;
    let fetches = 0;
    const store = memoryStore({ token: 'old', expiresAt: now + 30_000 });
    const tm = new TokenManager(store, async () => ({ token: `new${++fetches}`, expiresInS: 7200 }), () => now);
    expect(await tm.get()).toBe('new1');
    now += 1000;
    expect(await tm.get()).toBe('new1');
  });

  it('fetches exactly once when 50 callers report the same stale token at once', async () => {
    let fetches = 0;
    const store = memoryStore({ token: 'stale', expiresAt: Date.now() + 3_600_000 });
    const tm = new TokenManager(store, async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 20));
      return { token: 'fresh', expiresInS: 7200 };
    });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => tm.refresh('stale')));
    expect(new Set(tokens)).toEqual(new Set(['fresh']));
    expect(fetches).toBe(1);
  });

  it('does not refetch when another refresher already replaced the stale token', async () => {
    let fetches = 0;
    const store = memoryStore({ token: 'already-new', expiresAt: Date.now() + 3_600_000 });
    const tm = new TokenManager(store, async () => ({ token: `x${++fetches}`, expiresInS: 7200 }));
    expect(await tm.refresh('stale')).toBe('already-new');
    expect(fetches).toBe(0);
  });

  it('lets the next caller retry after a failed fetch', async () => {
    let fail = true;
    const tm = new TokenManager(memoryStore(), async () => {
      if (fail) throw new Error('network down');
      return { token: 'ok', expiresInS: 7200 };
    });
    await expect(tm.get()).rejects.toThrow('network down');
    fail = false;
    expect(await tm.get()).toBe('ok');
  });
});

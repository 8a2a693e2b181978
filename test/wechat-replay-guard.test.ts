import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../server/db/client.js';
import { rowsOf } from '../server/db/raw.js';
import { silentLogger } from '../server/platform/logger.js';
import { memoryReplayGuard, type ReplayGuard } from '../server/wechat/replay-guard.js';
import { DbReplayGuard } from '../server/wechat/replay-guard-db.js';
import { redisReplayGuard } from '../server/wechat/replay-guard-redis.js';
import { freshStorageTarget, testMode, type StorageTarget } from './helpers/mode.js';

/** The replay guard's stores: first writer wins, retries pass, expiry, and what a claim costs. */
describe(`replay guard stores (${testMode()})`, () => {
  let target: StorageTarget;
  let database: Database;
  let redis: Redis | undefined;
  let nowMs = Date.parse('2026-11-25T12:00:00Z');
  const now = () => nowMs;

  beforeAll(async () => {
    target = await freshStorageTarget();
    database = await openDatabase(target);
    if (target.redisUrl) redis = new Redis(target.redisUrl);
  });
  afterAll(async () => {
    redis?.disconnect();
    await database?.close();
  });

  const stored = async () => rowsOf<{ key: string; value: string }>(database.db, sql`SELECT key, value FROM kv WHERE key LIKE 'wechat:nonce:%' ORDER BY key`);

  const stores = (): Array<[string, () => ReplayGuard & { stop?: () => Promise<void> }]> => [
    ['memory', () => memoryReplayGuard(now)],
    ['database, one process', () => new DbReplayGuard({ db: database.db, shared: false, logger: silentLogger, now })],
    ['database, shared', () => new DbReplayGuard({ db: database.db, shared: true, logger: silentLogger, now })],
    ...(testMode() === 'postgres' ? [['redis', () => redisReplayGuard(redis!, `test:${randomUUID()}:`)] as [string, () => ReplayGuard]] : []),
  ];

  it.each(stores())('%s: first, then retry for the same digest, replay for another', async (_name, make) => {
    const guard = make();
    const key = `1700000000:${randomUUID()}`;
    expect(await guard.claim(key, 'digest-a', 300)).toBe('first');
    expect(await guard.claim(key, 'digest-a', 300)).toBe('retry');
    expect(await guard.claim(key, 'digest-b', 300)).toBe('replay');
    await guard.stop?.();
  });

  it.each(stores())('%s: of concurrent claims with different digests, exactly one wins', async (_name, make) => {
    const guard = make();
    const key = `1700000000:${randomUUID()}`;
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => guard.claim(key, `digest-${i}`, 300)));
    expect(verdicts.filter((v) => v === 'first')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'replay')).toHaveLength(19);
    await guard.stop?.();
  });

  it('shared database guards on one database: the first writer wins on both, also when they race', async () => {
    const a = new DbReplayGuard({ db: database.db, shared: true, logger: silentLogger, now });
    const b = new DbReplayGuard({ db: database.db, shared: true, logger: silentLogger, now });
    const key = `1700000001:${randomUUID()}`;
    const [va, vb] = await Promise.all([a.claim(key, 'from-a', 300), b.claim(key, 'from-b', 300)]);
    expect([va, vb].sort()).toEqual(['first', 'replay']);
    const winner = va === 'first' ? 'from-a' : 'from-b';
    expect(await b.claim(key, winner, 300)).toBe('retry');
    expect(await a.claim(key, winner, 300)).toBe('retry');
  });

  it('an embedded guard keeps its queries across a restart, and the purge drops expired ones', async () => {
    const before = new DbReplayGuard({ db: database.db, shared: false, logger: silentLogger, now });
    const live = `1700000002:${randomUUID()}`;
    const short = `1700000002:${randomUUID()}`;
    expect(await before.claim(live, 'genuine', 300)).toBe('first');
    expect(await before.claim(short, 'genuine', 5)).toBe('first');
    await before.stop(); // the writes behind are done
    expect((await stored()).map((r) => r.key)).toEqual(expect.arrayContaining([`wechat:nonce:${live}`, `wechat:nonce:${short}`]));

    nowMs += 10_000;
    const after = new DbReplayGuard({ db: database.db, shared: false, logger: silentLogger, now });
    expect(await after.load()).toBeGreaterThanOrEqual(1);
    expect(await after.claim(live, 'forged', 300)).toBe('replay');
    expect(await after.claim(short, 'forged', 300)).toBe('first'); // expired: a new window
    nowMs += 301_000;
    expect(await after.purge()).toBeGreaterThanOrEqual(2);
    expect((await stored()).map((r) => r.key)).not.toContain(`wechat:nonce:${live}`);
    await after.stop();
  });

  it.each(stores())('%s: what one claim costs (a new key each)', async (name, make) => {
    const guard = make();
    const n = 2000;
    const keys = Array.from({ length: n }, () => `1700000003:${randomUUID()}`);
    const started = performance.now();
    // As under load: many pushes in flight at once.
    const verdicts = await Promise.all(keys.map((k) => guard.claim(k, 'd', 300)));
    const perClaimUs = ((performance.now() - started) * 1000) / n;
    await guard.stop?.();
    const withWritesUs = ((performance.now() - started) * 1000) / n;
    console.info(`[replay guard, ${testMode()}] ${name}: ${perClaimUs.toFixed(1)} µs per claim on the push path, ${withWritesUs.toFixed(1)} µs with its share of the writes (${n} concurrent)`);
    expect(verdicts.every((v) => v === 'first')).toBe(true);
  });
});

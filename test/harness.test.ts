import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { freshStorageTarget, testMode } from './helpers/mode.js';

// Proves the test harness itself: each project gets the storage it claims to test against.
if (testMode() === 'postgres') {
  describe('the postgres harness', () => {
    it('gives a test file its own database on a real PostgreSQL server', async () => {
      const target = await freshStorageTarget();
      expect(target.databaseUrl).toMatch(/^postgres:\/\//);
      const client = new pg.Client({ connectionString: target.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string; db: string }>(
          'select version() as version, current_database() as db',
        );
        expect(rows[0]?.version).toContain('PostgreSQL');
        expect(rows[0]?.db).toBe(new URL(target.databaseUrl ?? '').pathname.slice(1));
      } finally {
        await client.end();
      }
    });

    it('keeps two fresh databases apart', async () => {
      const [a, b] = await Promise.all([freshStorageTarget(), freshStorageTarget()]);
      expect(a.databaseUrl).not.toBe(b.databaseUrl);
      const first = new pg.Client({ connectionString: a.databaseUrl });
      const second = new pg.Client({ connectionString: b.databaseUrl });
      await Promise.all([first.connect(), second.connect()]);
      try {
        await first.query('create table marker (id int)');
        const { rows } = await second.query<{ n: number }>(
          "select count(*)::int as n from information_schema.tables where table_name = 'marker'",
        );
        expect(rows[0]?.n).toBe(0);
      } finally {
        await Promise.all([first.end(), second.end()]);
      }
    });

    it('starts a real Redis server that answers PING and keeps values', async () => {
      const redisUrl = inject('redisUrl');
      expect(redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      const redis = new Redis(redisUrl);
      try {
        expect(await redis.ping()).toBe('PONG');
        const key = `harness:${process.pid}:${Date.now()}`;
        await redis.set(key, '智能客服', 'EX', 60);
        expect(await redis.get(key)).toBe('智能客服');
      } finally {
        redis.disconnect();
      }
    });
  });
} else {
  describe('the pglite harness', () => {
    it('opens an embedded PGlite database in a fresh data folder', async () => {
      const target = await freshStorageTarget();
      expect(target.databaseUrl).toBeUndefined();
      const dataDir = join(target.dataDir ?? '', 'pglite');
      const db = await PGlite.create(dataDir);
      try {
        await db.exec("create table greeting (text text); insert into greeting values ('您好')");
        const { rows } = await db.query<{ version: string; text: string }>(
          'select version() as version, text from greeting',
        );
        expect(rows[0]?.version).toContain('PostgreSQL');
        expect(rows[0]?.text).toBe('您好');
      } finally {
        await db.close();
      }
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    });
  });
}

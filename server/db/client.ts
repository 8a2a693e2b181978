import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { fromRoot } from '../platform/paths.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { applyFunctions } from './functions.js';
import { PgliteThread } from './pglite-thread.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The Drizzle database, the same type whether PGlite or a PostgreSQL server is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction of Db; repositories take either, so a caller can group their statements. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data is, for messages: the folder, or the server URL without its password. */
  location: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StorageTarget = { databaseUrl: string } | { dataDir: string };

const migrationsFolder = fromRoot('server', 'db', 'migrations');

/** Opens the database the configuration names, applies pending migrations, then the function bodies (functions.ts). */
export async function openDatabase(target: StorageTarget): Promise<Database> {
  return 'databaseUrl' in target ? openPostgres(target.databaseUrl) : openPglite(target.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  const lock: DataDirLock = lockDataDir(dataDir);
  let thread: PgliteThread | undefined;
  try {
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    // PGlite runs on its own thread (pglite-thread.ts); Drizzle's driver only needs the part
    // of PGlite's interface that the thread's handle offers.
    thread = await PgliteThread.open(join(resolve(dataDir), 'pglite'));
    const client = thread as unknown as PGlite;
    // A new WAL segment is not zero-filled first: that is a 16 MB write in the middle of a
    // statement, and it showed as occasional ~100 ms stalls in bench:gateway.
    await client.exec('SET wal_init_zero = off');
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    await applyFunctions((text) => client.exec(text));
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      location: resolve(dataDir),
      ping: async () => void (await client.query('select 1')),
      close: async () => {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    await thread?.close().catch(() => {});
    lock.release();
    throw err;
  }
}

async function openPostgres(url: string): Promise<Database> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // bigint (int8) columns come back as JS numbers for ids; MsgIds are stored as text.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
  const db = drizzle(pool, { schema });
  try {
    // Several instances may start at once: serialise migrations with an advisory lock.
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock(727001)');
      await migrate(drizzle(client, { schema }), { migrationsFolder });
      await applyFunctions((text) => client.query(text));
    } finally {
      await client.query('select pg_advisory_unlock(727001)').catch(() => {});
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    location: redactUrl(url),
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => pool.end(),
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

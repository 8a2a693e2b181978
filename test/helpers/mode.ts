import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createDatabase } from './postgres.js';

export type TestMode = 'pglite' | 'postgres';

/** Which storage the current vitest project tests against (env TEST_DB, set per project). */
export function testMode(): TestMode {
  const mode = process.env.TEST_DB ?? 'pglite';
  if (mode !== 'pglite' && mode !== 'postgres') throw new Error(`TEST_DB must be pglite or postgres, not ${mode}`);
  return mode;
}

/**
 * Fresh storage for the current mode. Assignable to the server's `{ dataDir } | { databaseUrl }`.
 *  - pglite: `dataDir`, a new empty folder for the embedded database;
 *  - postgres: `databaseUrl`, a new empty database on the shared server, and `redisUrl`,
 *    the shared Redis server (use a unique key prefix, or flushdb, if you need isolation).
 */
export type StorageTarget =
  | { dataDir: string; databaseUrl?: undefined; redisUrl?: undefined }
  | { dataDir?: undefined; databaseUrl: string; redisUrl: string };

/** Fresh, isolated storage for one test file (or one test) in the current mode. */
export async function freshStorageTarget(): Promise<StorageTarget> {
  if (testMode() === 'pglite') {
    // Inside the pglite project's run folder (removed at teardown); close your database before the run ends.
    const root = inject('dataRoot') ?? tmpdir();
    return { dataDir: mkdtempSync(join(root, 'db-')) };
  }
  const serverUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  if (!serverUrl || !redisUrl) throw new Error('postgres mode without the global setup (run it in the postgres project)');
  return { databaseUrl: await createDatabase(serverUrl), redisUrl };
}

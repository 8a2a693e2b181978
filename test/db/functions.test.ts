import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.js';
import { applyFunctions, functionFiles } from '../../server/db/functions.js';
import { rowsOf } from '../../server/db/raw.js';
import { fromRoot } from '../../server/platform/paths.js';
import { freshStorageTarget } from '../helpers/mode.js';

const bodyOf = (text: string) => /\$fn\$([\s\S]*)\$fn\$/.exec(text)?.[1];

describe('the database functions’ current bodies (server/db/functions)', () => {
  let database: Database;
  let target: Awaited<ReturnType<typeof freshStorageTarget>>;
  beforeAll(async () => {
    target = await freshStorageTarget();
    database = await openDatabase(target);
  });
  afterAll(async () => {
    await database?.close();
  });

  const live = async (name: string) =>
    (await rowsOf<{ src: string }>(database.db, sql`SELECT prosrc AS src FROM pg_proc WHERE proname = ${name}`)).map((r) => r.src);

  it('has one file for every function a migration creates', () => {
    const migrations = fromRoot('server', 'db', 'migrations');
    const created = new Set<string>();
    for (const f of readdirSync(migrations).filter((n) => n.endsWith('.sql'))) {
      for (const m of readFileSync(join(migrations, f), 'utf8').matchAll(/CREATE (?:OR REPLACE )?FUNCTION\s+(\w+)/g)) created.add(m[1]!);
    }
    expect([...created].sort()).toEqual(functionFiles().map((f) => f.name));
  });

  it('is what the database runs after start, once per function, and applying it again changes nothing', async () => {
    for (const f of functionFiles()) {
      expect(bodyOf(f.sql), f.name).toBeDefined();
      expect(await live(f.name)).toEqual([bodyOf(f.sql)]);
    }
    const exec = (text: string) => database.db.execute(sql.raw(text));
    expect(await applyFunctions(exec)).toEqual(functionFiles().map((f) => f.name));
    for (const f of functionFiles()) expect(await live(f.name)).toEqual([bodyOf(f.sql)]);
  });

  it('replaces an older body at the next start: the file, not the last migration, is the live version', async () => {
    const f = functionFiles().find((x) => x.name === 'kb_merge_variants')!;
    const older = f.sql.replace('$fn$', '$fn$\n-- an older body, as a migration once left it');
    await database.db.execute(sql.raw(older));
    expect(await live(f.name)).not.toEqual([bodyOf(f.sql)]);
    await database.close();
    database = await openDatabase(target);
    expect(await live(f.name)).toEqual([bodyOf(f.sql)]);
  });
});

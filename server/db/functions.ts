import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../platform/paths.js';

/**
 * The current bodies of the database functions (the push hot path's wx_record_* and the KB's
 * kb_merge_variants), one file each in server/db/functions/. Migrations create a function once;
 * its live body is the file, applied at every start after the migrations. So a reader finds a
 * function's definition in one place, not in whichever migration last restated it.
 */
export const functionsFolder = fromRoot('server', 'db', 'functions');

export interface FunctionFile {
  name: string;
  sql: string;
}

export function functionFiles(folder = functionsFolder): FunctionFile[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.sql'.length), sql: readFileSync(join(folder, f), 'utf8') }));
}

/**
 * Applies every file with `exec` (a simple-query call, which takes several statements). The
 * caller holds the migration lock, so two instances starting at once do not replace the same
 * function concurrently ("tuple concurrently updated").
 */
export async function applyFunctions(exec: (sql: string) => Promise<unknown>, folder = functionsFolder): Promise<string[]> {
  const applied: string[] = [];
  for (const f of functionFiles(folder)) {
    await exec(f.sql);
    applied.push(f.name);
  }
  return applied;
}

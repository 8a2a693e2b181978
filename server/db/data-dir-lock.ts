import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The embedded data folder belongs to one process: PGlite has no multi-process access,
 * and two writers would corrupt it. A lock file with our pid claims it; a lock left by
 * a dead process on this host is taken over.
 */
export class DataDirLocked extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `The data folder ${dir} is in use by another process (pid ${pid}). ` +
        `Stop that process, use another DATA_DIR, or, for a CLI, run it against the running server.`,
    );
    this.name = 'DataDirLocked';
  }
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        rmSync(file, { force: true }); // stale: its process is gone
        continue;
      }
      throw new DataDirLocked(dir, holder?.pid ?? -1);
    }
  }
  throw new DataDirLocked(dir, -1);
}

function readHolder(file: string): { pid: number; host: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

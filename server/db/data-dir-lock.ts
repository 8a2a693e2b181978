import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { tryLock, unlock } from 'fs-native-extensions';

/**
 * The embedded data folder belongs to one process: PGlite has no multi-process access,
 * and two writers would corrupt it. The claim is an exclusive flock on DATA_DIR/LOCK, held by
 * the kernel for as long as the file stays open: it goes with the process however it dies
 * (kill -9, OOM), and a pid reused after a crash (PID 1 in every container) cannot fake it.
 * The pid written into the file only names the holder in the error message.
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
  // 'a+' creates the file if needed and never truncates it before the lock is ours.
  const fd = openSync(file, 'a+');
  let locked: boolean;
  try {
    locked = tryLock(fd, { shared: false });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!locked) {
    closeSync(fd);
    throw new DataDirLocked(dir, readHolderPid(file));
  }
  ftruncateSync(fd, 0);
  writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // The file stays: removing it would let a newcomer lock a fresh inode while a late
      // opener still holds the old one.
      try {
        unlock(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

function readHolderPid(file: string): number {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof v.pid === 'number' ? v.pid : -1;
  } catch {
    return -1;
  }
}

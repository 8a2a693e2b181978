import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLocked, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  it('refuses a second claim with an error that names the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const lock = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLocked);
      expect(() => lockDataDir(dir)).toThrow(dir);
    } finally {
      lock.release();
    }
  });

  it('can be claimed again after release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    lockDataDir(dir).release();
    const again = lockDataDir(dir);
    again.release();
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    const lock = lockDataDir(dir);
    lock.release();
  });

  it('respects a lock held by a live process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: process.ppid, host: hostname() }));
    expect(() => lockDataDir(dir)).toThrow(/in use by another process \(pid \d+\)/);
  });
});

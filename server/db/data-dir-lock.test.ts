import { spawn } from 'node:child_process';
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

  it('ignores a LOCK file that names a live pid but holds no lock (a crashed container restarts as PID 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: process.pid, host: hostname() }));
    lockDataDir(dir).release();
  });

  it('respects a lock held by another process, naming its pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { lockDataDir } = await import(${JSON.stringify(new URL('./data-dir-lock.ts', import.meta.url).pathname)});
      lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (c: Buffer) => c.toString().includes('locked') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another process \\(pid ${holder.pid}\\)`));
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      // The kernel dropped the dead holder's lock: no clean-up needed.
      lockDataDir(dir).release();
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

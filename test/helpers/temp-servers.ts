import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Throwaway servers live in temp folders that record who started them, so that a run that was
// killed before its teardown (SIGKILL, OOM) cannot leave servers behind for the next run.

/**
 * A new temp folder for a server started by this process; the server must run with its working
 * directory inside it. Orphans of the same kind are first stopped with `orphanSignal`.
 */
export function serverTempDir(prefix: string, orphanSignal: NodeJS.Signals): string {
  reapOrphans(prefix, orphanSignal);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  return dir;
}

/** Records the server's pid in its folder. */
export function recordServerPid(dir: string, pid: number | undefined): void {
  if (pid !== undefined) writeFileSync(join(dir, 'server.pid'), String(pid));
}

/** Stops servers whose starting process is gone, and removes their folders. */
function reapOrphans(prefix: string, signal: NodeJS.Signals): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(prefix)) continue;
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
      if (isAlive(owner)) continue;
      const server = Number(readFileSync(join(dir, 'server.pid'), 'utf8'));
      // Only if the pid still names a process working in this folder (pids get reused).
      if (server > 0 && isAlive(server) && readlinkSync(`/proc/${server}/cwd`).startsWith(dir)) {
        process.kill(server, signal);
      }
    } catch {
      // No pid files, or the server is already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

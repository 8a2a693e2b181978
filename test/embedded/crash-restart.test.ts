import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../server/platform/paths.js';
import { freshStorageTarget } from '../helpers/mode.js';

/**
 * A crash must never keep the data folder locked: the lock is the kernel's (flock), so it goes
 * with the process. Containers are the hard case: the server is PID 1 there, so a pid written in
 * a file always "is alive" after a restart, because it is the new process itself.
 */
interface Started {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

function startServer(dataDir: string, inContainer: boolean): Started {
  const node = [process.execPath, '--import', 'tsx', fromRoot('server', 'main.ts')];
  // --kill-child: SIGKILL to unshare is SIGKILL to the server, PID 1 of its own namespace.
  const [cmd, ...args] = inContainer ? ['unshare', '--pid', '--kill-child', ...node] : node;
  const child = spawn(cmd!, args, {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CACHE_DIR: join(tmpdir(), 'wxdesk-test-cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves when the server logs that it listens; rejects if it exits first. */
async function listening(s: Started): Promise<void> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    if (/listening on http/.test(s.output())) return;
    if (s.child.exitCode !== null) throw new Error(`the server exited (${s.child.exitCode}) before listening:\n${s.output().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`the server did not listen in time:\n${s.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restart after kill -9', () => {
  it.each([
    ['a plain process', false],
    ['PID 1 of a container (unshare --pid)', true],
  ])('starts again at once as %s', async (_name, inContainer) => {
    const { dataDir } = await freshStorageTarget();
    let server = startServer(dataDir!, inContainer);
    try {
      await listening(server);
      for (let restart = 0; restart < 2; restart++) {
        // No waiting for the old process to be reaped: an operator's or supervisor's restart is immediate.
        server.child.kill('SIGKILL');
        server = startServer(dataDir!, inContainer);
        await listening(server);
      }
      expect(server.output()).not.toContain('is in use');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }, 120_000);
});

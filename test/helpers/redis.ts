import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';
import { exited, sleep, stopChild, tailOf } from './child-process.js';
import { recordServerPid, serverTempDir } from './temp-servers.js';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server on a free port: no persistence, bound to 127.0.0.1. */
export async function startRedis(): Promise<RunningRedis> {
  const dir = serverTempDir('wsd-test-redis-', 'SIGKILL');
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  recordServerPid(dir, child.pid);
  const tail = tailOf(child);
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  const url = `redis://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    await stopChild(child, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForPing(url, child, tail, () => spawnError);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitForPing(
  url: string,
  child: ReturnType<typeof spawn>,
  tail: () => string,
  spawnError: () => Error | undefined,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  let gone = false;
  void exited(child).then(() => (gone = true));
  for (;;) {
    const error = spawnError();
    if (error) throw new Error(`redis-server could not start: ${error.message}`);
    if (gone) throw new Error(`redis-server exited during start:\n${tail()}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        client.disconnect();
        return;
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING: ${String(error)}\n${tail()}`);
    }
    client.disconnect();
    await sleep(30);
  }
}

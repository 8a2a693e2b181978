import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../server/platform/paths.js';
import { exited } from '../helpers/child-process.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { freePort } from '../helpers/ports.js';

describe('while the server starts', () => {
  it('answers 503 instead of leaving a request hanging, then becomes ready', async () => {
    const storage = await freshStorageTarget();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('server', 'main.ts')], {
      env: { ...process.env, DATA_DIR: storage.dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const statuses = new Set<number>();
    try {
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        try {
          // Every answer must come quickly: a request accepted during start-up must not hang.
          const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) });
          statuses.add(r.status);
          if (r.status === 200) break;
        } catch (err) {
          if ((err as Error).name === 'TimeoutError') throw new Error('a request hung during start-up');
          // ECONNREFUSED: not listening yet
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(statuses.has(200)).toBe(true);
      expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
});

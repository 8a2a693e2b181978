import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listMessagesByOpenid } from '../../server/chat/conversations.repo.js';
import type { Bot } from '../../server/chat/ports.js';
import { fromRoot } from '../../server/platform/paths.js';
import { lockDataDir } from '../../server/db/data-dir-lock.js';
import { exited, tailOf } from '../helpers/child-process.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { freePort } from '../helpers/ports.js';
import { startTestServer } from '../helpers/server.js';
import { credentialsEnv, startStandaloneSimulator } from '../helpers/simulator.js';

describe('shutting down', () => {
  it('finishes a push in flight before closing the database', async () => {
    const storage = await freshStorageTarget();
    const slow: Bot = { answer: async () => (await new Promise((r) => setTimeout(r, 600)), { text: '慢慢来的答复' }) };
    const server = await startTestServer(storage, { overrides: { bot: slow } });
    const openid = server.simulator!.platform.addUser().openid;
    const driver = server.simulator!.driver;
    const inFlight = driver.sendRaw(driver.encode(driver.build.text(openid, '关机前的问题')));
    await new Promise((r) => setTimeout(r, 150));
    const closed = server.close();
    const r = await inFlight;
    await closed;
    expect(r.status).toBe(200);
    expect(r.body).toContain('慢慢来的答复');
    const again = await startTestServer(storage);
    try {
      const history = await listMessagesByOpenid(again.database.db, openid);
      expect(history.map((m) => m.content)).toEqual(['关机前的问题', '慢慢来的答复']);
    } finally {
      await again.close();
    }
  });

  it('exits cleanly on SIGTERM, releasing the data folder, and the next start sees the data', async () => {
    const storage = await freshStorageTarget();
    const port = await freePort();
    const sim = await startStandaloneSimulator(`http://127.0.0.1:${port}/wechat`);
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('server', 'main.ts')], {
      env: { ...process.env, ...credentialsEnv(sim), DATA_DIR: storage.dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = tailOf(child, 20_000);
    try {
      await waitForReady(`http://127.0.0.1:${port}/readyz`, output);
      const openid = sim.platform.addUser().openid;
      const r = await sim.driver.send(sim.driver.build.text(openid, 'SIGTERM 之前'));
      expect(r.status).toBe(200);
      child.kill('SIGTERM');
      await exited(child);
      expect(child.exitCode).toBe(0);
      // The flock went with the process: the folder can be claimed at once.
      expect(() => lockDataDir(storage.dataDir!).release()).not.toThrow();
      // The log is JSON, never holds the secret or the raw openid.
      expect(output()).toContain('"msg":"stopped"');
      expect(output()).not.toContain(sim.credentials.appSecret);
      expect(output()).not.toContain(openid);

      const again = await startTestServer(storage, { env: credentialsEnv(sim) });
      try {
        expect((await listMessagesByOpenid(again.database.db, openid)).map((m) => m.content)[0]).toBe('SIGTERM 之前');
      } finally {
        await again.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await sim.stop();
    }
  });
});

async function waitForReady(url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not become ready:\n${output()}`);
}

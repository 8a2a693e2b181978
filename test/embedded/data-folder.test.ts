import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listMessagesByOpenid } from '../../server/chat/conversations.repo.js';
import { fromRoot } from '../../server/platform/paths.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** Embedded mode: the data folder belongs to one process, and survives restarts. */
describe('the embedded data folder', () => {
  it('refuses a second server on the same folder with an error that names it', async () => {
    const storage = await freshStorageTarget();
    const first = await startTestServer(storage);
    try {
      await expect(startTestServer(storage)).rejects.toThrow(storage.dataDir!);
      // A separate process gets the same clear refusal, and exits without touching the data.
      const child = spawnSync(process.execPath, ['--import', 'tsx', fromRoot('server', 'main.ts')], {
        env: { ...process.env, DATA_DIR: storage.dataDir, PORT: '0', LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(child.status).toBe(3);
      expect(child.stderr).toContain(`The data folder ${storage.dataDir} is in use`);
      // The first server still works.
      const r = await first.simulator!.driver.send(first.simulator!.driver.build.text(first.simulator!.platform.addUser().openid, '还在吗'));
      expect(r.status).toBe(200);
    } finally {
      await first.close();
    }
  });

  it('keeps every message across a restart', async () => {
    const storage = await freshStorageTarget();
    let server = await startTestServer(storage);
    const openid = server.simulator!.platform.addUser().openid;
    await server.simulator!.driver.send(server.simulator!.driver.build.text(openid, '重启前'));
    await server.close();
    server = await startTestServer(storage);
    try {
      const history = await listMessagesByOpenid(server.database.db, openid);
      expect(history.map((m) => m.content)[0]).toBe('重启前');
      expect(history).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** The simulator's WeChat users and chats survive a restart of the embedded server, in its data folder. */
describe('the simulator state in the data folder', () => {
  it('keeps the users, their chats and SMS across a restart, without seeding a second set of users', async () => {
    const storage = await freshStorageTarget();
    if (!storage.dataDir) throw new Error('embedded mode only');
    const first = await startTestServer(storage);
    const sim = first.simulator!;
    const seeded = sim.platform.users().length;
    const user = sim.platform.addUser({ nickname: '持久用户' });
    const r = await sim.driver.send(sim.driver.build.text(user.openid, '你好'));
    expect(r.status).toBe(200);
    sim.platform.notify('【模拟短信】验证码 123456（13800000000）', user.openid);
    const chat = sim.platform.timeline(user.openid).map((e) => e.text);
    expect(chat).toContain('你好');
    await first.close();
    expect(JSON.parse(readFileSync(join(storage.dataDir, 'simulator.json'), 'utf8')).users).toHaveLength(seeded + 1);

    const second = await startTestServer(storage);
    try {
      const again = second.simulator!.platform;
      expect(again.users()).toHaveLength(seeded + 1);
      expect(again.user(user.openid)?.nickname).toBe('持久用户');
      expect(again.timeline(user.openid).map((e) => e.text)).toEqual(chat);
      expect(again.notices(user.openid).map((n) => n.text)).toContain('【模拟短信】验证码 123456（13800000000）');
      // New entries continue the numbering: the page merges entries by id.
      const before = Math.max(...again.timeline(user.openid).map((e) => e.id));
      await second.simulator!.driver.send(second.simulator!.driver.build.text(user.openid, '又来了'));
      expect(again.timeline(user.openid).at(-1)!.id).toBeGreaterThan(before);
    } finally {
      await second.close();
    }
  });

  it('starts with fresh users when the saved file is damaged', async () => {
    const storage = await freshStorageTarget();
    if (!storage.dataDir) throw new Error('embedded mode only');
    writeFileSync(join(storage.dataDir, 'simulator.json'), '{not json');
    const server = await startTestServer(storage);
    try {
      expect(server.simulator!.platform.users().length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

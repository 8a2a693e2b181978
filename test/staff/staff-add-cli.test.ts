import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client.js';
import { lockDataDir } from '../../server/db/data-dir-lock.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { fromRoot } from '../../server/platform/paths.js';
import { freshStorageTarget } from '../helpers/mode.js';

/** Runs `npm run staff:add` as npm would (node --import tsx scripts/staff-add.ts), with only the given storage settings. */
function staffAdd(args: string[], storage: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/staff-add.ts', ...args], {
      cwd: fromRoot(),
      // Empty values win over a developer's .env (dotenv does not override what is set).
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: mkdtempSync(join(tmpdir(), 'staff-add-unused-')), DATABASE_URL: '', REDIS_URL: '', WECHAT_APPID: '', WECHAT_APPSECRET: '', WECHAT_TOKEN: '', WECHAT_AES_KEY: '', ...storage },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const ADD = ['--username', 'li.lei', '--password', 'cli-pass-123', '--role', 'technician', '--name', '李雷', '--max', '3'];

describe('npm run staff:add', () => {
  const locks: Array<{ release(): void }> = [];
  afterAll(() => locks.forEach((l) => l.release()));

  it('refuses while a running server holds the embedded data folder, naming the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'staff-add-locked-'));
    locks.push(lockDataDir(dir)); // this test process plays the running server
    const r = await staffAdd(ADD, { DATA_DIR: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(dir);
    expect(r.stderr).toContain('停止服务器');
    expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stdout).not.toContain('已创建');
  });

  it('creates an account with the server configuration, then refuses the same username', async () => {
    const target = await freshStorageTarget();
    const storage: Record<string, string> = target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : { DATA_DIR: target.dataDir! };
    const created = await staffAdd(ADD, storage);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('已创建账号 li.lei');
    expect(created.stdout).not.toContain('cli-pass-123');

    const again = await staffAdd(ADD, storage);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('用户名 li.lei 已存在');

    const database = await openDatabase(target);
    try {
      expect(await new StaffAccounts(database.db).authenticate('li.lei', 'cli-pass-123')).toMatchObject({ role: 'technician', displayName: '李雷' });
    } finally {
      await database.close();
    }
  });

  it('refuses a role that does not exist, and names the valid ones', async () => {
    const r = await staffAdd(['--username', 'x1x', '--password', 'long-enough', '--role', 'boss', '--name', 'X'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'staff-add-role-')) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('无效的角色 "boss"');
    expect(r.stderr).toContain('agent / technician / admin');
  });
});

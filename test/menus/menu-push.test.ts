import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsEnv, startStandaloneSimulator, type StandaloneSimulator } from '../helpers/simulator.js';

/** Runs the CLI without blocking the event loop (the simulator answers it from this process). */
function run(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/menu-push.ts'], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run menu:push', () => {
  let sim: StandaloneSimulator;
  beforeAll(async () => {
    sim = await startStandaloneSimulator('http://127.0.0.1:9/wechat');
  });
  afterAll(() => sim.stop());

  it('creates the menu on the account, every page link through the silent login', async () => {
    const r = await run({ ...credentialsEnv(sim), PUBLIC_BASE_URL: 'https://kf.example.com', DATA_DIR: mkdtempSync(join(tmpdir(), 'menu-push-')) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/菜单已创建：3 个一级菜单/);
    const stored = sim.platform.getMenu() as { menu: { button: Array<{ name: string; sub_button?: Array<{ type: string; name: string; url?: string; key?: string }> }> } };
    const subs = stored.menu.button.flatMap((b) => b.sub_button ?? []);
    const profile = subs.find((b) => b.name === '个人中心');
    expect(profile?.url).toMatch(/^https:\/\/kf\.example\.com\/auth\/wechat\?to=/);
    expect(subs.find((b) => b.name === '微客服')).toMatchObject({ type: 'click', key: 'KF_CHAT' });
  });

  it('explains what is missing without credentials', async () => {
    const r = await run({ DATA_DIR: mkdtempSync(join(tmpdir(), 'menu-push-')) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/未配置 WECHAT_APPID/);
  });
});

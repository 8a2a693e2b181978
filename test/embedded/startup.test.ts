import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../server/platform/paths.js';
import { freshStorageTarget } from '../helpers/mode.js';

describe('start-up with a bad configuration', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 0 to 65535'],
    [{ WECHAT_AES_KEY: 'short', WECHAT_APPID: 'wx1', WECHAT_APPSECRET: 's', WECHAT_TOKEN: 'tok' }, 'WECHAT_AES_KEY must be exactly 43 characters'],
    [{ WECHAT_APPID: 'wx1' }, 'WECHAT_APPSECRET is required'],
  ])('stops with a message that names the variable (%j)', async (env, message) => {
    const storage = await freshStorageTarget();
    const r = spawnSync(process.execPath, ['--import', 'tsx', fromRoot('server', 'main.ts')], {
      env: { ...process.env, DATA_DIR: storage.dataDir, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('    at '); // a message, not a stack trace
  });
});

describe('the .env file', () => {
  it('is read from the working folder when present', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
    writeFileSync(join(dir, '.env'), 'PORT=not-a-port\n');
    const env = { ...process.env };
    delete env.PORT;
    // tsx by absolute URL: the working folder is not the repository.
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    const tsx = pathToFileURL(createRequire(fromRoot('package.json')).resolve('tsx')).href;
    const r = spawnSync(process.execPath, ['--import', tsx, fromRoot('server', 'main.ts')], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT must be a whole number');
  });
});

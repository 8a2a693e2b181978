import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const creds = { WECHAT_APPID: 'wx123', WECHAT_APPSECRET: 'secret', WECHAT_TOKEN: 'token123' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('uses the documented defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', maxSkewS: 300, apiBase: 'https://api.weixin.qq.com', oauthBase: 'https://open.weixin.qq.com' });
    expect(c.wechat).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
    expect(c.maintenance).toEqual({ pushLogRetentionH: 24, everyMs: 3_600_000 });
  });

  it('reads credentials and the AES key', () => {
    const c = loadConfig({ ...creds, WECHAT_AES_KEY: 'a'.repeat(43) });
    expect(c.wechat).toEqual({ appId: 'wx123', appSecret: 'secret', token: 'token123', aesKey: 'a'.repeat(43) });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ WECHAT_MAX_SKEW_S: '-1' }, 'WECHAT_MAX_SKEW_S'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ WECHAT_API_BASE: 'ftp://x' }, 'WECHAT_API_BASE'],
    [{ ...creds, WECHAT_AES_KEY: 'short' }, 'WECHAT_AES_KEY'],
    [{ WECHAT_APPID: 'wx1' }, 'WECHAT_APPSECRET'],
    [{ WECHAT_APPID: 'wx1' }, 'WECHAT_TOKEN'],
    [{ PUSH_LOG_RETENTION_H: '0' }, 'PUSH_LOG_RETENTION_H'],
    [{ DB_MAINTENANCE_MS: 'hourly' }, 'DB_MAINTENANCE_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    const found = problems(env as Record<string, string>);
    expect(found.some((p) => p.startsWith(`${variable}:`))).toBe(true);
  });

  it('treats empty strings as unset, as .env files often leave them', () => {
    expect(loadConfig({ DATABASE_URL: '', WECHAT_APPID: '' }).databaseUrl).toBeUndefined();
  });

  it('never echoes the secret in its message', () => {
    const found = problems({ WECHAT_APPID: 'wx1', WECHAT_APPSECRET: 'TOPSECRETVALUE' });
    expect(found.join('\n')).not.toContain('TOPSECRETVALUE');
  });
});

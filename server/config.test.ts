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
    // With an EncodingAESKey the default is 安全模式, as on the platform's settings page.
    expect(c.wechat).toEqual({ appId: 'wx123', appSecret: 'secret', token: 'token123', aesKey: 'a'.repeat(43), encryptMode: 'safe' });
    expect(loadConfig(creds).wechat?.encryptMode).toBe('plain');
    expect(loadConfig({ ...creds, WECHAT_AES_KEY: 'a'.repeat(43), WECHAT_ENCRYPT_MODE: 'compatible' }).wechat?.encryptMode).toBe('compatible');
  });

  describe('the simulator and where the server listens', () => {
    it('runs the simulator in embedded mode without credentials, on 127.0.0.1, and says why', () => {
      const c = loadConfig({});
      expect(c.simulator).toBe(true);
      expect(c.host).toBe('127.0.0.1');
      expect(c.hostReason).toMatch(/simulator/);
    });

    it('keeps an explicit HOST, and listens everywhere with real credentials', () => {
      expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({ host: '0.0.0.0', hostReason: undefined, simulator: true });
      expect(loadConfig(creds)).toMatchObject({ host: '0.0.0.0', simulator: false });
    });

    it('refuses server mode without credentials unless SIMULATOR=1', () => {
      expect(problems({ DATABASE_URL: 'postgres://x/y' }).join('\n')).toMatch(/^WECHAT_APPID: .*SIMULATOR=1/);
      expect(loadConfig({ DATABASE_URL: 'postgres://x/y', SIMULATOR: '1' }).simulator).toBe(true);
      // Command-line tools never serve the simulator: they only need the database.
      expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }, { tool: true }).databaseUrl).toBe('postgres://x/y');
    });

    it('refuses NODE_ENV=production without credentials, even with SIMULATOR=1', () => {
      expect(problems({ NODE_ENV: 'production' }).join('\n')).toMatch(/production needs real WeChat credentials/);
      expect(problems({ NODE_ENV: 'production', SIMULATOR: '1' }).join('\n')).toMatch(/production/);
      expect(loadConfig({ NODE_ENV: 'production', ...creds }).production).toBe(true);
    });
  });

  it('reads TRUST_PROXY as off or a hop count', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(problems({ TRUST_PROXY: 'yes' }).some((p) => p.startsWith('TRUST_PROXY:'))).toBe(true);
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
    [{ ...creds, WECHAT_ENCRYPT_MODE: 'safe' }, 'WECHAT_ENCRYPT_MODE'],
    [{ ...creds, WECHAT_ENCRYPT_MODE: 'aes' }, 'WECHAT_ENCRYPT_MODE'],
    [{ SIMULATOR: 'yes' }, 'SIMULATOR'],
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

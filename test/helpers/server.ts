import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.js';
import { silentLogger } from '../../server/platform/logger.js';
import { startServer, type Running, type ServerOverrides } from '../../server/runtime.js';
import type { StorageTarget } from './mode.js';

/**
 * Starts the whole server, for real, on an ephemeral port, with the storage of the
 * current test mode. Without `env` WeChat credentials the built-in simulator runs too.
 */
export async function startTestServer(
  storage: StorageTarget,
  opts: { env?: Record<string, string>; overrides?: ServerOverrides } = {},
): Promise<Running> {
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Server mode runs the simulator only when asked (tests with real-looking credentials ignore it).
    SIMULATOR: '1',
    // One trained NLU model for the whole run instead of one per data folder.
    CACHE_DIR: join(tmpdir(), 'wxdesk-test-cache'),
    ...(storage.dataDir ? { DATA_DIR: storage.dataDir } : { DATABASE_URL: storage.databaseUrl, REDIS_URL: storage.redisUrl }),
    ...opts.env,
  });
  return startServer(config, silentLogger, opts.overrides);
}

/**
 * A new WeChat user of the server's built-in simulator: `ask` sends a text push and returns
 * the passive reply's text, failing unless WeChat got HTTP 200.
 */
export function simulatedUser(server: Running): { openid: string; ask(text: string): Promise<string> } {
  const sim = server.simulator;
  if (!sim) throw new Error('the server runs no simulator');
  const openid = sim.platform.addUser().openid;
  return {
    openid,
    async ask(text) {
      const r = await sim.driver.send(sim.driver.build.text(openid, text));
      if (r.status !== 200) throw new Error(`the push was answered with HTTP ${r.status}`);
      return String(r.reply?.Content ?? '');
    },
  };
}

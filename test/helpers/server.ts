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

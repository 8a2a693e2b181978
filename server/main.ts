import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLocked } from './db/data-dir-lock.js';
import { createLogger } from './platform/logger.js';
import { startServer } from './runtime.js';

/** The only place that reads the environment. */
async function main(): Promise<void> {
  if (existsSync('.env')) loadDotenv({ path: '.env', quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const t0 = performance.now();
  let running;
  try {
    running = await startServer(config, logger);
  } catch (err) {
    if (err instanceof DataDirLocked) {
      process.stderr.write(`${err.message}\n`);
      process.exit(3);
    }
    logger.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
  logger.info(
    { port: running.port, storage: running.database.kind, startMs: Math.round(performance.now() - t0), simulator: Boolean(running.simulator) },
    `listening on http://localhost:${running.port}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

void main();

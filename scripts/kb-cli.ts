import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { openDatabase, type Database } from '../server/db/client.js';
import { DataDirLocked } from '../server/db/data-dir-lock.js';
import { createLocalBus, createRedisBus, type Bus } from '../server/platform/bus.js';

/**
 * What the knowledge-base CLIs share: the configuration (environment and .env, as the server),
 * the database, and a bus. In server mode the bus is Redis, so that 'knowledge.changed' reaches
 * the running instances and they reload their index.
 */
export interface KbCli {
  config: Config;
  database: Database;
  bus: Bus;
  close(): Promise<void>;
}

export async function openKbCli(): Promise<KbCli> {
  if (existsSync('.env')) loadDotenv({ path: '.env', quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
  let database: Database;
  try {
    database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLocked) {
      fail(
        `数据目录 ${err.dir} 正被另一个进程（pid ${err.pid}）使用，多半是正在运行的服务器。\n` +
          `嵌入式数据库同一时间只能由一个进程打开：请在管理台的“知识库 → 导入/导出”页面操作，或先停止服务器再运行本命令。\n` +
          `(${err.message})`,
        3,
      );
    }
    throw err;
  }
  let redis: Redis | undefined;
  let bus: Bus;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
    bus = await createRedisBus(redis);
  } else {
    bus = createLocalBus();
  }
  return {
    config,
    database,
    bus,
    async close() {
      await bus.close();
      redis?.disconnect();
      await database.close();
    },
  };
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

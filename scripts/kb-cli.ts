import { Redis } from 'ioredis';
import type { Config } from '../server/config.js';
import type { Database } from '../server/db/client.js';
import { fail, loadCliConfig, openCliDatabase } from './cli-storage.js';
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
  const config = loadCliConfig();
  const database = await openCliDatabase(config, '请在管理台的“知识库 → 导入/导出”页面操作，或先停止服务器再运行本命令。');
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

export { fail };

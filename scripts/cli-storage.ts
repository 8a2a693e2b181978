import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { openDatabase, type Database } from '../server/db/client.js';
import { DataDirLocked } from '../server/db/data-dir-lock.js';

/**
 * What every command-line tool shares with the server: the configuration (environment and
 * .env) and the database it names. Exit codes: 2 bad configuration, 3 the embedded data
 * folder is held by a running server (the message names the folder and what to do instead).
 */
export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function loadCliConfig(): Config {
  if (existsSync('.env')) loadDotenv({ path: '.env', quiet: true });
  try {
    return loadConfig(process.env, { tool: true });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
}

/** `whatInstead` tells the user how to do the same while the server runs. */
export async function openCliDatabase(config: Config, whatInstead: string): Promise<Database> {
  try {
    return await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLocked) {
      fail(
        `${err.message}\n` +
          `数据目录 ${err.dir} 正被另一个进程（pid ${err.pid}）使用，多半是正在运行的服务器；嵌入式数据库同一时间只能由一个进程打开。\n` +
          whatInstead,
        3,
      );
    }
    fail(`无法打开数据库: ${(err as Error).message}`);
  }
}

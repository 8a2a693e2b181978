import type { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import type { Job } from '../platform/module.js';
import { createWeChatApi } from './api-client.js';
import type { EncryptMode } from './edge.js';
import { readMenuFile, resolveMenu } from './menu.js';
import { DbReplayGuard } from './replay-guard-db.js';
import { redisReplayGuard } from './replay-guard-redis.js';
import type { ReplayGuard } from './replay-guard.js';
import { dbTokenStore, redisTokenStore } from './token-manager.js';

export interface WeChatDeps {
  credentials: { appId: string; appSecret: string; token: string; aesKey?: string; encryptMode: EncryptMode };
  /** The API's base: WeChat's, or the simulator's. */
  apiBase: string;
  database: Database;
  logger: Logger;
  /** Server mode: the access token and the signed queries are kept in Redis. */
  redis?: Redis;
  /** The deployment's Redis namespace (platform/redis-namespace.ts). */
  namespace: string;
  /** How far a push's timestamp may be from our clock (seconds). */
  maxSkewS: number;
}

/**
 * The WeChat account: its API client (the access token shared by every instance) and what the
 * push edge needs (credentials, the replay guard). Without Redis the signed queries are kept in
 * the database by a job that writes them behind.
 */
export async function wechatModule(deps: WeChatDeps) {
  const { credentials, database, redis, namespace } = deps;
  const tokenStore = redis ? redisTokenStore(redis, credentials.appId, undefined, namespace) : dbTokenStore(database, credentials.appId);
  const api = createWeChatApi({ appId: credentials.appId, appSecret: credentials.appSecret, apiBase: deps.apiBase, tokenStore });
  const jobs: Job[] = [];
  // Signed queries are remembered where every instance sees them: Redis, or else the database.
  let replayGuard: ReplayGuard;
  if (redis) {
    replayGuard = redisReplayGuard(redis, `${namespace}:wechat:nonce:`);
  } else {
    const stored = new DbReplayGuard({ db: database.db, shared: database.kind === 'postgres', logger: deps.logger });
    await stored.load();
    jobs.push(stored);
    replayGuard = stored;
  }
  return {
    api,
    /** For createApp's wechat: the push edge's settings. */
    edge: {
      token: credentials.token,
      appId: credentials.appId,
      aesKey: credentials.aesKey,
      encryptMode: credentials.encryptMode,
      maxSkewS: deps.maxSkewS,
      replayGuard,
    },
    jobs,
    /** Gives the account the custom menu of menus/menu.json, as `npm run menu:push` does. */
    async pushMenu(publicBaseUrl: string): Promise<void> {
      await api.createMenu(resolveMenu(await readMenuFile(), { publicBaseUrl }));
    },
  };
}

export type WeChatModule = Awaited<ReturnType<typeof wechatModule>>;

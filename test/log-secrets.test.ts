import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/client.js';
import { createLogger } from '../server/platform/logger.js';
import { startServer } from '../server/runtime.js';
import { createWeChatApi } from '../server/wechat/api-client.js';
import { dbTokenStore } from '../server/wechat/token-manager.js';
import { freshStorageTarget } from './helpers/mode.js';
import { until } from './helpers/until.js';

/** A pino logger whose lines are kept, to read what would have been written. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), text: () => lines.join('') };
}

const TOKEN = 'ACCESS_TOKEN_6f1e0c9a7b';
const SECRET = 'APPSECRET_d41d8cd98f00b2';

describe('logs never carry tokens, openids or message contents', () => {
  let upstream: Server;
  let upstreamUrl: string;
  beforeAll(async () => {
    // A WeChat API that hands out a token and then fails every send with HTTP 500.
    upstream = createServer((req, res) => {
      if (req.url?.startsWith('/cgi-bin/token') || req.url?.startsWith('/cgi-bin/stable_token')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, expires_in: 7200 }));
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

  it('a custom send answered with HTTP 500 logs no access_token nor AppSecret', async () => {
    const database = await openDatabase(await freshStorageTarget() as never);
    try {
      const api = createWeChatApi({ appId: 'wxlogtest0000001', appSecret: SECRET, apiBase: upstreamUrl, tokenStore: dbTokenStore(database, 'wxlogtest0000001') });
      const err = await api.sendText('oLOGTEST0000000000000000001', '你好').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const { logger, text } = capturingLogger();
      // Both ways the code base logs a failure: the error, and its message as a string.
      logger.error({ err }, 'outbox send failed');
      logger.warn({ err: (err as Error).message }, 'outbox send failed; will retry');
      logger.warn(`send failed: ${(err as Error).message}`);
      expect(text()).toContain('outbox send failed');
      expect(text()).not.toContain(TOKEN);
      expect(text()).not.toContain(SECRET);
    } finally {
      await database.close();
    }
  });

  it('a failed statement logs neither its openid nor its text', async () => {
    const database = await openDatabase(await freshStorageTarget() as never);
    try {
      const openid = 'oSECRETOPENID0000000000000x';
      const content = '我的银行卡号是6222020000000000';
      const err = await database.db
        .execute(sql`insert into messages (conversation_id, openid, direction, content) values (${-1}, ${openid}, ${'in'}, ${content})`)
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const { logger, text } = capturingLogger();
      logger.error({ err }, 'push failed');
      logger.error({ err: (err as Error).message }, 'push failed');
      expect(text()).toContain('push failed');
      expect(text()).not.toContain(openid);
      expect(text()).not.toContain(content);
    } finally {
      await database.close();
    }
  });

  it('a push whose statement fails on the real push path logs no openid nor content', async () => {
    const storage = await freshStorageTarget();
    const { logger, text } = capturingLogger();
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', SIMULATOR: '1', LOG_LEVEL: 'info',
      ...(storage.dataDir ? { DATA_DIR: storage.dataDir } : { DATABASE_URL: storage.databaseUrl, REDIS_URL: storage.redisUrl }),
    });
    const server = await startServer(config, logger);
    try {
      // Force the inbound write to fail for this one message, as a broken database would.
      await server.database.db.execute(sql.raw(`alter table messages add constraint no_boom check (content not like '%BOOM%')`));
      const openid = server.simulator!.platform.addUser().openid;
      const content = 'BOOM 我的身份证号码是110101199003074518';
      await server.simulator!.driver.send(server.simulator!.driver.build.text(openid, content));
      await until(() => /"level":50/.test(text()), () => text().slice(-500));
      expect(text()).not.toContain(openid);
      expect(text()).not.toContain('110101199003074518');
    } finally {
      await server.close();
    }
  });
});

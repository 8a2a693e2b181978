import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApp } from './app.js';
import { kbAdminService } from './kb/kb-admin.adapter.js';
import { startBot } from './bot/start.js';
import { PushHandler } from './chat/push-handler.js';
import { ConversationRouter } from './chat/router.js';
import { accountsModule } from './accounts/accounts.module.js';
import { seedDemoUnits } from './accounts/seed.js';
import type { Config, WeChatCredentials } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { seedCannedReplies } from './desk/canned.js';
import { DeskCore } from './desk/desk.core.js';
import { DeskHumanService } from './desk/desk-human-service.js';
import { DeskService } from './desk/desk.service.js';
import { DeskSweeper } from './desk/sweeper.js';
import { Maintenance } from './db/maintenance.js';
import { outboxModule } from './outbox/outbox.module.js';
import type { OutboxWorker } from './outbox/outbox.worker.js';
import { unsubscribeAll } from './platform/module.js';
import { createLocalBus, createRedisBus, type Bus } from './platform/bus.js';
import { redisNamespace } from './platform/redis-namespace.js';
import type { Logger } from './platform/logger.js';
import { H5_LOGIN_RULES, LoginGuard, STAFF_LOGIN_RULES } from './platform/login-throttle.js';
import { StaffSessions } from './staff/sessions.js';
import { createDeskHub } from './desk/desk.ws.js';
import { StaffAccounts } from './staff/staff.service.js';
import { createWeChatApi, type WeChatApi } from './wechat/api-client.js';
import { readMenuFile, resolveMenu } from './wechat/menu.js';
import { dbTokenStore, redisTokenStore } from './wechat/token-manager.js';
import { DbReplayGuard } from './wechat/replay-guard-db.js';
import { redisReplayGuard } from './wechat/replay-guard-redis.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.js';
import type { Bot } from './chat/ports.js';
import { simulatedSenders, VerificationCodes, type CodeSenders } from './auth/codes.js';
import { H5Sessions } from './auth/h5-session.js';
import { H5Auth } from './auth/login.service.js';
import { memoryRateLimiter, redisRateLimiter, type RateRule } from './platform/rate-limit.js';

export interface Running {
  url: string;
  port: number;
  database: Database;
  bus: Bus;
  api: WeChatApi;
  outbox: OutboxWorker;
  /** The human service's shared moves and its timeout sweeper (tests run a sweep directly). */
  desk: { core: DeskCore; sweeper: DeskSweeper; service: DeskService };
  /** The credentials in use: the configured ones, or the simulator's. */
  wechat: WeChatCredentials;
  simulator?: Simulator;
  /** Stop accepting, finish in-flight pushes and late answers, close storage. */
  close(): Promise<void>;
}

/** Replaceable parts, for tests. */
export interface ServerOverrides {
  bot?: Bot;
  /** The desk's clock (ms): tests move it past the timeouts instead of waiting. */
  deskNow?: () => number;
  simulator?: Partial<SimulatorOptions>;
  /** The H5 login's clock, code senders, and a Redis key prefix for its limits (tests share one Redis). */
  h5?: { now?: () => number; senders?: CodeSenders; redisPrefix?: string };
}

const MINUTE = 60_000;
/** Verification codes: per number or address one a minute and five an hour; per IP twenty an hour. */
const CODE_RULES = { perTargetMinute: { limit: 1, windowMs: MINUTE }, perTargetHour: { limit: 5, windowMs: 60 * MINUTE }, perIp: { limit: 20, windowMs: 60 * MINUTE } };
/** Registration attempts per IP (each checks a code; a wrong one must not be free to repeat). */
const REGISTER_PER_IP: RateRule = { limit: 20, windowMs: 60 * MINUTE };

/**
 * The order of shutdown: end the streams that never finish by themselves (the simulator page's
 * events), stop accepting and finish in-flight requests, then late answers and the outbox, then
 * what they use, and the database last.
 */
const PHASES = ['streams', 'http', 'work', 'bot', 'simulator', 'bus', 'redis', 'storage'] as const;
type Phase = (typeof PHASES)[number];

class Shutdown {
  private readonly steps = new Map<Phase, Array<() => Promise<unknown>>>();
  add(phase: Phase, step: () => Promise<unknown>): void {
    this.steps.set(phase, [...(this.steps.get(phase) ?? []), step]);
  }
  async run(): Promise<void> {
    for (const phase of PHASES) {
      for (const step of this.steps.get(phase) ?? []) {
        try {
          await step();
        } catch {
          /* keep closing the rest */
        }
      }
    }
  }
}

/**
 * Builds every dependency from the configuration and listens. The simulator starts
 * when no real WeChat credentials are configured; the API client then talks to it.
 */
export async function startServer(config: Config, logger: Logger, overrides: ServerOverrides = {}): Promise<Running> {
  const database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  const shutdown = new Shutdown();
  shutdown.add('storage', () => database.close());
  try {
    const onBusError = (err: unknown, event: string) => logger.error({ err, event }, 'event handler failed');
    // Every Redis key and channel of this deployment (instances on one database share it).
    const namespace = redisNamespace(config.databaseUrl);
    let redis: Redis | undefined;
    let bus: Bus;
    if (config.redisUrl) {
      const r = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
      redis = r;
      r.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
      await r.connect();
      shutdown.add('redis', () => r.quit().catch(() => r.disconnect()));
      bus = await createRedisBus(r, onBusError, namespace);
    } else {
      bus = createLocalBus(onBusError);
    }
    shutdown.add('bus', () => bus.close());

    // The desk's WebSocket hub (WS /api/desk/ws) rides on the HTTP server's upgrade. Its sockets
    // close first at shutdown: an open WebSocket would keep server.close() waiting.
    const sessions = new StaffSessions(database.db, Date.now, bus);
    const deskHub = createDeskHub({ db: database.db, bus, sessions, logger });
    shutdown.add('http', () => deskHub.close());

    // Listen first: with PORT=0 the simulator needs the real port to push to. Until the app is
    // built, every request gets 503 (a push is retried by WeChat; /readyz is honestly not ready).
    let handle: RequestListener | undefined;
    const server = createServer((req, res) => {
      if (handle) return handle(req, res);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' }).end('503 starting');
    });
    server.on('upgrade', (req, socket, head) => {
      if (!handle || !deskHub.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    shutdown.add('http', () => closeServer(server));
    if (config.hostReason) logger.warn({ host: config.host }, config.hostReason);
    const port = (server.address() as AddressInfo).port;
    const local = `http://127.0.0.1:${port}`;

    let simulator: Simulator | undefined;
    let wechat: WeChatCredentials;
    let apiBase = config.apiBase;
    if (config.wechat) {
      wechat = config.wechat;
    } else {
      wechat = simulatedCredentials();
      // Embedded mode keeps the simulated users and chats beside the database, which keeps its side of them.
      const stateFile = config.databaseUrl ? undefined : join(config.dataDir, 'simulator.json');
      simulator = createSimulator({ ...wechat, pushUrl: `${local}/wechat`, basePath: '/simulator', logger, ...(stateFile ? { stateFile } : {}), ...overrides.simulator });
      const sim = simulator;
      shutdown.add('streams', async () => sim.closeStreams());
      shutdown.add('simulator', () => sim.close());
      apiBase = `${local}/simulator`;
      logger.info({ url: `${config.publicBaseUrl ?? `http://localhost:${port}`}/simulator/` }, 'no WeChat credentials: the WeChat simulator is running');
    }

    const tokenStore = redis ? redisTokenStore(redis, wechat.appId, undefined, namespace) : dbTokenStore(database, wechat.appId);
    const api = createWeChatApi({ appId: wechat.appId, appSecret: wechat.appSecret, apiBase, tokenStore });
    const publicBaseUrl = config.publicBaseUrl ?? `http://localhost:${port}`;
    const deskCore = new DeskCore({ db: database.db, bus, logger, config: config.desk, publicBaseUrl, now: overrides.deskNow });
    const human = new DeskHumanService(deskCore);
    const deskService = new DeskService(deskCore, api, logger);
    const sweeper = new DeskSweeper(deskCore, logger);
    await seedCannedReplies(database.db);
    // Demo units so that 服务编码 can be tried: embedded mode with the simulator only (seed.ts checks the database is empty).
    if (simulator && !config.databaseUrl) await seedDemoUnits(database.db);
    const accounts = accountsModule({
      db: database.db, api, logger, redis,
      redisPrefix: `${namespace}:h5:service-code:`,
      profileUrl: `${publicBaseUrl}/auth/wechat?to=${encodeURIComponent('/h5/#/home/profile/applications')}`,
    });
    let bot = overrides.bot;
    if (!bot) {
      const started = await startBot({ db: database.db, bus, logger, cacheDir: resolve(config.cacheDir), publicBaseUrl: config.publicBaseUrl });
      bot = started.bot;
      shutdown.add('bot', () => started.close());
    }
    const router = new ConversationRouter(bot, human, undefined, accounts.chatCommands);
    const pushHandler = new PushHandler({ db: database.db, router, bus, logger, replyBudgetMs: config.replyBudgetMs });
    const outbox = outboxModule({ db: database.db, api, bus, logger });

    const h5Now = overrides.h5?.now ?? Date.now;
    const prefix = overrides.h5?.redisPrefix ?? `${namespace}:h5:`;
    const limiter = (rule: RateRule, name: string) => (redis ? redisRateLimiter(redis, rule, `${prefix}${name}:`, h5Now) : memoryRateLimiter(rule, h5Now));
    const h5Sessions = new H5Sessions(database.db, h5Now);
    const senders = overrides.h5?.senders ?? simulatedSenders(logger, simulator ? (text, openid) => void simulator!.platform.notify(text, openid) : undefined);
    if (senders.sms.simulated && config.wechat) logger.warn('no SMS or e-mail provider: verification codes are only logged (simulated)');
    const codes = new VerificationCodes(
      database.db,
      senders,
      { perTargetMinute: limiter(CODE_RULES.perTargetMinute, 'codes-minute'), perTargetHour: limiter(CODE_RULES.perTargetHour, 'codes-hour'), perIp: limiter(CODE_RULES.perIp, 'codes-ip') },
      h5Now,
    );
    const h5Auth = new H5Auth({
      db: database.db,
      sessions: h5Sessions,
      codes,
      guard: new LoginGuard((rule, name) => limiter(rule, `login-${name}`), H5_LOGIN_RULES),
      registerPerIp: limiter(REGISTER_PER_IP, 'register-ip'),
      logger,
    });

    // Signed queries are remembered where every instance sees them: Redis, or else the database.
    let replayGuard = redis ? redisReplayGuard(redis, `${namespace}:wechat:nonce:`) : undefined;
    if (!replayGuard) {
      const stored = new DbReplayGuard({ db: database.db, shared: database.kind === 'postgres', logger });
      await stored.load();
      stored.start();
      shutdown.add('work', () => stored.stop());
      replayGuard = stored;
    }

    const app = createApp({
      logger,
      database,
      pushHandler,
      wechat: { token: wechat.token, appId: wechat.appId, aesKey: wechat.aesKey, encryptMode: wechat.encryptMode, maxSkewS: config.maxSkewS, replayGuard },
      trustProxy: config.trustProxy,
      publicBaseUrl: config.publicBaseUrl,
      readyChecks: redis ? [async () => void (await redis!.ping())] : [],
      staff: {
        accounts: new StaffAccounts(database.db),
        sessions,
        guard: new LoginGuard(
          (rule, name) => (redis ? redisRateLimiter(redis, rule, `${namespace}:staff:login-${name}:`) : memoryRateLimiter(rule)),
          STAFF_LOGIN_RULES,
        ),
        cookie: { alwaysSecure: !!config.publicBaseUrl?.startsWith('https://') },
        logger,
      },
      kb: kbAdminService({ db: database.db, bus }),
      desk: deskService,
      adminRoutes: accounts.adminRoutes,
      h5: {
        routes: accounts.h5Routes,
        sessions: h5Sessions,
        cookie: { alwaysSecure: !!config.publicBaseUrl?.startsWith('https://') },
        publicBaseUrl: config.publicBaseUrl,
        auth: h5Auth,
        oauth: {
          db: database.db,
          api,
          appId: wechat.appId,
          // The simulator's OAuth pages are on this server: reached at the origin the browser used.
          oauthBase: simulator ? (origin: string) => `${origin}/simulator` : config.oauthBase,
          logger,
        },
      },
      simulator: simulator?.app,
    });
    handle = app.callback();
    for (const job of outbox.jobs) job.start();
    sweeper.start();
    const maintenance = new Maintenance({ db: database.db, kind: database.kind, logger, ...config.maintenance });
    maintenance.start();
    if (simulator) {
      // Give the simulated account the custom menu, as `npm run menu:push` does for a real one.
      readMenuFile()
        .then((menu) => api.createMenu(resolveMenu(menu, { publicBaseUrl })))
        .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'could not create the simulator menu'));
    }
    shutdown.add('work', () => pushHandler.drain());
    shutdown.add('work', () => sweeper.stop());
    for (const job of outbox.jobs) shutdown.add('work', async () => job.stop());
    shutdown.add('work', async () => unsubscribeAll(outbox.listeners));
    shutdown.add('work', () => maintenance.stop());

    let closing: Promise<void> | undefined;
    return {
      url: local,
      port,
      database,
      bus,
      api,
      outbox: outbox.worker,
      desk: { core: deskCore, sweeper, service: deskService },
      wechat,
      simulator,
      close: () => (closing ??= shutdown.run()),
    };
  } catch (err) {
    await shutdown.run();
    throw err;
  }
}

/** Credentials for the simulator: random for each start, never configured by hand. */
function simulatedCredentials(): WeChatCredentials {
  const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
  // 兼容模式: the simulator's page can push plain or encrypted, as the platform's settings allow.
  return { appId: 'wxsimulator0000001', appSecret: alnum(32), token: alnum(32), aesKey: alnum(43), encryptMode: 'compatible' };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

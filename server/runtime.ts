import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.js';
import { accountsModule } from './accounts/accounts.module.js';
import { seedDemoUnits } from './accounts/seed.js';
import { createApp } from './app.js';
import { authModule } from './auth/auth.module.js';
import type { CodeSenders } from './auth/codes.js';
import { botModule } from './bot/bot.module.js';
import { chatModule } from './chat/chat.module.js';
import type { Bot } from './chat/ports.js';
import type { Config, WeChatCredentials } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { Maintenance } from './db/maintenance.js';
import type { DeskCore } from './desk/desk.core.js';
import { deskModule } from './desk/desk.module.js';
import type { DeskService } from './desk/desk.service.js';
import type { DeskSweeper } from './desk/sweeper.js';
import { listen } from './http/listen.js';
import { kbModule } from './kb/kb.module.js';
import { outboxModule } from './outbox/outbox.module.js';
import type { OutboxWorker } from './outbox/outbox.worker.js';
import { createLocalBus, createRedisBus, type Bus } from './platform/bus.js';
import type { Logger } from './platform/logger.js';
import { describeHours } from './desk/hours.js';
import { unsubscribeAll, type Job, type Unsubscribe } from './platform/module.js';
import { closeRedis, connectRedis } from './platform/redis.js';
import { redisNamespace } from './platform/redis-namespace.js';
import { staffModule } from './staff/staff.module.js';
import type { WeChatApi } from './wechat/api-client.js';
import { wechatModule } from './wechat/wechat.module.js';

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

/**
 * The order of shutdown: end the streams that never finish by themselves (the simulator page's
 * events, the desk's sockets), stop accepting and finish in-flight requests, then late answers
 * and the jobs, then what they use, and the database last.
 */
const PHASES = ['streams', 'http', 'work', 'bot', 'simulator', 'bus', 'redis', 'storage'] as const;
type Phase = (typeof PHASES)[number];

class Shutdown {
  private readonly steps = new Map<Phase, Array<() => Promise<unknown>>>();
  add(phase: Phase, step: () => Promise<unknown>): void {
    this.steps.set(phase, [...(this.steps.get(phase) ?? []), step]);
  }
  /** A module's bus subscriptions end in that phase. */
  unsubscribe(phase: Phase, listeners: readonly Unsubscribe[]): void {
    this.add(phase, async () => unsubscribeAll(listeners));
  }
  /** Starts the jobs now; they stop in the 'work' phase, in this order. */
  start(jobs: readonly Job[]): void {
    for (const job of jobs) {
      job.start();
      this.add('work', async () => job.stop());
    }
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
 * Builds every module from the configuration, the infrastructure and the modules below it, and
 * listens. The simulator starts when no real WeChat credentials are configured; the API client
 * then talks to it.
 */
export async function startServer(config: Config, logger: Logger, overrides: ServerOverrides = {}): Promise<Running> {
  const database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  const shutdown = new Shutdown();
  shutdown.add('storage', () => database.close());
  try {
    const { db } = database;
    const onBusError = (err: unknown, event: string) => logger.error({ err, event }, 'event handler failed');
    // Every Redis key and channel of this deployment (instances on one database share it).
    const namespace = redisNamespace(config.databaseUrl);
    let redis: Redis | undefined;
    let bus: Bus;
    if (config.redisUrl) {
      const r = (redis = await connectRedis(config.redisUrl, logger));
      shutdown.add('redis', () => closeRedis(r));
      bus = await createRedisBus(r, onBusError, namespace);
    } else {
      bus = createLocalBus(onBusError);
    }
    shutdown.add('bus', () => bus.close());

    const http = await listen(config.port, config.host);
    shutdown.add('http', () => http.close());
    if (config.hostReason) logger.warn({ host: config.host }, config.hostReason);
    const { port } = http;
    const local = `http://127.0.0.1:${port}`;
    const publicBaseUrl = config.publicBaseUrl ?? `http://localhost:${port}`;
    const secureCookies = { alwaysSecure: !!config.publicBaseUrl?.startsWith('https://') };

    let simulator: Simulator | undefined;
    let credentials: WeChatCredentials;
    let apiBase = config.apiBase;
    if (config.wechat) {
      credentials = config.wechat;
    } else {
      credentials = simulatedCredentials();
      // Embedded mode keeps the simulated users and chats beside the database, which keeps its side of them.
      const stateFile = config.databaseUrl ? undefined : join(config.dataDir, 'simulator.json');
      const sim = (simulator = createSimulator({ ...credentials, pushUrl: `${local}/wechat`, basePath: '/simulator', logger, ...(stateFile ? { stateFile } : {}), ...overrides.simulator }));
      shutdown.add('streams', async () => sim.closeStreams());
      shutdown.add('simulator', () => sim.close());
      apiBase = `${local}/simulator`;
      logger.info({ url: `${publicBaseUrl}/simulator/` }, 'no WeChat credentials: the WeChat simulator is running');
    }

    const wechat = await wechatModule({ credentials, apiBase, database, logger, redis, namespace, maxSkewS: config.maxSkewS });
    const { api } = wechat;
    const staff = staffModule({ db, bus, logger, redis, namespace, cookie: secureCookies });
    const kb = kbModule({ db, bus, offerCandidates: !overrides.bot });
    shutdown.unsubscribe('bot', kb.listeners);
    const outbox = outboxModule({ db, api, bus, logger });
    const desk = await deskModule({ db, bus, logger, api, sessions: staff.sessions, config: config.desk, publicBaseUrl, now: overrides.deskNow });
    shutdown.add('streams', () => desk.hub.close());
    // Demo units so that 服务编码 can be tried: embedded mode with the simulator only (seed.ts checks the database is empty).
    if (simulator && !config.databaseUrl) await seedDemoUnits(db);
    const accounts = accountsModule({
      db, api, logger, redis,
      redisPrefix: `${namespace}:h5:service-code:`,
      profileUrl: `${publicBaseUrl}/auth/wechat?to=${encodeURIComponent('/h5/#/home/profile/applications')}`,
    });
    // Facts that replies state, from the configuration (platform/facts.ts).
    const facts = { hotline: config.hotline, deskHours: describeHours(config.desk.hours, config.desk.timeZone) };
    let bot = overrides.bot;
    if (!bot) {
      const started = await botModule({ db, bus, logger, cacheDir: resolve(config.cacheDir), publicBaseUrl: config.publicBaseUrl });
      bot = started.bot;
      shutdown.add('bot', () => started.close());
    }
    const chat = chatModule({ db, bus, logger, bot, human: desk.human, commands: accounts.chatCommands, replyBudgetMs: config.replyBudgetMs, facts });

    const simulated = simulator;
    const auth = authModule({
      db, api, logger, redis,
      senders: overrides.h5?.senders,
      notify: simulated ? (text, openid) => void simulated.platform.notify(text, openid) : undefined,
      warnIfSimulated: !!config.wechat,
      redisPrefix: overrides.h5?.redisPrefix ?? `${namespace}:h5:`,
      now: overrides.h5?.now,
      cookie: secureCookies,
      publicBaseUrl: config.publicBaseUrl,
      appId: credentials.appId,
      // The simulator's OAuth pages are on this server: reached at the origin the browser used.
      oauthBase: simulator ? (origin: string) => `${origin}/simulator` : config.oauthBase,
    });

    const app = createApp({
      logger,
      database,
      pushHandler: chat.pushHandler,
      wechat: wechat.edge,
      trustProxy: config.trustProxy,
      publicBaseUrl: config.publicBaseUrl,
      readyChecks: redis ? [async () => void (await redis!.ping())] : [],
      staff: { sessions: staff.sessions, cookie: staff.cookie },
      staffRoutes: [...staff.staffRoutes, ...kb.staffRoutes, ...desk.staffRoutes, ...accounts.adminRoutes],
      h5: { sessions: auth.sessions, cookie: auth.cookie, publicBaseUrl: config.publicBaseUrl, routes: [...auth.h5Routes, ...accounts.h5Routes] },
      simulator: simulator?.app,
    });
    http.serve(app.callback(), (req, socket, head) => desk.hub.handleUpgrade(req, socket, head));
    shutdown.start(wechat.jobs);
    shutdown.add('work', () => chat.drain());
    shutdown.start([...desk.jobs, ...outbox.jobs, new Maintenance({ db, kind: database.kind, logger, ...config.maintenance })]);
    shutdown.unsubscribe('work', outbox.listeners);
    if (simulator) {
      // Give the simulated account the custom menu, as `npm run menu:push` does for a real one.
      wechat.pushMenu(publicBaseUrl).catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'could not create the simulator menu'));
    }

    let closing: Promise<void> | undefined;
    return {
      url: local,
      port,
      database,
      bus,
      api,
      outbox: outbox.worker,
      desk: { core: desk.core, sweeper: desk.sweeper, service: desk.service },
      wechat: credentials,
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

import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import type { Job } from '../platform/module.js';
import type { StaffSessions } from '../staff/sessions.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { seedCannedReplies } from './canned.js';
import type { DeskConfig } from './desk.config.js';
import { DeskCore } from './desk.core.js';
import { DeskHumanService } from './desk-human-service.js';
import { deskRoutes } from './desk.routes.js';
import { DeskService } from './desk.service.js';
import { createDeskHub } from './desk.ws.js';
import { DeskSweeper } from './sweeper.js';

export interface DeskDeps {
  db: Db;
  bus: Bus;
  logger: Logger;
  api: Pick<WeChatApi, 'typing'>;
  /** The staff sessions the desk socket is opened with. */
  sessions: StaffSessions;
  config: DeskConfig;
  /** Links the desk sends to customers are made absolute against it. */
  publicBaseUrl: string;
  /** The desk's clock (ms); tests move it past the timeouts. */
  now?: () => number;
}

/**
 * The human service: the shared moves (core), the chat port (human), the agents' API and its
 * realtime hub (WS /api/desk/ws, attached to the HTTP server's 'upgrade'), and the timeout
 * sweeper (a job). Seeds the canned replies on first start.
 */
export async function deskModule(deps: DeskDeps) {
  const { db, bus, logger } = deps;
  const core = new DeskCore({ db, bus, logger, config: deps.config, publicBaseUrl: deps.publicBaseUrl, now: deps.now });
  const human = new DeskHumanService(core);
  const service = new DeskService(core, deps.api, logger);
  const sweeper = new DeskSweeper(core, logger);
  await seedCannedReplies(db);
  // Its sockets are closed before the HTTP server: an open WebSocket would keep server.close() waiting.
  const hub = createDeskHub({ db, bus, sessions: deps.sessions, logger });
  return {
    core,
    human,
    service,
    sweeper,
    hub,
    /** /api/desk/… for the console; staffSession() before it. */
    staffRoutes: [deskRoutes(service)],
    jobs: [sweeper] as Job[],
  };
}

export type DeskModule = Awaited<ReturnType<typeof deskModule>>;

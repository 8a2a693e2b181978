import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import type { Job } from '../platform/module.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { registerOutboxListeners } from './outbox.listeners.js';
import { OutboxWorker } from './outbox.worker.js';

export interface OutboxDeps {
  db: Db;
  api: WeChatApi;
  bus: Bus;
  logger: Logger;
}

/** The customer-service send queue: its worker (a job) and the events that wake it. */
export function outboxModule(deps: OutboxDeps) {
  const worker = new OutboxWorker(deps);
  return {
    worker,
    listeners: registerOutboxListeners(deps.bus, worker),
    jobs: [worker] as Job[],
  };
}

export type OutboxModule = ReturnType<typeof outboxModule>;

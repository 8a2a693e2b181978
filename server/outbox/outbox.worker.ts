import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import { hashOpenid } from '../platform/logger.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { ERR, WeChatApiError } from '../wechat/api-errors.js';
import { MAX_ATTEMPTS, backoffMs, isTransient } from './backoff.js';
import { claimDue, markFailed, markHeld, markRetry, markSent, type DeliveryChange, type OutboxRow } from './outbox.repo.js';

export interface OutboxWorkerOptions {
  db: Db;
  api: WeChatApi;
  bus: Bus;
  logger: Logger;
  pollMs?: number;
  now?: () => number;
}

/** Rows claimed per pass: also the most sends in flight at once. */
const BATCH_SIZE = 32;

/**
 * Sends the outbox through the customer-service API. Woken by 'outbox.enqueued' and by a
 * slow poll (for retries and for rows other instances left). Nothing is removed: a row ends
 * sent, held (outside the 48 h window or over quota, until the customer writes) or failed.
 */
export class OutboxWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;

  constructor(private readonly o: OutboxWorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Runs a pass now (or right after the current one): outbox.listeners.ts calls it on the bus's events. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((err) => this.o.logger.error({ err }, 'outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else if (!this.stopped) {
          this.timer = setTimeout(() => this.kick(), this.o.pollMs ?? 1000);
          this.timer.unref();
        }
      });
  }

  /**
   * Sends everything due, batch after batch. Resolves when nothing is due. Within a batch,
   * customers are served concurrently (one slow send does not hold up the others) and each
   * customer's messages go one after another, in order.
   */
  async drain(): Promise<void> {
    for (;;) {
      const batch = await claimDue(this.o.db, new Date(this.now()), BATCH_SIZE);
      if (batch.length === 0) return;
      const perCustomer = new Map<string, OutboxRow[]>();
      for (const row of batch) perCustomer.set(row.openid, [...(perCustomer.get(row.openid) ?? []), row]);
      await Promise.all(
        [...perCustomer.values()].map(async (rows) => {
          for (const row of rows) await this.sendOne(row);
        }),
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    const { db, api, logger } = this.o;
    const payload = row.payload as { type: string; content: string };
    let change: DeliveryChange | null = null;
    try {
      await api.sendText(row.openid, payload.content);
      change = await markSent(db, row.id, new Date(this.now()));
    } catch (err) {
      const log = { outboxId: row.id, user: hashOpenid(row.openid), attempt: row.attempts };
      if (err instanceof WeChatApiError && (err.errcode === ERR.outOfWindow || err.errcode === ERR.overQuota)) {
        logger.info({ ...log, errcode: err.errcode }, 'outbox message held until the customer writes');
        change = await markHeld(db, row.id, err.errcode, err.errmsg);
      } else if (isTransient(err) && row.attempts < MAX_ATTEMPTS) {
        const code = err instanceof WeChatApiError ? err.errcode : null;
        logger.warn({ ...log, errcode: code, err: (err as Error).message }, 'outbox send failed; will retry');
        await markRetry(db, row.id, new Date(this.now() + backoffMs(row.attempts)), code, (err as Error).message);
      } else {
        const code = err instanceof WeChatApiError ? err.errcode : null;
        logger.error({ ...log, errcode: code, err: (err as Error).message }, 'outbox send failed for good');
        change = await markFailed(db, row.id, code, (err as Error).message);
      }
    }
    // The agent sees the state on that message (sent, 客户已超过48小时未互动, 已达条数上限, failed).
    if (change) await this.o.bus.emit('message.delivery', { ...change, errcode: errcodeOf(change.delivery) });
    if (row.possibleDuplicate) logger.warn({ outboxId: row.id, user: hashOpenid(row.openid) }, 'outbox message re-sent after a lost send: the customer may have it twice');
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

function errcodeOf(delivery: DeliveryChange['delivery']): number | null {
  return delivery === 'held_window' ? ERR.outOfWindow : delivery === 'held_quota' ? ERR.overQuota : null;
}

import type { Bus } from '../platform/bus.js';
import type { Unsubscribe } from '../platform/module.js';
import type { OutboxWorker } from './outbox.worker.js';

/**
 * 'outbox.enqueued' and 'outbox.released' (the push path released a customer's held messages:
 * they wrote again) → the worker runs a pass now instead of at its next poll. A stopped worker
 * ignores them.
 */
export function registerOutboxListeners(bus: Bus, worker: Pick<OutboxWorker, 'kick'>): Unsubscribe[] {
  return [bus.on('outbox.enqueued', () => worker.kick()), bus.on('outbox.released', () => worker.kick())];
}

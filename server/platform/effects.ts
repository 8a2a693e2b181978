import type { Bus } from './bus.js';
import type { EventMap, EventName } from './events.js';

/**
 * Events gathered inside a transaction and emitted after it commits, so that no instance hears
 * of a change it cannot read yet, and a rolled-back change is never announced.
 */
export class Effects {
  private readonly events: Array<[EventName, unknown]> = [];

  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.events.push([name, payload]);
  }

  async flush(bus: Bus): Promise<void> {
    for (const [name, payload] of this.events.splice(0)) await bus.emit(name, payload as never);
  }
}

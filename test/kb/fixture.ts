import { openDatabase, type Database } from '../../server/db/client.js';
import { createLocalBus, type Bus } from '../../server/platform/bus.js';
import type { EventMap, EventName } from '../../server/platform/events.js';
import { freshStorageTarget } from '../helpers/mode.js';

/** A fresh database of the current mode and a local bus that also records what was emitted. */
export async function openKbFixture(): Promise<{ database: Database; bus: Bus; emitted: { name: EventName; payload: unknown }[] }> {
  const target = await freshStorageTarget();
  const database = await openDatabase(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { dataDir: target.dataDir! });
  const inner = createLocalBus((err) => {
    throw err;
  });
  const emitted: { name: EventName; payload: unknown }[] = [];
  const bus: Bus = {
    async emit<K extends EventName>(name: K, payload: EventMap[K]) {
      emitted.push({ name, payload });
      await inner.emit(name, payload);
    },
    on: (name, handler) => inner.on(name, handler),
    close: () => inner.close(),
  };
  return { database, bus, emitted };
}

/** Waits until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

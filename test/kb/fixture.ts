import type { KbDeps } from '../../server/kb/kb.service.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { createLocalBus, type Bus } from '../../server/platform/bus.js';
import type { EventMap, EventName } from '../../server/platform/events.js';
import { freshStorageTarget } from '../helpers/mode.js';

export interface KbFixture {
  database: Database;
  bus: Bus;
  /** What the knowledge-base services take: the database and the recording bus. */
  deps: KbDeps;
  emitted: { name: EventName; payload: unknown }[];
}

/** A fresh database of the current mode and a local bus that also records what was emitted. */
export async function openKbFixture(): Promise<KbFixture> {
  const target = await freshStorageTarget();
  const database = await openDatabase(target);
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
  return { database, bus, deps: { db: database.db, bus }, emitted };
}

import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../../server/db/client.js';
import type { DeskHubOptions } from '../../server/desk/desk.ws.js';
import { createRedisBus, type Bus } from '../../server/platform/bus.js';
import { StaffSessions } from '../../server/staff/sessions.js';
import { startHubServer, type HubServer } from '../desk/desk-hub-fixture.js';

/** One instance: its own pool on the shared database, its own Redis connection and bus, its own desk hub. */
export interface HubInstance {
  database: Database;
  redis: Redis;
  bus: Bus;
  /** Staff sessions that publish 'staff.session.ended' on this instance's bus. */
  sessions: StaffSessions;
  server: HubServer;
}

export async function startHubInstance(databaseUrl: string, redisUrl: string, options: Partial<DeskHubOptions> = {}): Promise<HubInstance> {
  const database = await openDatabase({ databaseUrl });
  const redis = new Redis(redisUrl);
  const bus = await createRedisBus(redis);
  const server = await startHubServer(database.db, bus, options);
  return { database, redis, bus, sessions: new StaffSessions(database.db, Date.now, bus), server };
}

export async function stopHubInstances(...instances: Array<HubInstance | undefined>): Promise<void> {
  for (const i of instances) {
    if (!i) continue;
    await i.server.close();
    await i.bus.close();
    await i.redis.quit();
    await i.database.close();
  }
}

import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared PostgreSQL server (database `postgres`); use createDatabase() for a private one. */
    databaseUrl: string;
    /** The shared Redis server. */
    redisUrl: string;
  }
}

/** Vitest globalSetup of the 'postgres' project: one real PostgreSQL and one real Redis for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const [postgres, redis] = await Promise.allSettled([startPostgres(), startRedis()]);
  const teardown = async (): Promise<void> => {
    await Promise.allSettled([
      postgres.status === 'fulfilled' ? postgres.value.stop() : undefined,
      redis.status === 'fulfilled' ? redis.value.stop() : undefined,
    ]);
  };
  if (postgres.status === 'rejected' || redis.status === 'rejected') {
    await teardown();
    throw postgres.status === 'rejected' ? postgres.reason : (redis as PromiseRejectedResult).reason;
  }
  project.provide('databaseUrl', postgres.value.url);
  project.provide('redisUrl', redis.value.url);
  console.log(
    `[postgres project] PostgreSQL ${postgres.value.url} and Redis ${redis.value.url} ready in ${Date.now() - started} ms`,
  );
  return teardown;
}

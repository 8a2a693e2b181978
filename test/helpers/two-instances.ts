import type { Running } from '../../server/runtime.js';
import { createPushDriver, type PushDriver } from '../../simulator/index.js';
import { freshStorageTarget } from './mode.js';
import { freePort } from './ports.js';
import { startTestServer } from './server.js';
import { credentialsEnv, startStandaloneSimulator, type StandaloneSimulator } from './simulator.js';

export interface TwoInstances {
  sim: StandaloneSimulator;
  a: Running;
  b: Running;
  /** A push driver signed with the simulated account's credentials, pointed at one instance. */
  driverFor(server: Running): PushDriver;
  close(): Promise<void>;
}

/**
 * Server mode: two full servers on one fresh PostgreSQL database and the shared Redis, with
 * one standalone WeChat simulator whose own pushes go to instance A. No sticky routing.
 */
export async function startTwoInstances(): Promise<TwoInstances> {
  const storage = await freshStorageTarget();
  const portA = await freePort();
  const sim = await startStandaloneSimulator(`http://127.0.0.1:${portA}/wechat`);
  const env = credentialsEnv(sim);
  const a = await startTestServer(storage, { env: { ...env, PORT: String(portA) } });
  const b = await startTestServer(storage, { env });
  return {
    sim,
    a,
    b,
    driverFor: (server) =>
      createPushDriver({ pushUrl: `${server.url}/wechat`, token: sim.credentials.token, appId: sim.credentials.appId, aesKey: sim.credentials.aesKey }),
    async close() {
      await a.close();
      await b.close();
      await sim.stop();
    },
  };
}

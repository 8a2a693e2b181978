import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';

export interface StandaloneSimulator extends Simulator {
  url: string;
  credentials: { appId: string; appSecret: string; token: string; aesKey: string };
  stop(): Promise<void>;
}

/** The simulator on its own port, as the WeChat platform that real-credential servers talk to. */
export async function startStandaloneSimulator(pushUrl: string, opts: Partial<SimulatorOptions> = {}): Promise<StandaloneSimulator> {
  const credentials = { appId: 'wxtestaccount00001', appSecret: 'test-app-secret-0123456789abcdef', token: 'testtoken123', aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
  const sim = createSimulator({ ...credentials, pushUrl, ...opts });
  const server: Server = createServer(sim.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...sim,
    url,
    credentials,
    async stop() {
      await sim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The environment for a server that uses the standalone simulator as "real" WeChat. */
export function credentialsEnv(sim: StandaloneSimulator): Record<string, string> {
  return {
    WECHAT_APPID: sim.credentials.appId,
    WECHAT_APPSECRET: sim.credentials.appSecret,
    WECHAT_TOKEN: sim.credentials.token,
    WECHAT_AES_KEY: sim.credentials.aesKey,
    // 兼容模式, as the simulator's own credentials: its driver pushes plain by default, encrypted on request.
    WECHAT_ENCRYPT_MODE: 'compatible',
    WECHAT_API_BASE: sim.url,
    WECHAT_OAUTH_BASE: sim.url,
  };
}

import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import type { PushHandler } from './chat/push-handler.js';
import type { Database } from './db/client.js';
import { silentLogger } from './platform/logger.js';

function serve(ping: () => Promise<void>) {
  const database = { kind: 'pglite', location: '/x', ping, close: async () => {} } as unknown as Database;
  const app = createApp({
    logger: silentLogger,
    database,
    pushHandler: {} as PushHandler,
    wechat: { token: 'tok', appId: 'wx1', maxSkewS: 300 },
  });
  const server = app.listen(0, '127.0.0.1');
  return { server, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('probes', () => {
  let running: ReturnType<typeof serve> | undefined;
  afterEach(() => running?.server.close());

  it('answers /healthz while the process is up, even when the database is not', async () => {
    running = serve(() => Promise.reject(new Error('down')));
    await new Promise((r) => running!.server.once('listening', r));
    expect((await fetch(`${running.url()}/healthz`)).status).toBe(200);
  });

  it('answers /readyz with 200 when the database answers and 503 when it does not', async () => {
    let up = true;
    running = serve(async () => {
      if (!up) throw new Error('connection refused');
    });
    await new Promise((r) => running!.server.once('listening', r));
    const ok = await fetch(`${running.url()}/readyz`);
    expect(ok.status).toBe(200);
    up = false;
    const down = await fetch(`${running.url()}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.text()).not.toContain('connection refused');
  });

  it('renders unknown routes as 404 without a stack', async () => {
    running = serve(async () => {});
    await new Promise((r) => running!.server.once('listening', r));
    const r = await fetch(`${running.url()}/nope`);
    expect(r.status).toBe(404);
  });
});

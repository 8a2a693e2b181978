import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** True when the upgrade request was handled (e.g. the desk socket); the others are dropped. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface Listening {
  server: Server;
  port: number;
  /** From now on requests go to `handler` and upgrades to `upgrade`. */
  serve(handler: RequestListener, upgrade?: UpgradeHandler): void;
  /** Stops accepting and resolves when the in-flight requests are done. */
  close(): Promise<void>;
}

/**
 * Listens before the app exists: with PORT=0 the simulator needs the real port to push to. Until
 * serve(), every request gets 503 (a push is retried by WeChat; /readyz is honestly not ready)
 * and every upgrade is dropped.
 */
export async function listen(port: number, host: string): Promise<Listening> {
  let handle: RequestListener | undefined;
  let upgrade: UpgradeHandler | undefined;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' }).end('503 starting');
  });
  server.on('upgrade', (req, socket, head) => {
    if (!handle || !upgrade?.(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    serve(h, u) {
      upgrade = u;
      handle = h;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

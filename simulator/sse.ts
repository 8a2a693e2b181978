import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';

/**
 * Server-Sent Events for the phone page. One hub holds the open streams so that
 * close() can end them (an open stream would keep the HTTP server from closing).
 * The response is written directly (ctx.respond = false): a client that goes away
 * is the normal end of a stream, not an error for Koa to report.
 */
export interface SseClient {
  send(event: string, data: unknown): void;
}

export interface SseHub {
  /** Turns the response into an event stream; `onOpen` gets the client and returns its cleanup. */
  open(ctx: Context, onOpen: (client: SseClient) => () => void): void;
  closeAll(): void;
}

const HEARTBEAT_MS = 15_000;

export function createSseHub(): SseHub {
  const open = new Set<ServerResponse>();
  return {
    open(ctx, onOpen) {
      const res = ctx.res;
      ctx.respond = false;
      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      open.add(res);
      const write = (chunk: string) => {
        if (!res.writableEnded && !res.destroyed) res.write(chunk);
      };
      write('retry: 2000\n\n');
      const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
      const cleanup = onOpen({ send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) });
      res.once('close', () => {
        clearInterval(heartbeat);
        cleanup();
        open.delete(res);
      });
    },
    closeAll() {
      for (const res of open) res.end();
      open.clear();
    },
  };
}

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freshStorageTarget } from './helpers/mode.js';
import { startTestServer } from './helpers/server.js';

/** An open simulator tab holds an event stream: shutting down must end it, not wait for it. */
describe('shutdown with the simulator page open', () => {
  it('ends the page event streams and closes within seconds', async () => {
    const server = await startTestServer(await freshStorageTarget());
    const streamEnded = new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/simulator/ui/events`, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', () => {});
        res.on('end', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    // Let the stream open before stopping.
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const outcome = await Promise.race([
      server.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still waiting'), 8_000)),
    ]);
    expect(outcome).toBe('closed');
    expect(Date.now() - t0).toBeLessThan(8_000);
    await streamEnded;
  }, 90_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** Server mode: the Redis limits are atomic, so simultaneous requests over two instances get exactly the limit. */
describe('rate limits over two instances', () => {
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    const storage = await freshStorageTarget();
    a = await startTestServer(storage);
    b = await startTestServer(storage);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('lets exactly 10 of 50 simultaneous 服务编码 lookups from one address through', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).url}/api/h5/service-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fullName: '某某有限公司' }) }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
  });
});

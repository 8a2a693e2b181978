import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../server/runtime.js';
import { freshStorageTarget } from './helpers/mode.js';
import { startTestServer } from './helpers/server.js';

/** Browser-facing responses carry the hardening headers; the policy itself is exercised by the browser tests. */
describe('security headers', () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['/h5/', '/console/', '/simulator/', '/api/h5/me', '/api/staff/session'])('%s: CSP, nosniff, framing, referrer; no HSTS on http', async (path) => {
    const res = await fetch(`${server.url}${path}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sends HSTS when the public address is https', async () => {
    const https = await startTestServer(await freshStorageTarget(), { env: { PUBLIC_BASE_URL: 'https://kefu.example.com' } });
    try {
      const res = await fetch(`${https.url}/h5/`);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    } finally {
      await https.close();
    }
  });
});

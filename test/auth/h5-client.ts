/**
 * A tiny browser for the H5 API tests: a cookie jar (one host), manual redirects, and a record
 * of every response body so a test can check that no secret ever left the server.
 */
export class H5Client {
  readonly cookies = new Map<string, string>();
  /** Every body this client received, for the "no secret in any response" check. */
  static readonly seen: string[] = [];

  constructor(readonly base: string) {}

  async request<T = unknown>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; text: string; json: T }> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, { method: init.method ?? 'GET', headers, redirect: 'manual', body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    H5Client.seen.push(text, res.headers.get('location') ?? '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json: json as T };
  }

  /** A same-origin JSON POST, as the H5 pages send it. */
  post<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>(path, { method: 'POST', body, headers: { origin: this.base, ...headers } });
  }

  get<T = unknown>(path: string) {
    return this.request<T>(path);
  }

  /** Follows redirects from `path`; returns every Location seen and the last response. */
  async follow(path: string, max = 6): Promise<{ chain: string[]; last: Awaited<ReturnType<H5Client['request']>> }> {
    const chain: string[] = [];
    let url = path.startsWith('http') ? path : `${this.base}${path}`;
    for (let i = 0; i < max; i++) {
      const res = await this.request(url);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { chain, last: res };
      chain.push(location);
      // The final hop to the H5 page (a hash route) is not fetched: the test reads the session instead.
      if (location.startsWith('/h5')) return { chain, last: res };
      url = new URL(location, url).toString();
    }
    throw new Error(`too many redirects: ${chain.join(' → ')}`);
  }
}

/**
 * What the browser clients (console/, h5/) share: one error class carrying the server's code and
 * Chinese message (ApiErrorBody), the hook their routers set for a 401, and the JSON fetch itself.
 * Each app bundles its own copy, so the handler is per app; each maps error bodies its own way.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthorized: () => void = () => {};

/** Called on a 401 (not logged in, or the session ended): the app's router shows its login page. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function notifyUnauthorized(): void {
  onUnauthorized();
}

export type Query = Record<string, string | number | undefined | null>;

/** `path?k=v…`, leaving out empty values. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A same-origin JSON request; a network failure becomes ApiError(0, 'network', networkMessage). */
export async function sendJson(method: string, path: string, opts: { query?: Query; body?: unknown }, networkMessage: string): Promise<Response> {
  try {
    return await fetch(withQuery(path, opts.query), {
      method,
      credentials: 'same-origin',
      headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', networkMessage);
  }
}

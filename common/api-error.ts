/**
 * What the browser clients (console/, h5/) share about API errors: one error class carrying the
 * server's code and Chinese message (ApiErrorBody), and the hook their routers set for a 401.
 * Each app bundles its own copy, so the handler is per app.
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

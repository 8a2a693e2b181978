/**
 * What may never reach a log line, whatever code logged it: credentials inside URLs, and the
 * parameters of a failed SQL statement (they carry openids and whole customer messages).
 * pino's `redact` only knows key paths; these live inside strings and error objects.
 */
const URL_SECRETS = /\b(access_token|secret|appsecret|code|refresh_token)=[^&\s"'<>]*/gi;
// Drizzle: "Failed query: <sql>\nparams: <values>"; node-postgres and PGlite put values in `detail`.
const SQL_PARAMS = /(\n\s*params:)[\s\S]*$/;

export function scrubText(text: string): string {
  return text.replace(URL_SECRETS, '$1=[redacted]').replace(SQL_PARAMS, '$1 [redacted]');
}

/** Error fields of drivers that are safe: they name what failed, never the values. */
const SAFE_FIELDS = ['code', 'errcode', 'endpoint', 'status', 'severity', 'table', 'column', 'constraint', 'routine', 'dataType', 'schema'] as const;

export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  cause?: LoggedError | string;
  [field: string]: unknown;
}

/** pino's serializer for `err` and `error`: an Error, or a string someone logged as one. */
export function serializeError(err: unknown, depth = 0): LoggedError | string | unknown {
  if (typeof err === 'string') return scrubText(err);
  if (!(err instanceof Error)) return err;
  const out: LoggedError = { type: err.constructor?.name ?? err.name, message: scrubText(err.message) };
  if (err.stack) out.stack = scrubText(err.stack);
  const fields = err as unknown as Record<string, unknown>;
  for (const f of SAFE_FIELDS) {
    const v = fields[f];
    if (typeof v === 'string' || typeof v === 'number') out[f] = typeof v === 'string' ? scrubText(v) : v;
  }
  // Drizzle's DrizzleQueryError: the statement text has placeholders only; its values are dropped.
  if (typeof fields.query === 'string') out.query = fields.query;
  if (err.cause !== undefined && depth < 3) out.cause = serializeError(err.cause, depth + 1) as LoggedError | string;
  return out;
}

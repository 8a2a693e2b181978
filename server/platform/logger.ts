import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { scrubText, serializeError } from './log-scrub.js';

export type { Logger };

/**
 * pino JSON logs. Secrets are redacted by key wherever they appear, and openids are
 * logged only through hashOpenid(): a stable short hash that lets us follow one user
 * across lines without writing who they are. Errors go through serializeError (no SQL
 * parameters, no tokens in URLs), and so do message strings.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        logMethod(args, method) {
          // A message string built from an error (`log.warn(err.message)`) gets the same scrub.
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
      redact: {
        paths: [
          'appSecret', '*.appSecret', 'secret', '*.secret', 'token', '*.token', 'accessToken', '*.accessToken',
          'access_token', '*.access_token', 'aesKey', '*.aesKey', 'password', '*.password', 'req.headers.cookie',
          'openid', '*.openid', 'content', '*.content', 'params', '*.params', 'detail', '*.detail',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export function hashOpenid(openid: string): string {
  return createHash('sha256').update(`openid:${openid}`).digest('hex').slice(0, 12);
}

/** A logger that writes nothing, for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });

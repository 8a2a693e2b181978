import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * pino JSON logs. Secrets are redacted by key wherever they appear, and openids are
 * logged only through hashOpenid(): a stable short hash that lets us follow one user
 * across lines without writing who they are.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [
          'appSecret', '*.appSecret', 'secret', '*.secret', 'token', '*.token', 'accessToken', '*.accessToken',
          'access_token', '*.access_token', 'aesKey', '*.aesKey', 'password', '*.password', 'req.headers.cookie',
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

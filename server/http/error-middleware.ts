import type { Middleware } from 'koa';
import type { Logger } from '../platform/logger.js';
import { AppError } from './errors.js';

/**
 * Renders every error in one place: AppError keeps its status and code; anything else is a
 * 500 whose details stay in the log. The body is JSON for /api, plain text elsewhere
 * (WeChat and probes read plain bodies).
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e = err as Partial<AppError> & { status?: number; expose?: boolean };
      const status = err instanceof AppError ? err.status : typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
      const expose = err instanceof AppError ? err.expose : status < 500 && e.expose !== false;
      const code = err instanceof AppError ? err.code : status >= 500 ? 'internal' : 'error';
      const message = expose ? (e.message ?? 'error') : 'internal error';
      if (status >= 500) logger.error({ err, path: ctx.path, method: ctx.method }, 'request failed');
      ctx.status = status;
      if (ctx.path.startsWith('/api/')) ctx.body = { error: { code, message } };
      else ctx.body = `${status} ${message}`;
    }
  };
}

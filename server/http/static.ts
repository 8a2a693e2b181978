import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Middleware } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves files under `root` for GET/HEAD below `prefix`. With `spa`, unknown paths get
 * index.html (client-side routes). Hashed build assets (/assets/) are cached for a year;
 * index.html never is, so a new build shows at once.
 */
export function serveStatic(prefix: string, root: string, opts: { spa?: boolean } = {}): Middleware {
  const base = prefix.replace(/\/+$/, '');
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path === base || ctx.path.startsWith(`${base}/`))) return next();
    if (ctx.path === base) return ctx.redirect(`${base}/`);
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path.slice(base.length + 1));
    } catch {
      return next();
    }
    const file = normalize(join(root, rel || 'index.html'));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) return next();
    const found = (await fileOf(file)) ?? (opts.spa && !extname(rel) ? await fileOf(join(root, 'index.html')) : undefined);
    if (!found) return next();
    ctx.type = TYPES[extname(found.path)] ?? 'application/octet-stream';
    ctx.length = found.size;
    ctx.set('Cache-Control', found.path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(found.path);
  };
}

async function fileOf(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const s = await stat(path);
    if (s.isFile()) return { path, size: s.size };
    if (s.isDirectory()) return fileOf(join(path, 'index.html'));
  } catch {
    /* missing */
  }
  return undefined;
}

import type { Middleware } from 'koa';
import { serveStatic } from '../http/static.js';
import { fromRoot } from '../platform/paths.js';

/** The staff console (console/dist, built by scripts/build-if-stale.mjs), served at /console/ with client-side routes. */
export function serveConsole(root = fromRoot('console', 'dist')): Middleware {
  return serveStatic('/console', root, { spa: true });
}

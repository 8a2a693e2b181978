import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The phone page's static files. They live in simulator/page/ next to the sources;
 * tsc does not copy them to dist/, so from dist/simulator/ we walk up to the
 * repository's simulator/page/.
 */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

export const pageDir: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'page'), join(dir, 'simulator', 'page')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) return join(dirname(fileURLToPath(import.meta.url)), 'page');
    dir = up;
  }
})();

/** The file's content and type, or undefined for a name that is not one of the page's files. */
export async function readPageFile(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  const type = FILES[name];
  if (!type) return undefined;
  return { body: await readFile(join(pageDir, name)), type };
}

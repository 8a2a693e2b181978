import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up to package.json. Runtime assets
 * (migrations, the simulator page, built H5) are resolved from it, so the same code
 * works from sources (vitest, tsx) and from dist/.
 */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (package.json)');
    dir = up;
  }
})();

export const fromRoot = (...parts: string[]): string => join(repoRoot, ...parts);

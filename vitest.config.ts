import { defineConfig } from 'vitest/config';

// Three projects:
//  - unit:     tests next to the source (pure or single-process), run once;
//  - pglite:   integration tests under test/ against embedded PGlite (also the browser tests);
//  - postgres: the same integration tests against a real PostgreSQL + Redis started once per run.
// Browser tests are named test/browser/**/*.browser.test.ts and run in the pglite project only,
// as do test/embedded/** (the PGlite data folder); test/server-mode/** runs in postgres only.
export default defineConfig({
  test: {
    // Two cores on CI: two workers, files in parallel, tests within a file in sequence.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'simulator/**/*.test.ts', 'common/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['test/**/*.test.ts'],
          // Several instances on one database need a PostgreSQL server.
          exclude: ['test/server-mode/**', '**/node_modules/**'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['test/helpers/global-pglite.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          // The embedded data folder is PGlite's; the browser tests need no second run.
          exclude: ['test/browser/**', '**/*.browser.test.ts', 'test/embedded/**', '**/node_modules/**'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/helpers/global-postgres.ts'],
        },
      },
    ],
  },
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The 'pglite' project's folder for test data folders, removed after the run. */
    dataRoot: string;
  }
}

/** Vitest globalSetup of the 'pglite' project: one parent folder for every fresh data folder of the run. */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'wsd-test-data-'));
  project.provide('dataRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}

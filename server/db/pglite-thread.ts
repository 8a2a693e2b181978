import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * PGlite on its own thread, behind the part of PGlite's interface that Drizzle's pglite driver
 * uses (query, exec, transaction). PGlite runs each statement synchronously in WASM; on the
 * request thread that was about half of a push's CPU time, and at 300 pushes/s on a slow
 * 2-core machine the one thread saturated and latency ran away. Here the statements run on
 * the second core while the request thread parses, routes and answers.
 *
 * Results cross the thread boundary by structured clone (numbers, strings, Date, bigint,
 * Uint8Array survive as they are). Errors keep their database fields (code, detail…).
 */

interface Result {
  rows: unknown[];
  fields: Array<{ name: string; dataTypeID: number }>;
  affectedRows?: number;
}

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; rowMode?: 'array' | 'object'; identityOids?: number[]; txId?: number }
  | { id: number; op: 'exec'; sql: string; txId?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; txId: number; commit: boolean }
  | { id: number; op: 'close' };

export type WorkerReply =
  | { id: number; result: unknown }
  | { id: number; error: { message: string; name: string; props: Record<string, unknown> } };

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = Distribute<WorkerRequest>;

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

/** The handle a transaction's statements go through (what Drizzle's session calls). */
export interface ThreadTransaction {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Result>;
  exec(sql: string): Promise<Result[]>;
  rollback(): Promise<void>;
}

/** The worker's entry: the built file, or (running from the TypeScript sources, as the tests do) the source under tsx. */
function startWorker(dataDir: string): Worker {
  const js = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: { dataDir } });
  // A worker's execArgv cannot load tsx before its entry module, so a two-line module does.
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href;
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: { dataDir } });
}

export class PgliteThread {
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private nextId = 1;
  private dead: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(Object.assign(new Error(m.error.message), m.error.props, { name: m.error.name }));
      else p.resolve(m.result);
    });
    const fail = (e: Error) => {
      this.dead ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the PGlite thread exited (code ${code})`)));
  }

  /** Starts the thread and opens the database folder in it. */
  static async open(dataDir: string): Promise<PgliteThread> {
    const worker = startWorker(dataDir);
    const thread = new PgliteThread(worker);
    // The worker answers id 0 once PGlite is open (or failed to open).
    await new Promise<unknown>((resolve, reject) => thread.pending.set(0, { resolve, reject })).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    return thread;
  }

  private call<T>(req: Request): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  query(sql: string, params?: unknown[], options?: QueryOptions, txId?: number): Promise<Result> {
    // Drizzle's parsers are identity functions for date and interval types (it parses those
    // itself); the thread rebuilds them from the type OIDs.
    const identityOids = options?.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.call({ op: 'query', sql, params, rowMode: options?.rowMode, identityOids, txId });
  }

  exec(sql: string, txId?: number): Promise<Result[]> {
    return this.call({ op: 'exec', sql, txId });
  }

  /** Commits when fn resolves, rolls back when it throws; other statements wait, as in PGlite. */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const txId = await this.call<number>({ op: 'begin' });
    const tx: ThreadTransaction = {
      query: (sql, params, options) => this.query(sql, params, options, txId),
      exec: (sql) => this.exec(sql, txId),
      rollback: () => Promise.reject(new Error('rollback: throw from the transaction callback instead')),
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (e) {
      await this.call({ op: 'end', txId, commit: false }).catch(() => {});
      throw e;
    }
    await this.call({ op: 'end', txId, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.dead) await this.call({ op: 'close' });
    await this.worker.terminate();
  }
}

import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { WorkerReply, WorkerRequest } from './pglite-thread.js';

/**
 * The PGlite thread: owns the database and runs every statement the main thread sends it
 * (pglite-thread.ts is the other end). PGlite executes its WASM synchronously, so on the main
 * thread each statement stopped HTTP parsing, XML, the bot and everything else for its whole
 * duration; here it costs the main thread one message each way.
 */

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };

/** A transaction the main thread holds open: its handle, and how to end it. */
interface OpenTx {
  tx: Transaction;
  end(commit: boolean): void;
}

const txs = new Map<number, OpenTx>();
let nextTx = 1;

class Rollback extends Error {}

function send(reply: WorkerReply): void {
  port.postMessage(reply);
}

/** Database errors keep their fields (code, detail, constraint…): callers test e.code === '23505'. */
function serializeError(e: unknown): { message: string; name: string; props: Record<string, unknown> } {
  const err = e instanceof Error ? e : new Error(String(e));
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) props[k] = v;
  return { message: err.message, name: err.name, props };
}

/** The identity parsers drizzle asks for (dates as text): functions cannot cross threads, their type OIDs can. */
function parsersFor(oids: number[] | undefined): Record<number, (v: string) => string> | undefined {
  if (!oids) return undefined;
  return Object.fromEntries(oids.map((oid) => [oid, (v: string) => v]));
}

async function main(): Promise<void> {
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  let pg: PGlite;
  try {
    pg = await PGliteClass.create(dataDir);
  } catch (e) {
    send({ id: 0, error: serializeError(e) });
    return;
  }
  send({ id: 0, result: 'ready' });

  const target = (txId: number | undefined): PGlite | Transaction => {
    if (txId === undefined) return pg;
    const open = txs.get(txId);
    if (!open) throw new Error(`transaction ${txId} is not open`);
    return open.tx;
  };

  port.on('message', (m: WorkerRequest) => {
    void (async () => {
      try {
        switch (m.op) {
          case 'query': {
            const options = m.rowMode || m.identityOids ? { rowMode: m.rowMode, parsers: parsersFor(m.identityOids) } : undefined;
            const r = await target(m.txId).query(m.sql, m.params, options);
            send({ id: m.id, result: { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows } });
            break;
          }
          case 'exec': {
            const rs = await target(m.txId).exec(m.sql);
            send({ id: m.id, result: rs.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows })) });
            break;
          }
          case 'begin': {
            const txId = nextTx++;
            let end!: (commit: boolean) => void;
            const ended = new Promise<void>((resolve, reject) => (end = (commit) => (commit ? resolve() : reject(new Rollback()))));
            // The reply to 'begin' goes out once the transaction holds PGlite's lock; the reply to
            // 'end' once PGlite has committed (or rolled back), so a caller awaits the real outcome.
            pg.transaction(async (tx) => {
              txs.set(txId, { tx, end });
              send({ id: m.id, result: txId });
              await ended;
            }).then(
              () => finish(txId),
              (e: unknown) => finish(txId, e instanceof Rollback ? undefined : e),
            );
            break;
          }
          case 'end': {
            const open = txs.get(m.txId);
            if (!open) throw new Error(`transaction ${m.txId} is not open`);
            pendingEnds.set(m.txId, m.id);
            open.end(m.commit);
            break;
          }
          case 'close': {
            await pg.close();
            send({ id: m.id, result: 'closed' });
            break;
          }
        }
      } catch (e) {
        send({ id: m.id, error: serializeError(e) });
      }
    })();
  });
}

/** Request ids of 'end' messages, answered when PGlite's transaction settles. */
const pendingEnds = new Map<number, number>();

function finish(txId: number, error?: unknown): void {
  txs.delete(txId);
  const id = pendingEnds.get(txId);
  pendingEnds.delete(txId);
  if (id === undefined) return;
  send(error === undefined ? { id, result: 'ended' } : { id, error: serializeError(error) });
}

void main();

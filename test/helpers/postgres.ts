import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';
import { exited, sleep, stopChild, tailOf } from './child-process.js';
import { recordServerPid, serverTempDir } from './temp-servers.js';

export interface RunningPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory, e.g. /usr/lib/postgresql/15/bin. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error(`no PostgreSQL server under ${root} (apt-get install postgresql)`);
  return join(root, newest, 'bin');
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` OS user. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * Starts a throwaway PostgreSQL server: fresh data folder, trust auth, fsync off,
 * a free port on 127.0.0.1 and its unix socket inside the temp folder.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const identity = serverIdentity();
  const dir = serverTempDir('wsd-test-pg-', 'SIGQUIT');
  if (identity) chownSync(dir, identity.uid, identity.gid);
  const dataDir = join(dir, 'data');
  const spawnOptions = { ...identity, cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };

  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C.UTF-8'],
      { ...spawnOptions, stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || String(error)}`);
  }

  const port = await freePort();
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D', dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${dir}`,
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'max_connections=300',
      '-c', 'log_min_messages=warning',
    ],
    { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  recordServerPid(dir, child.pid);
  const tail = tailOf(child);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const stop = async (): Promise<void> => {
    await stopChild(child, 'SIGINT'); // fast shutdown
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForConnection(url, child, tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitForConnection(url: string, child: ReturnType<typeof spawn>, tail: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let gone = false;
  void exited(child).then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`postgres exited during start:\n${tail()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections: ${String(error)}\n${tail()}`);
      await sleep(50);
    }
  }
}

/** Creates a new, uniquely named, empty database on the server and returns its URL. */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

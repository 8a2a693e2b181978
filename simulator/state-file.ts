import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FakePlatform, PlatformSnapshot } from './fake-platform.js';

/**
 * Keeps the simulator's users, chats and SMS in a file of the data folder, so a restart of the
 * embedded server finds the same WeChat users with their history, as the database keeps its side.
 * Writes are batched (a burst of pushes is one write) and atomic (a temporary file renamed over).
 */
export interface StateFile {
  /** Writes now if anything changed; called on close. */
  flush(): void;
  stop(): void;
}

const WRITE_AFTER_MS = 300;

/** The saved snapshot, or null when there is none or it cannot be read (the simulator then starts fresh). */
export function readState(file: string, warn?: (msg: string) => void): PlatformSnapshot | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const s = JSON.parse(text) as Partial<PlatformSnapshot>;
    if (s.version !== 1 || !Array.isArray(s.users) || typeof s.timelines !== 'object' || s.timelines === null || !Array.isArray(s.notices)) {
      warn?.(`simulator state ${file} has an unknown format: starting with fresh users`);
      return null;
    }
    return s as PlatformSnapshot;
  } catch {
    warn?.(`simulator state ${file} is not valid JSON: starting with fresh users`);
    return null;
  }
}

export function keepState(platform: FakePlatform, file: string, onError?: (err: Error) => void): StateFile {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(platform.snapshot()));
      renameSync(tmp, file);
    } catch (err) {
      onError?.(err as Error);
    }
  };
  const off = platform.onEvent((event) => {
    if (event.type === 'typing') return;
    dirty = true;
    timer ??= setTimeout(write, WRITE_AFTER_MS);
  });
  return {
    flush() {
      if (timer) clearTimeout(timer);
      write();
    },
    stop() {
      off();
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

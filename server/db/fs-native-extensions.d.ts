// The part of fs-native-extensions (flock/LockFileEx on a file descriptor) that we use.
declare module 'fs-native-extensions' {
  /** True when the lock was taken, false when another open file holds it. Never blocks. */
  export function tryLock(fd: number, opts?: { shared?: boolean }): boolean;
  export function unlock(fd: number): void;
}

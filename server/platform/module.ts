/**
 * The parts of a domain module (`<folder>/<folder>.module.ts`) that server/runtime.ts handles
 * without knowing the domain: what it runs in the background and how to end its bus subscriptions.
 */

/** Runs in the background once the app serves requests; stopped at shutdown. */
export interface Job {
  start(): void;
  stop(): Promise<void> | void;
}

/** Ends one bus subscription a module registered (from its *.listeners.ts). */
export type Unsubscribe = () => void;

/** Ends every subscription of the list. */
export function unsubscribeAll(listeners: readonly Unsubscribe[]): void {
  for (const off of listeners) off();
}

/**
 * Delay before retry number `attempt` (1-based) of a failed send: exponential from 2 s,
 * capped at 5 min, with ±20 % jitter so that instances do not retry in lockstep.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2000 * 2 ** Math.max(0, attempt - 1), 300_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** After this many transport failures a message is marked failed (and shown to staff). */
export const MAX_ATTEMPTS = 12;

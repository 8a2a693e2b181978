import { TOKEN_ERRCODES, WeChatApiError, WeChatTransportError } from '../wechat/api-errors.js';

/**
 * Delay before retry number `attempt` (1-based) of a failed send: exponential from 2 s,
 * capped at 5 min, with ±20 % jitter so that instances do not retry in lockstep.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2000 * 2 ** Math.max(0, attempt - 1), 300_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * After this many failed tries a message is marked failed (and shown to staff, who may resend it).
 * With the back-off above that is about 25 minutes of trying.
 */
export const MAX_ATTEMPTS = 12;

/**
 * errcodes that say "not now" rather than "never": -1 (系统繁忙), 45009 (API call limit),
 * 45011 (calls too frequent), and a token error that is still there after the client's own
 * refresh-and-retry (another instance refreshed at the same moment; the next try gets the new one).
 */
export const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45011, ...TOKEN_ERRCODES]);

/** Worth another try later: no answer at all (network, timeout, 5xx), or a transient errcode. */
export function isTransient(err: unknown): boolean {
  return err instanceof WeChatTransportError || (err instanceof WeChatApiError && TRANSIENT_ERRCODES.has(err.errcode));
}

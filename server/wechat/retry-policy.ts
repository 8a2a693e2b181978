import { TOKEN_ERRCODES, WeChatApiError, WeChatTransportError } from './api-errors.js';

/**
 * The one retry policy of the WeChat API client; every call goes through runWithRetry().
 *
 *  - A token errcode (40001/40014/42001): WeChat refused the token and did nothing, so any call,
 *    a send included, is retried once with a refreshed token. A second refusal is the caller's
 *    (the outbox tries again later).
 *  - No answer at all (network error, timeout, HTTP 5xx): only an idempotent call is tried again,
 *    a bounded number of times with exponential back-off and jitter. A send is not: WeChat may have
 *    delivered it before the answer was lost, and the outbox decides what a resend is worth.
 *  - Any other errcode is WeChat's answer and is never retried here.
 */
export interface RetryPolicy {
  /** tries in all for an idempotent call that gets no answer */
  readonly transportTries: number;
  /** the wait before the second try; doubled for each one after */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const RETRY_POLICY: RetryPolicy = { transportTries: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/** Where the access_token comes from (TokenManager). */
export interface TokenSource {
  get(): Promise<string>;
  /** a token other than `refused`, which WeChat just refused */
  refresh(refused: string): Promise<string>;
}

export interface CallTraits {
  /** safe to send twice */
  readonly idempotent: boolean;
  /** set for calls that carry the access_token */
  readonly tokens?: TokenSource;
}

export async function runWithRetry<T>(
  attempt: (accessToken: string | undefined) => Promise<T>,
  traits: CallTraits,
  policy: RetryPolicy = RETRY_POLICY,
  sleep: (ms: number) => Promise<void> = defaultSleep,
  random: () => number = Math.random,
): Promise<T> {
  // Getting the token has its own tries (it is a call too); its failure is not retried again here.
  let token = traits.tokens ? await traits.tokens.get() : undefined;
  let refreshed = false;
  let tries = 1;
  for (;;) {
    try {
      return await attempt(token);
    } catch (err) {
      if (traits.tokens && token !== undefined && !refreshed && err instanceof WeChatApiError && TOKEN_ERRCODES.has(err.errcode)) {
        refreshed = true;
        token = await traits.tokens.refresh(token);
        continue;
      }
      if (traits.idempotent && err instanceof WeChatTransportError && tries < policy.transportTries) {
        await sleep(retryDelayMs(tries, policy, random));
        tries += 1;
        continue;
      }
      throw err;
    }
  }
}

/** The wait after failed try number `tries` (1-based): exponential, capped, with ±20 % jitter. */
export function retryDelayMs(tries: number, policy: RetryPolicy = RETRY_POLICY, random: () => number = Math.random): number {
  const base = Math.min(policy.baseDelayMs * 2 ** (tries - 1), policy.maxDelayMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

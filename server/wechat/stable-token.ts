import { WeChatTransportError } from './api-errors.js';
import type { StableTokenRequest, TokenAnswer } from './api-types.js';
import type { FetchToken } from './token-manager.js';

/**
 * Fetches the access_token from POST /cgi-bin/stable_token, which WeChat recommends over
 * /cgi-bin/token: in its normal mode every caller gets the same token while it is valid (a new
 * one in its last 5 minutes, the old one still valid meanwhile), so our instances and any other
 * system on the same AppID never invalidate each other's token.
 *
 * Its force mode invalidates the token for every holder and is limited (20 a day, 30 s apart),
 * so it is used only as a last resort: when WeChat refuses a token that the normal mode already
 * handed back once after a refusal. The first refusal gets the normal mode, which answers with
 * the new token if someone else forced one, or the same token if WeChat still holds it current.
 */
export function stableTokenFetcher(
  appId: string,
  appSecret: string,
  post: (body: StableTokenRequest, traits: { idempotent: boolean }) => Promise<Record<string, unknown>>,
): FetchToken {
  /** a refused token that the normal mode handed back */
  let handedBack: string | undefined;
  return async (refused) => {
    const force = refused !== undefined && refused === handedBack;
    const body: StableTokenRequest = { grant_type: 'client_credential', appid: appId, secret: appSecret, ...(force ? { force_refresh: true } : {}) };
    // The normal mode returns the same token however often it is asked; a force is not to be repeated.
    const answer = toTokenAnswer(await post(body, { idempotent: !force }));
    handedBack = refused !== undefined && answer.access_token === refused ? refused : undefined;
    return { token: answer.access_token, expiresInS: answer.expires_in };
  };
}

function toTokenAnswer(a: Record<string, unknown>): TokenAnswer {
  if (typeof a.access_token !== 'string' || a.access_token === '') throw new WeChatTransportError('an answer without access_token', '/cgi-bin/stable_token');
  // The documented answer always has expires_in; without it, WeChat's usual lifetime.
  const expiresIn = typeof a.expires_in === 'number' && a.expires_in > 0 ? a.expires_in : 7200;
  return { access_token: a.access_token, expires_in: expiresIn };
}

import { scrubText } from '../platform/log-scrub.js';
import { WeChatApiError, WeChatTransportError } from './api-errors.js';
import { parseWeChatJson } from './wechat-json.js';

/**
 * One HTTP exchange with the WeChat API (or the simulator, which speaks the same protocol):
 * the JSON answer, or a typed error. WeChat answers errors as HTTP 200 with a non-zero errcode
 * (WeChatApiError); anything that is not such an answer is a WeChatTransportError.
 * The access_token and the AppSecret travel in URLs and bodies but never reach an error:
 * errors name the path only, and any text taken from elsewhere is redacted.
 */
export interface WeChatRequest {
  readonly method: 'GET' | 'POST';
  /** e.g. '/cgi-bin/message/custom/send' */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** sent as JSON */
  readonly body?: unknown;
}

export interface HttpOptions {
  /** e.g. https://api.weixin.qq.com, or the simulator's address; may end in a path */
  readonly apiBase: string;
  readonly timeoutMs: number;
  /** values never to be shown, the AppSecret */
  readonly secrets: readonly string[];
}

export type WeChatAnswer = Record<string, unknown>;

export async function exchange(http: HttpOptions, req: WeChatRequest, accessToken?: string): Promise<WeChatAnswer> {
  const secrets = accessToken ? [...http.secrets, accessToken] : http.secrets;
  const url = new URL(`${http.apiBase.replace(/\/+$/, '')}${req.path}`);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  if (accessToken !== undefined) url.searchParams.set('access_token', accessToken);

  let status: number;
  let text: string;
  try {
    const res = await fetch(url, {
      method: req.method,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(http.timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw new WeChatTransportError(redact(describeFailure(err, http.timeoutMs), secrets), req.path);
  }
  if (status < 200 || status >= 300) throw new WeChatTransportError(`HTTP ${status}`, req.path);

  let answer: unknown;
  try {
    answer = parseWeChatJson(text);
  } catch {
    throw new WeChatTransportError(`HTTP ${status} with an answer that is not JSON`, req.path);
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new WeChatTransportError('an answer that is not a JSON object', req.path);
  }
  const { errcode, errmsg } = answer as WeChatAnswer;
  if (typeof errcode === 'number' && errcode !== 0) {
    throw new WeChatApiError(errcode, redact(typeof errmsg === 'string' ? errmsg : '', secrets), req.path);
  }
  return answer as WeChatAnswer;
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { message?: string; code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  // undici's "fetch failed" says what failed in its cause (ECONNREFUSED, ECONNRESET, …).
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'fetch failed'}: ${cause}` : (e.message ?? String(err));
}

/** Removes the given values, and credentials inside any URL, from a text. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return scrubText(out);
}

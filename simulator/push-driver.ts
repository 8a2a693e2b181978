import { createHash } from 'node:crypto';
import { encryptXml, isValidAesKey } from './aes.js';
import { createPushFactory, pushToXml, type Push, type PushFactory } from './pushes.js';
import { readReply, type ReplyFields } from './reply.js';
import { newNonce, sha1Signature } from './signature.js';
import { toXml } from './xml.js';

export * from './pushes.js';

/**
 * Sends pushes to the account's URL the way WeChat does: a signed query, optional
 * AES safe mode (with or without the plain fields, "compat"), a 5 s wait for the
 * answer and 3 tries in all with the same request. Each push has its own nonce. DESIGN.md §3.
 */
export interface PushDriverOptions {
  readonly pushUrl: string;
  readonly token: string;
  readonly appId: string;
  readonly aesKey?: string;
  /** default for send(): encrypt pushes (needs aesKey) */
  readonly encrypt?: boolean;
  /** default for send(): with encrypt, also send the plain fields (compatibility mode) */
  readonly compat?: boolean;
  /** the next try starts this long after the previous one started (or at once if it took longer); default 5000 */
  readonly retryDelayMs?: number;
  /** how long to wait for an answer; default 5000 like WeChat */
  readonly timeoutMs?: number;
  /** tries in all; default 3 like WeChat */
  readonly maxAttempts?: number;
  /** ms clock for CreateTime and timestamps */
  readonly now?: () => number;
  /** the account's original id (ToUserName); default gh_ + 12 hex derived from appId */
  readonly accountId?: string;
  /** called once per send(), before the first try */
  readonly onPush?: (push: Push) => void;
  /** called once per send(), with the outcome */
  readonly onResult?: (push: Push, result: PushResult) => void;
}

export interface SendOptions {
  readonly encrypt?: boolean;
  readonly compat?: boolean;
}

export interface PushResult {
  /** answered with 2xx, and WeChat would accept the reply */
  readonly ok: boolean;
  /** HTTP status of the last try; 0 when no try was answered */
  readonly status: number;
  readonly body: string;
  readonly attempts: number;
  /** the reply's fields (decrypted when encrypted); absent for "success" or an empty body */
  readonly reply?: ReplyFields;
  /** why the push failed, or why WeChat would reject the reply */
  readonly problem?: string;
  readonly encrypted: boolean;
}

export interface RawRequest {
  readonly method?: 'GET' | 'POST';
  readonly query?: Record<string, string> | URLSearchParams | string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

export interface SignedQuery {
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

export interface EncodedPush {
  readonly query: URLSearchParams;
  readonly body: string;
}

export interface PushDriver {
  readonly build: PushFactory;
  readonly accountId: string;
  /** an EncodingAESKey is configured, so pushes can be encrypted */
  readonly canEncrypt: boolean;
  send(push: Push, opts?: SendOptions): Promise<PushResult>;
  /** one request as given, no retry: for tests of bad signatures, bodies… */
  sendRaw(req: RawRequest): Promise<RawResponse>;
  /** a fresh signature/timestamp/nonce triple */
  signQuery(at?: { timestamp?: string; nonce?: string }): SignedQuery;
  /** the exact query and body of one try of `push` */
  encode(push: Push, opts?: SendOptions): EncodedPush;
  /** the URL check WeChat does when the URL is configured: GET with echostr */
  verifyUrl(): Promise<{ ok: boolean; status: number; body: string }>;
  /** aborts tries and waits in flight */
  close(): void;
}

export function defaultAccountId(appId: string): string {
  return `gh_${createHash('sha1').update(appId).digest('hex').slice(0, 12)}`;
}

export function createPushDriver(opts: PushDriverOptions): PushDriver {
  const now = opts.now ?? Date.now;
  const retryDelayMs = opts.retryDelayMs ?? 5000;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxAttempts = opts.maxAttempts ?? 3;
  const accountId = opts.accountId ?? defaultAccountId(opts.appId);
  const canEncrypt = opts.aesKey !== undefined && isValidAesKey(opts.aesKey);
  const inFlight = new Set<AbortController>();
  let closing = false;
  const build = createPushFactory({ accountId, now });

  const signQuery = (at: { timestamp?: string; nonce?: string } = {}): SignedQuery => {
    const timestamp = at.timestamp ?? String(Math.floor(now() / 1000));
    const nonce = at.nonce ?? newNonce();
    return { signature: sha1Signature(opts.token, timestamp, nonce), timestamp, nonce };
  };

  const encode = (push: Push, send: SendOptions = {}): EncodedPush => {
    const signed = signQuery();
    const query = new URLSearchParams({ ...signed, openid: push.FromUserName });
    const plain = pushToXml(push);
    if (!(send.encrypt ?? opts.encrypt ?? false)) return { query, body: plain };
    if (!canEncrypt || !opts.aesKey) throw new Error('encrypted push requested but no valid aesKey is configured');
    const encrypted = encryptXml(opts.aesKey, plain, opts.appId);
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', sha1Signature(opts.token, signed.timestamp, signed.nonce, encrypted));
    const compat = send.compat ?? opts.compat ?? false;
    const body = compat ? toXml({ ...push, Encrypt: encrypted }) : toXml({ ToUserName: push.ToUserName, Encrypt: encrypted });
    return { query, body };
  };

  const request = async (req: RawRequest): Promise<RawResponse> => {
    const controller = new AbortController();
    inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error('timeout')), req.timeoutMs ?? timeoutMs);
    try {
      const query = typeof req.query === 'string' ? req.query : new URLSearchParams(req.query ?? {}).toString();
      const url = query ? `${opts.pushUrl}${opts.pushUrl.includes('?') ? '&' : '?'}${query}` : opts.pushUrl;
      const method = req.method ?? 'POST';
      const res = await fetch(url, {
        method,
        headers: { 'user-agent': 'Mozilla/4.0', ...(method === 'POST' ? { 'content-type': 'text/xml' } : {}), ...req.headers },
        body: method === 'POST' ? (req.body ?? '') : undefined,
        signal: controller.signal,
      });
      return { status: res.status, body: await res.text(), headers: res.headers };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const controller = new AbortController();
      inFlight.add(controller);
      const done = () => {
        clearTimeout(timer);
        inFlight.delete(controller);
        resolve();
      };
      const timer = setTimeout(done, ms);
      controller.signal.addEventListener('abort', done, { once: true });
    });

  const send = async (push: Push, sendOpts: SendOptions = {}): Promise<PushResult> => {
    const encrypted = sendOpts.encrypt ?? opts.encrypt ?? false;
    const safeMode = encrypted && !(sendOpts.compat ?? opts.compat ?? false);
    opts.onPush?.(push);
    let attempts = 0;
    let problem = 'no answer';
    // WeChat resends the very request it sent: same query (timestamp, nonce, signatures) and
    // same body. The server must take it as a retry, while the same query with another body is a forgery.
    const { query, body } = encode(push, sendOpts);
    while (attempts < maxAttempts && !closing) {
      attempts += 1;
      const startedAt = Date.now();
      try {
        const res = await request({ query, body });
        const result = interpret(res, attempts);
        opts.onResult?.(push, result);
        return result;
      } catch (err) {
        problem = isTimeout(err) ? 'timeout' : `no answer (${(err as Error).message})`;
      }
      if (attempts < maxAttempts && !closing) await sleep(retryDelayMs - (Date.now() - startedAt));
    }
    const result: PushResult = { ok: false, status: 0, body: '', attempts, problem, encrypted };
    opts.onResult?.(push, result);
    return result;

    function interpret(res: RawResponse, tries: number): PushResult {
      if (res.status < 200 || res.status >= 300) {
        return { ok: false, status: res.status, body: res.body, attempts: tries, problem: `HTTP ${res.status}`, encrypted };
      }
      const reading = readReply(res.body, {
        token: opts.token,
        appId: opts.appId,
        aesKey: opts.aesKey,
        safeMode,
        userOpenid: push.FromUserName,
        accountId,
      });
      return {
        ok: reading.problem === undefined,
        status: res.status,
        body: res.body,
        attempts: tries,
        encrypted,
        ...(reading.reply ? { reply: reading.reply } : {}),
        ...(reading.problem ? { problem: reading.problem } : {}),
      };
    }
  };

  return {
    build,
    accountId,
    canEncrypt,
    send,
    sendRaw: request,
    signQuery,
    encode,
    async verifyUrl() {
      const echostr = newNonce() + newNonce();
      const res = await request({ method: 'GET', query: { ...signQuery(), echostr } });
      return { ok: res.status === 200 && res.body === echostr, status: res.status, body: res.body };
    },
    close() {
      closing = true;
      for (const c of inFlight) c.abort(new Error('push driver closed'));
    },
  };
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; message?: string; cause?: { message?: string } } | null;
  return e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.message === 'timeout' || e?.cause?.message === 'timeout';
}

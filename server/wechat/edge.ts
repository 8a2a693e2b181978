/**
 * The `/wechat` push endpoint's edge (DESIGN.md §2 step 1): signature, size cap, optional AES,
 * safe XML, typed message. Downstream middleware receives `ctx.state.wechat` and never sees a
 * push that failed a check.
 *
 * Order is the point: the plain signature and timestamp are checked before the body is read, the
 * body is read under a hard cap, and only then is any XML touched.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import getRawBody from 'raw-body';
import { AppError, BadRequest, PayloadTooLarge, Unauthorized } from '../http/errors.js';
import { createCipher, WeChatCryptoError, type WeChatCipher } from './crypto.js';
import { toInbound, type InboundMessage } from './inbound.js';
import type { ReplayGuard } from './replay-guard.js';
import { encryptReply } from './reply.js';
import { msgSignature, plainSignature, safeEqual } from './signature.js';
import { parseWeChatXml, XmlForbidden, XmlMalformed, type XmlRecord } from './xml.js';

/** The message encryption modes of the platform's settings page (明文, 兼容, 安全); WECHAT_ENCRYPT_MODE. */
export type EncryptMode = 'plain' | 'compatible' | 'safe';

export interface WeChatEdgeLogger {
  warn(obj: object, msg: string): void;
}

export interface WeChatEdgeOptions {
  token: string;
  appId: string;
  /** EncodingAESKey: needed to open `encrypt_type=aes` pushes. */
  aesKey?: string;
  /**
   * As on the platform's settings page. plain: plain pushes (and AES ones when a key is set);
   * compatible: both; safe: AES pushes with a valid msg_signature only. Default: safe when
   * aesKey is set, else plain.
   */
  encryptMode?: EncryptMode;
  /** Largest accepted |now - timestamp| in seconds, for POST and the GET URL check; 0 turns the check off. */
  maxSkewS: number;
  /** Remembers each signed query with its message, so that a query carries no other body. */
  replayGuard: ReplayGuard;
  /** Default 65536. */
  maxBodyBytes?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  logger?: WeChatEdgeLogger;
}

/** What the edge hands downstream in `ctx.state.wechat`. */
export interface WeChatPush {
  inbound: InboundMessage;
  /** The push came with `encrypt_type=aes`; replies are then encrypted too. */
  encrypted: boolean;
  /** Sets the response: null => empty 200 body ("say nothing"); XML => the passive reply. */
  reply: (xml: string | null) => void;
}

export interface WeChatEdgeState {
  wechat: WeChatPush;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** How long a query is remembered when the timestamp check is off (maxSkewS = 0). */
const UNCHECKED_SKEW_S = 300;

export function wechatEdge(opts: WeChatEdgeOptions): Middleware<WeChatEdgeState> {
  if (opts.token === '') throw new TypeError('wechatEdge needs the token');
  const cipher = opts.aesKey ? createCipher(opts.aesKey, opts.appId) : undefined;
  const mode: EncryptMode = opts.encryptMode ?? (cipher ? 'safe' : 'plain');
  if (mode !== 'plain' && !cipher) throw new TypeError(`wechatEdge in ${mode} mode needs the AES key (EncodingAESKey)`);
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = opts.now ?? Date.now;

  /** Logs why a push was refused (no secrets, no openid) and returns the error to throw. */
  const refuse = (ctx: Context, error: AppError): AppError => {
    opts.logger?.warn({ code: error.code, status: error.status, ip: ctx.ip, method: ctx.method }, 'wechat push refused');
    return error;
  };

  return async function wechatEdgeMiddleware(ctx, next: Next) {
    if (ctx.method === 'GET') return verifyUrl(ctx);
    if (ctx.method !== 'POST') throw new AppError(405, 'method_not_allowed', 'only GET and POST');

    const query = readQuery(ctx, ['signature', 'timestamp', 'nonce']);
    if (!query || !safeEqual(plainSignature(opts.token, query.timestamp, query.nonce), query.signature)) {
      throw refuse(ctx, new Unauthorized('bad signature', 'wechat_bad_signature'));
    }
    if (!fresh(query.timestamp)) throw refuse(ctx, new Unauthorized('stale timestamp', 'wechat_stale_timestamp'));

    const encryptType = single(ctx.query['encrypt_type']);
    const encrypted = encryptType === 'aes';
    if (encryptType !== undefined && encryptType !== 'aes' && encryptType !== 'raw') {
      throw refuse(ctx, new BadRequest('unsupported encrypt_type', 'wechat_bad_encrypt_type'));
    }
    if (encrypted && !cipher) {
      throw refuse(ctx, new BadRequest('encrypt_type=aes, but no EncodingAESKey is configured (WECHAT_ENCRYPT_MODE=plain)', 'wechat_aes_not_configured'));
    }
    if (!encrypted && mode === 'safe') {
      // In safe mode the body is authenticated by msg_signature only: a plain body is anyone's.
      throw refuse(ctx, new Unauthorized('safe mode: the push must be encrypted (encrypt_type=aes with msg_signature)', 'wechat_encryption_required'));
    }

    const body = await readBody(ctx);
    let fields = parse(ctx, body);
    // The message the signed query vouches for: the body, or for AES what msg_signature and the
    // appid authenticate (a retry sealed again has other ciphertext but the same message).
    let message = body;
    if (encrypted && cipher) {
      message = open(ctx, cipher, fields, query);
      fields = parse(ctx, message);
    }

    const inbound = typed(ctx, fields);
    await guard(ctx, query, message);
    if (inbound.kind === 'unknown') {
      opts.logger?.warn({ msgType: inbound.msgType, event: inbound.event }, 'wechat push of an unknown type');
    }

    ctx.state.wechat = {
      inbound,
      encrypted,
      reply: (xml) => {
        ctx.status = 200;
        if (xml === null) {
          ctx.body = '';
          return;
        }
        ctx.type = 'application/xml';
        ctx.body = encrypted && cipher ? seal(cipher, xml) : xml;
      },
    };
    await next();
    // A handler that says nothing must still answer 200 with an empty body, or WeChat retries
    // and then shows the user "该公众号暂时无法提供服务".
    if (ctx.body === undefined || ctx.body === null) ctx.state.wechat.reply(null);
  };

  /** WeChat's URL check: echo `echostr` when the plain signature holds (also in AES mode) and is fresh. */
  function verifyUrl(ctx: Context): void {
    const query = readQuery(ctx, ['signature', 'timestamp', 'nonce', 'echostr']);
    if (!query || !safeEqual(plainSignature(opts.token, query.timestamp, query.nonce), query.signature)) {
      throw refuse(ctx, new Unauthorized('bad signature', 'wechat_bad_signature'));
    }
    if (!fresh(query.timestamp)) throw refuse(ctx, new Unauthorized('stale timestamp', 'wechat_stale_timestamp'));
    ctx.type = 'text/plain';
    ctx.body = query.echostr;
  }

  function fresh(timestamp: string): boolean {
    if (opts.maxSkewS === 0) return true;
    if (!/^\d{1,12}$/.test(timestamp)) return false;
    return Math.abs(now() / 1000 - Number(timestamp)) <= opts.maxSkewS;
  }

  /**
   * Claims the query for this message until its timestamp goes stale. Only pushes that passed
   * every other check get here, so only the signer's queries take up room.
   */
  async function guard(ctx: Context, query: { timestamp: string; nonce: string }, message: string): Promise<void> {
    const skewS = opts.maxSkewS === 0 ? UNCHECKED_SKEW_S : opts.maxSkewS;
    const validForS = opts.maxSkewS === 0 ? skewS : Number(query.timestamp) + skewS - now() / 1000;
    const ttlS = Math.max(1, Math.ceil(validForS));
    const digest = createHash('sha256').update(message).digest('base64url');
    const verdict = await opts.replayGuard.claim(`${query.timestamp}:${query.nonce}`, digest, ttlS);
    if (verdict === 'replay') {
      opts.logger?.warn(
        { code: 'wechat_replayed_nonce', status: 401, ip: ctx.ip, timestamp: query.timestamp, nonce: query.nonce },
        'wechat push refused: a signed query seen before came with another body',
      );
      throw new Unauthorized('this signed query was already used with another body', 'wechat_replayed_nonce');
    }
  }

  async function readBody(ctx: Context): Promise<string> {
    try {
      // raw-body refuses at once when Content-Length is over the cap, and otherwise stops
      // reading as soon as the running total passes it.
      return await getRawBody(ctx.req, {
        limit: maxBodyBytes,
        length: ctx.get('content-length') || undefined,
        encoding: 'utf8',
      });
    } catch (error) {
      if ((error as { type?: string }).type === 'entity.too.large') {
        throw refuse(ctx, new PayloadTooLarge(maxBodyBytes));
      }
      throw refuse(ctx, new BadRequest('could not read the body', 'wechat_bad_body'));
    }
  }

  function parse(ctx: Context, xml: string): XmlRecord {
    try {
      return parseWeChatXml(xml);
    } catch (error) {
      if (error instanceof XmlForbidden) throw refuse(ctx, new BadRequest('XML declarations are not accepted', 'wechat_xml_forbidden'));
      if (error instanceof XmlMalformed) throw refuse(ctx, new BadRequest('malformed XML', 'wechat_xml_malformed'));
      throw error;
    }
  }

  /** Checks msg_signature over <Encrypt> and decrypts it; any mismatch is a forgery => 401. */
  function open(ctx: Context, c: WeChatCipher, outer: XmlRecord, query: { timestamp: string; nonce: string }): string {
    const encrypt = outer['Encrypt'];
    if (typeof encrypt !== 'string' || encrypt === '') {
      throw refuse(ctx, new BadRequest('encrypted push lacks <Encrypt>', 'wechat_bad_push'));
    }
    const given = single(ctx.query['msg_signature']);
    if (!given || !safeEqual(msgSignature(opts.token, query.timestamp, query.nonce, encrypt), given)) {
      throw refuse(ctx, new Unauthorized('bad msg_signature', 'wechat_bad_msg_signature'));
    }
    try {
      return c.decrypt(encrypt);
    } catch (error) {
      if (error instanceof WeChatCryptoError) throw refuse(ctx, new Unauthorized('undecryptable push', `wechat_${error.reason}`));
      throw error;
    }
  }

  function typed(ctx: Context, fields: XmlRecord): InboundMessage {
    try {
      return toInbound(fields);
    } catch (error) {
      throw error instanceof AppError ? refuse(ctx, error) : error;
    }
  }

  function seal(c: WeChatCipher, xml: string): string {
    const timestamp = Math.floor(now() / 1000);
    const nonce = String(randomInt(100_000_000, 1_000_000_000));
    return encryptReply(c, opts.token, xml, timestamp, nonce);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The named query parameters, each present once, or undefined. */
function readQuery<K extends string>(ctx: Context, names: K[]): Record<K, string> | undefined {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = single(ctx.query[name]);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out;
}

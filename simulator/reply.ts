import { decryptXml } from './aes.js';
import { sha1Signature } from './signature.js';
import { field, parseXml, type XmlRecord } from './xml.js';

/**
 * How WeChat reads the account's passive reply to a push (DESIGN.md §3 "Replies").
 * "success" or an empty body means "no reply"; an encrypted reply must carry a valid
 * MsgSignature and decrypt for our appid; a reply that WeChat would not deliver makes
 * the user see "该公众号暂时无法提供服务".
 */
export const SERVICE_UNAVAILABLE = '该公众号暂时无法提供服务';

export type ReplyFields = XmlRecord;

export interface ReplyReading {
  /** the reply's fields, decrypted when it was encrypted; absent for "success"/empty */
  readonly reply?: ReplyFields;
  /** why WeChat would reject the reply, if it would */
  readonly problem?: string;
  readonly encrypted: boolean;
}

export interface ReadReplyOptions {
  readonly token: string;
  readonly appId: string;
  readonly aesKey?: string;
  /** the push was sent in safe mode (not compat): a plain reply is not accepted */
  readonly safeMode: boolean;
  /** the push's FromUserName/ToUserName, which the reply must swap */
  readonly userOpenid: string;
  readonly accountId: string;
}

const REPLY_TYPES = new Set(['text', 'image', 'voice', 'video', 'music', 'news', 'transfer_customer_service']);

export function readReply(body: string, opts: ReadReplyOptions): ReplyReading {
  const trimmed = body.trim();
  if (trimmed === '' || trimmed === 'success') return { encrypted: false };
  let outer: XmlRecord;
  try {
    outer = parseXml(trimmed);
  } catch {
    return { encrypted: false, problem: 'reply is not XML' };
  }
  const encrypt = field(outer, 'Encrypt');
  if (encrypt === undefined) {
    if (opts.safeMode) return { encrypted: false, reply: outer, problem: 'plain reply to an encrypted push' };
    return { encrypted: false, reply: outer, problem: checkReply(outer, opts) };
  }
  if (!opts.aesKey) return { encrypted: true, problem: 'encrypted reply but no EncodingAESKey' };
  const timestamp = field(outer, 'TimeStamp') ?? '';
  const nonce = field(outer, 'Nonce') ?? '';
  const expected = sha1Signature(opts.token, timestamp, nonce, encrypt);
  if (field(outer, 'MsgSignature') !== expected) return { encrypted: true, problem: 'bad MsgSignature on reply' };
  let inner: XmlRecord;
  try {
    inner = parseXml(decryptXml(opts.aesKey, encrypt, opts.appId));
  } catch {
    return { encrypted: true, problem: 'reply does not decrypt for this appid' };
  }
  return { encrypted: true, reply: inner, problem: checkReply(inner, opts) };
}

function checkReply(reply: XmlRecord, opts: ReadReplyOptions): string | undefined {
  const type = field(reply, 'MsgType');
  if (!type || !REPLY_TYPES.has(type)) return `unknown reply MsgType ${type ?? '(none)'}`;
  if (field(reply, 'ToUserName') !== opts.userOpenid) return 'reply ToUserName is not the user';
  if (field(reply, 'FromUserName') !== opts.accountId) return 'reply FromUserName is not the account';
  if (!/^\d{1,11}$/.test(field(reply, 'CreateTime') ?? '')) return 'reply CreateTime is not in seconds';
  if (type === 'text' && !(field(reply, 'Content') ?? '').trim()) return 'empty text reply';
  if (type === 'news' && field(reply, 'ArticleCount') === undefined) return 'news reply without ArticleCount';
  return undefined;
}

/**
 * Passive replies: the XML body of the HTTP response to a push (DESIGN.md §3 "Replies").
 * A reply goes to the user, so ToUserName is the user's openid and FromUserName the account id.
 *
 * Two rules from WeChat that each function keeps:
 *  - an empty Content shows the user "该公众号暂时无法提供服务": say nothing with an empty body instead;
 *  - CreateTime is in seconds.
 */
import { buildXml, type XmlBuildRecord } from './xml.js';
import type { WeChatCipher } from './crypto.js';
import { msgSignature } from './signature.js';

export interface ReplyEnvelope {
  /** The user's openid (the push's FromUserName). */
  toUser: string;
  /** The account's original id (the push's ToUserName). */
  fromUser: string;
  /** Seconds since the epoch. */
  createTime: number;
}

export interface NewsArticle {
  title: string;
  description: string;
  picUrl: string;
  url: string;
}

/** WeChat's limit on articles in one news reply. */
export const MAX_NEWS_ARTICLES = 8;

/** A text reply, or null (reply with an empty body) when there is nothing but whitespace to say. */
export function textReply(r: ReplyEnvelope & { content: string }): string | null {
  if (r.content.trim() === '') return null;
  return buildXml({ ...header(r, 'text'), Content: r.content });
}

/** An image reply with a media id from the media upload API; null when there is no media id. */
export function imageReply(r: ReplyEnvelope & { mediaId: string }): string | null {
  if (r.mediaId.trim() === '') return null;
  return buildXml({ ...header(r, 'image'), Image: { MediaId: r.mediaId } });
}

/** A news reply of 1 to 8 articles; null for none. More than 8 is a programming error. */
export function newsReply(r: ReplyEnvelope & { articles: NewsArticle[] }): string | null {
  if (r.articles.length === 0) return null;
  if (r.articles.length > MAX_NEWS_ARTICLES) {
    throw new RangeError(`a news reply holds at most ${MAX_NEWS_ARTICLES} articles, got ${r.articles.length}`);
  }
  return buildXml({
    ...header(r, 'news'),
    ArticleCount: r.articles.length,
    Articles: {
      item: r.articles.map((a) => ({ Title: a.title, Description: a.description, PicUrl: a.picUrl, Url: a.url })),
    },
  });
}

/** Hands the message to WeChat's own customer-service desk (多客服), optionally to one account. */
export function transferCustomerServiceReply(r: ReplyEnvelope & { kfAccount?: string }): string {
  return buildXml({
    ...header(r, 'transfer_customer_service'),
    ...(r.kfAccount ? { TransInfo: { KfAccount: r.kfAccount } } : {}),
  });
}

/**
 * Wraps a reply for an encrypted push: `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`,
 * laid out as in Tencent's WXBizMsgCrypt sample (TimeStamp bare, the rest in CDATA).
 */
export function encryptReply(
  cipher: WeChatCipher,
  token: string,
  xml: string,
  timestamp: string | number,
  nonce: string,
): string {
  const ts = String(timestamp);
  if (!/^\d{1,12}$/.test(ts)) throw new TypeError('timestamp must be whole seconds');
  const encrypt = cipher.encrypt(xml);
  return buildXml({
    Encrypt: encrypt,
    MsgSignature: msgSignature(token, ts, nonce, encrypt),
    TimeStamp: Number(ts),
    Nonce: nonce,
  });
}

function header(r: ReplyEnvelope, msgType: string): XmlBuildRecord {
  // A millisecond value here would be a date 50,000 years ahead; WeChat would refuse the reply.
  if (!Number.isInteger(r.createTime) || r.createTime < 0 || r.createTime > 1e11) {
    throw new RangeError('createTime must be whole seconds since the epoch, not milliseconds');
  }
  return { ToUserName: r.toUser, FromUserName: r.fromUser, CreateTime: r.createTime, MsgType: msgType };
}

/**
 * The request bodies and answers of the WeChat API endpoints the service centre uses, as WeChat
 * spells them. Ids that may exceed 2^53 are strings (see wechat-json.ts).
 */

// ── access_token ─────────────────────────────────────────────────────────────

/** POST /cgi-bin/stable_token */
export interface StableTokenRequest {
  grant_type: 'client_credential';
  appid: string;
  secret: string;
  /** invalidates the current token for every holder; WeChat allows it 20 times a day, 30 s apart */
  force_refresh?: boolean;
}

export interface TokenAnswer {
  access_token: string;
  /** seconds left; in normal mode at least 300 */
  expires_in: number;
}

// ── customer-service messages ────────────────────────────────────────────────

export interface NewsArticle {
  title: string;
  description?: string;
  url: string;
  picurl?: string;
}

/** POST /cgi-bin/message/custom/send */
export type CustomSendRequest =
  | { touser: string; msgtype: 'text'; text: { content: string } }
  | { touser: string; msgtype: 'image'; image: { media_id: string } }
  | { touser: string; msgtype: 'news'; news: { articles: NewsArticle[] } };

/** POST /cgi-bin/message/custom/typing */
export interface TypingRequest {
  touser: string;
  command: 'Typing' | 'CancelTyping';
}

// ── menu ─────────────────────────────────────────────────────────────────────

/** POST /cgi-bin/menu/create */
export interface MenuCreateRequest {
  button: unknown[];
}

/** GET /cgi-bin/menu/get (46003 when there is none) */
export interface MenuGetAnswer {
  menu: { button: unknown[] };
}

// ── users ────────────────────────────────────────────────────────────────────

/** GET /cgi-bin/user/info?openid&lang */
export interface WeChatUserInfo {
  subscribe: number;
  openid: string;
  nickname?: string;
  headimgurl?: string;
  subscribe_time?: number;
  [k: string]: unknown;
}

// ── template messages ────────────────────────────────────────────────────────

/** POST /cgi-bin/message/template/send */
export interface TemplateSendRequest {
  touser: string;
  template_id: string;
  url?: string;
  data: Record<string, { value: string; color?: string }>;
}

export interface TemplateSendAnswer {
  /** decimal string: WeChat's msgid is a 64-bit integer */
  msgid: string;
}

// ── OAuth (snsapi_base) ──────────────────────────────────────────────────────

/** GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code */
export interface OAuthTokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  openid: string;
  scope: string;
}

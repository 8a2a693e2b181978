import type {
  CustomSendRequest,
  MenuCreateRequest,
  MenuGetAnswer,
  NewsArticle,
  OAuthTokenAnswer,
  TemplateSendAnswer,
  TemplateSendRequest,
  TypingRequest,
  WeChatUserInfo,
} from './api-types.js';
import { WeChatApiError, WeChatTransportError } from './api-errors.js';
import { RETRY_POLICY, runWithRetry, type RetryPolicy } from './retry-policy.js';
import { stableTokenFetcher } from './stable-token.js';
import { TokenManager, type TokenStore } from './token-manager.js';
import { exchange, type HttpOptions, type WeChatAnswer, type WeChatRequest } from './wechat-http.js';

export type { NewsArticle, WeChatUserInfo } from './api-types.js';

/** The WeChat API methods the service centre uses, typed. */
export interface WeChatApi {
  sendText(openid: string, content: string): Promise<void>;
  sendImage(openid: string, mediaId: string): Promise<void>;
  sendNews(openid: string, articles: NewsArticle[]): Promise<void>;
  typing(openid: string, typing: boolean): Promise<void>;
  createMenu(menu: { button: unknown[] }): Promise<void>;
  getMenu(): Promise<{ menu: { button: unknown[] } } | null>;
  getUser(openid: string): Promise<WeChatUserInfo>;
  sendTemplate(msg: TemplateMessage): Promise<{ msgid: string }>;
  /** OAuth (snsapi_base): exchanges a code for the user's openid. */
  oauthExchange(code: string): Promise<{ openid: string; scope: string }>;
}

export interface TemplateMessage {
  openid: string;
  templateId: string;
  url?: string;
  data: Record<string, { value: string; color?: string }>;
}

export interface ApiClientOptions {
  appId: string;
  appSecret: string;
  /** e.g. https://api.weixin.qq.com, or the simulator's address. */
  apiBase: string;
  tokenStore: TokenStore;
  /** per HTTP exchange, default 5000 */
  timeoutMs?: number;
  now?: () => number;
  /** default RETRY_POLICY */
  retry?: RetryPolicy;
}

/**
 * The WeChat API on fetch. The token comes from the shared TokenManager (fetched with
 * stable_token), every call follows the one retry policy of retry-policy.ts, and failures
 * are WeChatApiError (an errcode) or WeChatTransportError (no answer).
 */
export function createWeChatApi(opts: ApiClientOptions): WeChatApi & { tokens: TokenManager } {
  const http: HttpOptions = { apiBase: opts.apiBase, timeoutMs: opts.timeoutMs ?? 5000, secrets: [opts.appSecret] };
  const policy = opts.retry ?? RETRY_POLICY;

  /** A call without the access_token. */
  const open = (req: WeChatRequest, idempotent: boolean) => runWithRetry(() => exchange(http, req), { idempotent }, policy);

  const tokens = new TokenManager(
    opts.tokenStore,
    stableTokenFetcher(opts.appId, opts.appSecret, (body, { idempotent }) => open({ method: 'POST', path: '/cgi-bin/stable_token', body }, idempotent)),
    opts.now,
  );

  /** A call with the access_token in its query. */
  const call = (req: WeChatRequest, idempotent: boolean): Promise<WeChatAnswer> =>
    runWithRetry((token) => exchange(http, req, token), { idempotent, tokens }, policy);

  const post = (path: string, body: object, idempotent: boolean) => call({ method: 'POST', path, body }, idempotent);
  // A send that got no answer may have been delivered: it is not repeated (retry-policy.ts).
  const customSend = async (body: CustomSendRequest) => {
    await post('/cgi-bin/message/custom/send', body, false);
  };

  return {
    tokens,
    sendText: (openid, content) => customSend({ touser: openid, msgtype: 'text', text: { content } }),
    sendImage: (openid, mediaId) => customSend({ touser: openid, msgtype: 'image', image: { media_id: mediaId } }),
    sendNews: (openid, articles) => customSend({ touser: openid, msgtype: 'news', news: { articles } }),
    async typing(openid, typing) {
      const body: TypingRequest = { touser: openid, command: typing ? 'Typing' : 'CancelTyping' };
      await post('/cgi-bin/message/custom/typing', body, true);
    },
    async createMenu(menu) {
      const body: MenuCreateRequest = { button: menu.button };
      // The same menu twice is the same menu.
      await post('/cgi-bin/menu/create', body, true);
    },
    async getMenu() {
      try {
        const answer = await call({ method: 'GET', path: '/cgi-bin/menu/get' }, true);
        return { menu: { button: buttonsOf(answer) } } satisfies MenuGetAnswer;
      } catch (err) {
        if (err instanceof WeChatApiError && err.errcode === 46003) return null; // no menu yet
        throw err;
      }
    },
    async getUser(openid) {
      const answer = await call({ method: 'GET', path: '/cgi-bin/user/info', query: { openid, lang: 'zh_CN' } }, true);
      if (typeof answer.openid !== 'string') throw unexpected('/cgi-bin/user/info', 'openid');
      return { ...answer, subscribe: Number(answer.subscribe ?? 0), openid: answer.openid } satisfies WeChatUserInfo;
    },
    async sendTemplate(msg) {
      const body: TemplateSendRequest = { touser: msg.openid, template_id: msg.templateId, ...(msg.url ? { url: msg.url } : {}), data: msg.data };
      const answer = await post('/cgi-bin/message/template/send', body, false);
      // wechat-json.ts has made the msgid a string with all its digits.
      return { msgid: typeof answer.msgid === 'string' ? answer.msgid : '' } satisfies TemplateSendAnswer;
    },
    async oauthExchange(code): Promise<Pick<OAuthTokenAnswer, 'openid' | 'scope'>> {
      // A code works once: an exchange whose answer was lost cannot be repeated.
      const answer = await open(
        {
          method: 'GET',
          path: '/sns/oauth2/access_token',
          query: { appid: opts.appId, secret: opts.appSecret, code, grant_type: 'authorization_code' },
        },
        false,
      );
      if (typeof answer.openid !== 'string') throw unexpected('/sns/oauth2/access_token', 'openid');
      return { openid: answer.openid, scope: typeof answer.scope === 'string' ? answer.scope : 'snsapi_base' };
    },
  };
}

function buttonsOf(answer: WeChatAnswer): unknown[] {
  const menu = answer.menu as { button?: unknown } | undefined;
  if (!menu || !Array.isArray(menu.button)) throw unexpected('/cgi-bin/menu/get', 'menu.button');
  return menu.button;
}

/** A 200 answer without the field the endpoint promises: as unusable as no answer. */
function unexpected(endpoint: string, field: string): WeChatTransportError {
  return new WeChatTransportError(`an answer without ${field}`, endpoint);
}

import CoWeChatApi from 'co-wechat-api';
import { TokenManager, type TokenStore } from './token-manager.js';
import { TOKEN_ERRCODES, WeChatApiError, WeChatTransportError } from './api-errors.js';

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

export interface NewsArticle {
  title: string;
  description?: string;
  url: string;
  picurl?: string;
}

export interface WeChatUserInfo {
  subscribe: number;
  openid: string;
  nickname?: string;
  headimgurl?: string;
  subscribe_time?: number;
  [k: string]: unknown;
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
  timeoutMs?: number;
  now?: () => number;
}

/**
 * co-wechat-api with its prefixes pointed at `apiBase` and its request() wrapped:
 * the token comes from the shared TokenManager, a token error (40001/40014/42001)
 * refreshes it once (single flight) and retries once, and failures become typed errors.
 */
class CoWeChatClient extends CoWeChatApi {
  readonly tokens: TokenManager;

  constructor(private readonly opts: ApiClientOptions) {
    super(opts.appId, opts.appSecret);
    const base = opts.apiBase.replace(/\/+$/, '');
    this.prefix = `${base}/cgi-bin/`;
    this.snsPrefix = `${base}/sns/`;
    this.customservicePrefix = `${base}/customservice/`;
    this.wxaPrefix = `${base}/wxa/`;
    this.payPrefix = `${base}/pay/`;
    this.merchantPrefix = `${base}/merchant/`;
    this.fileServerPrefix = `${base}/cgi-bin/`;
    this.mpPrefix = `${base}/cgi-bin/`;
    this.setOpts({ timeout: opts.timeoutMs ?? 5000 });
    this.tokens = new TokenManager(opts.tokenStore, () => this.fetchToken(), opts.now);
  }

  override async ensureAccessToken(): Promise<{ accessToken: string }> {
    return { accessToken: await this.tokens.get() };
  }

  override async request(url: string, opts?: Record<string, unknown>): Promise<any> {
    try {
      return await this.rawRequest(url, opts);
    } catch (err) {
      if (!(err instanceof WeChatApiError) || !TOKEN_ERRCODES.has(err.errcode)) throw err;
      const u = new URL(url);
      const stale = u.searchParams.get('access_token');
      if (stale === null) throw err;
      u.searchParams.set('access_token', await this.tokens.refresh(stale));
      return this.rawRequest(u.toString(), opts);
    }
  }

  private async fetchToken(): Promise<{ token: string; expiresInS: number }> {
    const url = `${this.prefix}token?grant_type=client_credential&appid=${encodeURIComponent(this.opts.appId)}&secret=${encodeURIComponent(this.opts.appSecret)}`;
    const data = await this.rawRequest(url);
    return { token: String(data.access_token), expiresInS: Number(data.expires_in) || 7200 };
  }

  /** co-wechat-api's request with its own token retry turned off (retry = 0), errors typed. */
  private async rawRequest(url: string, opts?: Record<string, unknown>): Promise<any> {
    const endpoint = endpointOf(url);
    try {
      return await super.request(url, opts, 0);
    } catch (err) {
      const e = err as { name?: string; code?: unknown; message?: string };
      if (e.name === 'WeChatAPIError' && typeof e.code === 'number') {
        throw new WeChatApiError(e.code, e.message ?? '', endpoint);
      }
      throw new WeChatTransportError(e.message ?? String(err), endpoint);
    }
  }
}

/** The path without host and query: never logs the access_token or the secret. */
function endpointOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(bad url)';
  }
}

const postJSON = (data: unknown) => ({
  dataType: 'json',
  method: 'POST',
  data: JSON.stringify(data),
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
});

export function createWeChatApi(opts: ApiClientOptions): WeChatApi & { tokens: TokenManager } {
  const c = new CoWeChatClient(opts);
  return {
    tokens: c.tokens,
    async sendText(openid, content) {
      await c.sendText(openid, content);
    },
    async sendImage(openid, mediaId) {
      await c.sendImage(openid, mediaId);
    },
    async sendNews(openid, articles) {
      await c.sendNews(openid, articles);
    },
    async typing(openid, typing) {
      const { accessToken } = await c.ensureAccessToken();
      await c.request(
        `${c.prefix}message/custom/typing?access_token=${accessToken}`,
        postJSON({ touser: openid, command: typing ? 'Typing' : 'CancelTyping' }),
      );
    },
    async createMenu(menu) {
      await c.createMenu(menu);
    },
    async getMenu() {
      try {
        return await c.getMenu();
      } catch (err) {
        if (err instanceof WeChatApiError && err.errcode === 46003) return null; // no menu yet
        throw err;
      }
    },
    async getUser(openid) {
      return (await c.getUser({ openid, lang: 'zh_CN' })) as WeChatUserInfo;
    },
    async sendTemplate(msg) {
      const r = await c.sendTemplate(msg.openid, msg.templateId, msg.url ?? '', '', msg.data);
      return { msgid: String(r?.msgid ?? '') };
    },
    async oauthExchange(code) {
      const url =
        `${c.snsPrefix}oauth2/access_token?appid=${encodeURIComponent(opts.appId)}` +
        `&secret=${encodeURIComponent(opts.appSecret)}&code=${encodeURIComponent(code)}&grant_type=authorization_code`;
      // No access_token in this URL, so request() never tries a token refresh here.
      const r = await c.request(url, { dataType: 'json' });
      return { openid: String(r.openid), scope: String(r.scope ?? 'snsapi_base') };
    },
  };
}

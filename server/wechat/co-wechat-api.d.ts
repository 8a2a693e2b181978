// co-wechat-api ships no types; we declare only what server/wechat/api-client.ts uses.
declare module 'co-wechat-api' {
  class API {
    constructor(appid: string, appsecret: string, getToken?: () => Promise<unknown>, saveToken?: (t: unknown) => Promise<void>);
    appid: string;
    appsecret: string;
    prefix: string;
    snsPrefix: string;
    mpPrefix: string;
    fileServerPrefix: string;
    payPrefix: string;
    merchantPrefix: string;
    customservicePrefix: string;
    wxaPrefix: string;
    setOpts(opts: Record<string, unknown>): void;
    request(url: string, opts?: Record<string, unknown>, retry?: number): Promise<any>;
    ensureAccessToken(): Promise<{ accessToken: string }>;
    getAccessToken(): Promise<{ accessToken: string; expireTime: number }>;
    sendText(openid: string, text: string): Promise<any>;
    sendImage(openid: string, mediaId: string): Promise<any>;
    sendNews(openid: string, articles: unknown[]): Promise<any>;
    createMenu(menu: unknown): Promise<any>;
    getMenu(): Promise<any>;
    getUser(options: string | { openid: string; lang?: string }): Promise<any>;
    sendTemplate(openid: string, templateId: string, url: string, topColor: string, data: unknown, miniprogram?: unknown): Promise<any>;
  }
  export = API;
}

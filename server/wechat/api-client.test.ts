import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { listen, type Listening } from '../../simulator/test-support.js';
import { createWeChatApi, type WeChatApi } from './api-client.js';
import { WeChatApiError, WeChatTransportError } from './api-errors.js';
import type { RetryPolicy } from './retry-policy.js';
import type { CachedToken, TokenStore } from './token-manager.js';

/** The fetch client against the simulator over real HTTP, every request it makes written down. */
const creds = { appId: 'wxclienttest00001', appSecret: 'client-test-secret-0123456789abcd', token: 'clienttoken' };
const FAST: RetryPolicy = { transportTries: 3, baseDelayMs: 1, maxDelayMs: 5 };

function memoryStore(): TokenStore & { value: CachedToken | null } {
  const s = {
    value: null as CachedToken | null,
    read: async () => s.value,
    write: async (t: CachedToken) => {
      s.value = t;
    },
    withRefreshLock: <T>(fn: () => Promise<T>) => fn(),
  };
  return s;
}

let sim: Simulator;
let http: Listening;
let store: ReturnType<typeof memoryStore>;
let api: WeChatApi;
/** "METHOD /path" of every request the simulator got */
let requests: string[];

beforeEach(async () => {
  sim = createSimulator({ ...creds, pushUrl: 'http://127.0.0.1:9/wechat', firstTemplateMsgId: 2n ** 53n + 1n });
  const handle = sim.app.callback();
  requests = [];
  http = await listen((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    void handle(req, res);
  });
  store = memoryStore();
  api = createWeChatApi({ ...creds, apiBase: http.url, tokenStore: store, retry: FAST });
});
afterEach(async () => {
  await sim.close();
  await http.close();
});

/** A user who just wrote: the 48 h window and the 30 s typing window are open. */
const activeUser = () => {
  const openid = sim.platform.addUser().openid;
  sim.platform.recordPush(sim.driver.build.text(openid, '你好'));
  return openid;
};
const tokenRequests = () => requests.filter((r) => r.includes('token'));

describe('the access_token', () => {
  it('comes from POST /cgi-bin/stable_token, once, and is reused', async () => {
    const openid = activeUser();
    await api.typing(openid, true);
    await api.sendText(openid, '你好');
    expect(tokenRequests()).toEqual(['POST /cgi-bin/stable_token']);
    expect(requests).toEqual(['POST /cgi-bin/stable_token', 'POST /cgi-bin/message/custom/typing', 'POST /cgi-bin/message/custom/send']);
    expect(store.value?.token).toBeTruthy();
  });

  it('is refreshed exactly once, and the call retried once, on a token errcode', async () => {
    const openid = activeUser();
    await api.typing(openid, true);
    requests.length = 0;
    sim.platform.failNext('/cgi-bin/message/custom/typing', 40001);
    await api.typing(openid, true);
    expect(requests).toEqual(['POST /cgi-bin/message/custom/typing', 'POST /cgi-bin/stable_token', 'POST /cgi-bin/message/custom/typing']);
  });

  it('is not refreshed a second time when WeChat refuses it again: the error is the caller’s', async () => {
    const openid = activeUser();
    await api.typing(openid, true);
    requests.length = 0;
    sim.platform.failNext('/cgi-bin/message/custom/typing', 42001);
    sim.platform.failNext('/cgi-bin/message/custom/typing', 42001);
    await expect(api.typing(openid, true)).rejects.toMatchObject({ errcode: 42001 });
    expect(requests).toEqual(['POST /cgi-bin/message/custom/typing', 'POST /cgi-bin/stable_token', 'POST /cgi-bin/message/custom/typing']);
  });

  it('is fetched anew when it really expired, and a send refused for it goes out once', async () => {
    const openid = activeUser();
    await api.typing(openid, true);
    const before = store.value?.token;
    sim.platform.expireAllTokens();
    await api.sendText(openid, '过期之后');
    expect(store.value?.token).not.toBe(before);
    expect(sim.platform.timeline(openid).filter((e) => e.via === 'custom').map((e) => e.text)).toEqual(['过期之后']);
    expect(sim.platform.stats.forcedRefreshes).toBe(0);
  });

  it('is force-refreshed only when the normal mode hands back the token WeChat refused a second time', async () => {
    const openid = activeUser();
    await api.typing(openid, true);
    const first = store.value?.token;
    sim.platform.failNext('/cgi-bin/message/custom/typing', 40001);
    await api.typing(openid, true); // the normal mode hands back the same, still valid, token
    expect(store.value?.token).toBe(first);
    expect(sim.platform.stats.forcedRefreshes).toBe(0);
    sim.platform.failNext('/cgi-bin/message/custom/typing', 40001);
    await api.typing(openid, true);
    expect(sim.platform.stats.forcedRefreshes).toBe(1);
    expect(store.value?.token).not.toBe(first);
    expect(sim.platform.checkAccessToken(first)).toBe(40001);
  });
});

describe('answers', () => {
  it('keeps a template msgid beyond 2^53 as its exact decimal string', async () => {
    const user = sim.platform.addUser();
    const { msgid } = await api.sendTemplate({ openid: user.openid, templateId: 'TPL', data: { first: { value: '您好' } } });
    expect(msgid).toBe('9007199254740993');
    expect(msgid).toBe(sim.platform.templates.at(-1)?.msgid);
  });

  it('turns a non-zero errcode into a WeChatApiError that is not retried', async () => {
    const err = await api.sendText('oNobody', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeChatApiError);
    expect(err).toMatchObject({ errcode: 40003, endpoint: '/cgi-bin/message/custom/send' });
    expect(requests.filter((r) => r.endsWith('/custom/send'))).toHaveLength(1);
  });
});

describe('no answer', () => {
  it('retries an idempotent call with back-off, a bounded number of times', async () => {
    await api.createMenu({ button: [{ type: 'click', name: '微客服', key: 'KF' }] });
    sim.platform.failNext('/cgi-bin/menu/get', 503);
    sim.platform.failNext('/cgi-bin/menu/get', 502);
    expect((await api.getMenu())?.menu.button).toHaveLength(1);
    for (let i = 0; i < 3; i++) sim.platform.failNext('/cgi-bin/menu/get', 500);
    await expect(api.getMenu()).rejects.toBeInstanceOf(WeChatTransportError);
    expect(requests.filter((r) => r === 'GET /cgi-bin/menu/get')).toHaveLength(6);
  });

  it('does not repeat a send, which WeChat may have delivered', async () => {
    const openid = activeUser();
    sim.platform.failNext('/cgi-bin/message/custom/send', 503);
    await expect(api.sendText(openid, 'x')).rejects.toBeInstanceOf(WeChatTransportError);
    expect(requests.filter((r) => r.endsWith('/custom/send'))).toHaveLength(1);
  });

  it('retries the token fetch too (the normal mode is idempotent)', async () => {
    const openid = activeUser();
    sim.platform.failNext('/cgi-bin/stable_token', 503);
    await api.typing(openid, true);
    expect(tokenRequests()).toEqual(['POST /cgi-bin/stable_token', 'POST /cgi-bin/stable_token']);
  });
});

describe('secrets', () => {
  const leaks = (err: unknown, secrets: string[]) => {
    const e = err as Error;
    const text = [e.message, e.stack ?? '', JSON.stringify(e), String(e)].join('\n');
    return secrets.filter((s) => text.includes(s));
  };

  it('never puts the access_token or the AppSecret in a thrown error', async () => {
    const openid = activeUser();
    await api.typing(openid, true);
    const token = store.value!.token;
    const refused = await api.sendText('oNobody', 'x').catch((e: unknown) => e);
    sim.platform.failNext('/cgi-bin/message/custom/send', 503);
    const unanswered = await api.sendText(openid, 'x').catch((e: unknown) => e);
    const oauth = await api.oauthExchange('not-a-code').catch((e: unknown) => e);
    const errors = [refused, unanswered, oauth];
    expect(errors.map((e) => (e as Error).name)).toEqual(['WeChatApiError', 'WeChatTransportError', 'WeChatApiError']);
    for (const err of errors) expect(leaks(err, [token, creds.appSecret])).toEqual([]);
  });

  it('redacts them when WeChat echoes the request in its errmsg', async () => {
    // An upstream that echoes the URL (token, and the OAuth secret) and the body in errmsg.
    const echo = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += String(c)));
      req.on('end', () => {
        const answer = req.url?.startsWith('/cgi-bin/stable_token')
          ? { access_token: 'ECHO_TOKEN_4f0c2a9e', expires_in: 7200 }
          : { errcode: 40003, errmsg: `invalid openid, request ${req.url} ${body}` };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const echoApi = createWeChatApi({ ...creds, apiBase: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`, tokenStore: memoryStore(), retry: FAST });
      const sendErr = await echoApi.sendText('oX', 'x').catch((e: unknown) => e);
      const oauthErr = await echoApi.oauthExchange('CODE').catch((e: unknown) => e);
      expect((sendErr as WeChatApiError).errmsg).toContain('invalid openid');
      expect(leaks(sendErr, ['ECHO_TOKEN_4f0c2a9e', creds.appSecret])).toEqual([]);
      expect(leaks(oauthErr, ['ECHO_TOKEN_4f0c2a9e', creds.appSecret])).toEqual([]);
    } finally {
      echo.closeAllConnections();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});

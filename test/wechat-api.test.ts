import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../server/db/client.js';
import { createWeChatApi, type WeChatApi } from '../server/wechat/api-client.js';
import { WeChatApiError, WeChatTransportError } from '../server/wechat/api-errors.js';
import { dbTokenStore, redisTokenStore, type TokenStore } from '../server/wechat/token-manager.js';
import { freshStorageTarget, testMode } from './helpers/mode.js';
import { startStandaloneSimulator, type StandaloneSimulator } from './helpers/simulator.js';

/** The typed WeChat API client against the simulator, with the token store of the current mode. */
describe(`the WeChat API client (${testMode()})`, () => {
  let sim: StandaloneSimulator;
  let database: Database;
  let redis: Redis | undefined;
  let api: WeChatApi;
  let store: TokenStore;

  beforeAll(async () => {
    sim = await startStandaloneSimulator('http://127.0.0.1:9/wechat');
    const target = await freshStorageTarget();
    database = await openDatabase(target);
    if (target.redisUrl) {
      redis = new Redis(target.redisUrl);
      await redis.del(`wxdesk:access_token:${sim.credentials.appId}`);
    }
    store = redis ? redisTokenStore(redis, sim.credentials.appId) : dbTokenStore(database, sim.credentials.appId);
    api = createWeChatApi({ appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, apiBase: sim.url, tokenStore: store });
  });
  afterAll(async () => {
    redis?.disconnect();
    await database?.close();
    await sim?.stop();
  });

  /** A user who just wrote to the account: the 48 h window is open. */
  const activeUser = async () => {
    const openid = sim.platform.addUser().openid;
    // As if the user had just sent a message (no account server is needed for that here).
    sim.platform.recordPush(sim.driver.build.text(openid, '你好'));
    return openid;
  };

  it('caches the token in the store and reuses it', async () => {
    const openid = await activeUser();
    const before = sim.platform.stats.tokenRequests;
    await api.sendText(openid, '一');
    await api.sendText(openid, '二');
    expect(sim.platform.stats.tokenRequests - before).toBeLessThanOrEqual(1);
    expect((await store.read())?.token).toBeTruthy();
  });

  it('sends text, image and news through the customer-service API', async () => {
    const openid = await activeUser();
    await api.sendText(openid, '文本消息');
    await api.sendImage(openid, 'MEDIA_ID_1');
    await api.sendNews(openid, [{ title: '操作手册', description: '如何绑定微信', url: 'https://example.invalid/a' }]);
    const kinds = sim.platform.timeline(openid).filter((e) => e.via === 'custom').map((e) => e.kind);
    expect(kinds).toEqual(['text', 'image', 'news']);
  });

  it('refreshes once and retries on 40001, 40014 and 42001', async () => {
    const openid = await activeUser();
    for (const code of [40001, 40014, 42001]) {
      const before = sim.platform.stats.tokenRequests;
      sim.platform.failNext('/cgi-bin/message/custom/typing', code);
      await api.typing(openid, true);
      expect(sim.platform.stats.tokenRequests - before).toBe(1);
    }
  });

  it('gives up after one refresh when the token error repeats', async () => {
    const openid = await activeUser();
    sim.platform.failNext('/cgi-bin/message/custom/typing', 40001);
    sim.platform.failNext('/cgi-bin/message/custom/typing', 40001);
    await expect(api.typing(openid, true)).rejects.toMatchObject({ errcode: 40001 });
  });

  it('turns WeChat errors into typed errors with errcode and errmsg', async () => {
    const err = await api.sendText('o_nobody', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeChatApiError);
    expect(err).toMatchObject({ errcode: 40003 });
    expect((err as WeChatApiError).errmsg).toBeTruthy();
    expect((err as Error).message).not.toContain('access_token=');
  });

  it('reports a server error as a transport error, to be retried', async () => {
    const openid = await activeUser();
    sim.platform.failNext('/cgi-bin/message/custom/send', 503);
    await expect(api.sendText(openid, 'x')).rejects.toBeInstanceOf(WeChatTransportError);
  });

  it('refuses typing 30 s after the customer’s last message (45080)', async () => {
    const now = Date.now();
    const user = sim.platform.addUser({ subscribeTime: now - 60_000 }).openid;
    await expect(api.typing(user, true)).rejects.toMatchObject({ errcode: 45080 });
  });

  it('creates and reads back a menu, and reports the limit it breaks', async () => {
    const menu = { button: [{ type: 'click', name: '微客服', key: 'KF_CHAT' }] };
    await api.createMenu(menu);
    expect((await api.getMenu())?.menu.button).toMatchObject(menu.button);
    await expect(api.createMenu({ button: [{ type: 'click', name: '这个名字太长了超过十六字节', key: 'K' }] })).rejects.toMatchObject({ errcode: 40018 });
    await expect(api.createMenu({ button: [1, 2, 3, 4].map((i) => ({ type: 'click', name: `菜单${i}`, key: `K${i}` })) })).rejects.toMatchObject({ errcode: 40016 });
  });

  it('reads user info and sends a template message', async () => {
    const user = sim.platform.addUser({ nickname: '李四' });
    expect(await api.getUser(user.openid)).toMatchObject({ openid: user.openid, nickname: '李四', subscribe: 1 });
    const { msgid } = await api.sendTemplate({ openid: user.openid, templateId: 'TPL_APPROVAL', data: { first: { value: '您的申请已通过' } } });
    expect(msgid).toMatch(/^\d+$/);
    expect(sim.platform.templates.at(-1)).toMatchObject({ openid: user.openid, templateId: 'TPL_APPROVAL' });
  });

  it('exchanges an OAuth code once (40163 on reuse, 40029 for an unknown code)', async () => {
    const user = sim.platform.addUser();
    const authorize = new URL(`${sim.url}/connect/oauth2/authorize`);
    authorize.search = new URLSearchParams({ appid: sim.credentials.appId, redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code', scope: 'snsapi_base', state: 's1', openid: user.openid }).toString();
    const res = await fetch(authorize, { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('s1');
    const code = location.searchParams.get('code')!;
    expect(await api.oauthExchange(code)).toEqual({ openid: user.openid, scope: 'snsapi_base' });
    await expect(api.oauthExchange(code)).rejects.toMatchObject({ errcode: 40163 });
    await expect(api.oauthExchange('not-a-code')).rejects.toMatchObject({ errcode: 40029 });
  });
});

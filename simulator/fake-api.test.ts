import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './index.js';
import { listen, manualClock, type Listening } from './test-support.js';

const creds = { appId: 'wx0123456789abcdef', appSecret: 'secret0123456789abcdef0123456789', token: 'simtoken123' };
const MIN = 60_000;

let sim: Simulator;
let http: Listening;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  sim = createSimulator({ ...creds, pushUrl: 'http://127.0.0.1:9/wechat', now: clock.now });
  http = await listen(sim.app);
});
afterEach(async () => {
  await sim.close();
  await http.close();
});

async function get(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${http.url}${path}`);
  return (await res.json()) as Record<string, unknown>;
}
async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${http.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}
async function token(): Promise<string> {
  const r = await get(`/cgi-bin/token?grant_type=client_credential&appid=${creds.appId}&secret=${creds.appSecret}`);
  return r.access_token as string;
}
const errcodeOf = (r: Record<string, unknown>) => (r.errcode as number | undefined) ?? 0;
const menuGet = async (t: string) => errcodeOf(await get(`/cgi-bin/menu/get?access_token=${t}`));

describe('access_token', () => {
  it('issues a token valid for 7200 s, then answers 42001', async () => {
    const r = await get(`/cgi-bin/token?grant_type=client_credential&appid=${creds.appId}&secret=${creds.appSecret}`);
    expect(r.expires_in).toBe(7200);
    const t = r.access_token as string;
    expect(await menuGet(t)).toBe(46003); // the token passed; there is just no menu yet
    clock.advance(7200_000 - 1);
    expect(await menuGet(t)).toBe(46003);
    clock.advance(1);
    expect(await menuGet(t)).toBe(42001);
  });

  it('keeps the previous token valid for 5 more minutes only', async () => {
    const first = await token();
    clock.advance(10 * MIN);
    const second = await token();
    expect(second).not.toBe(first);
    clock.advance(5 * MIN - 1);
    expect(await menuGet(first)).toBe(46003);
    clock.advance(1);
    expect(await menuGet(first)).toBe(40001);
    expect(await menuGet(second)).toBe(46003);
  });

  it('answers 40001 for an unknown token and 41001 without one', async () => {
    expect(await menuGet('not-a-token')).toBe(40001);
    expect(errcodeOf(await get('/cgi-bin/menu/get'))).toBe(41001);
  });

  it('refuses a wrong appid or secret and counts every request', async () => {
    expect(errcodeOf(await get(`/cgi-bin/token?grant_type=client_credential&appid=wxnope&secret=${creds.appSecret}`))).toBe(40013);
    expect(errcodeOf(await get(`/cgi-bin/token?grant_type=client_credential&appid=${creds.appId}&secret=nope`))).toBe(40125);
    expect(errcodeOf(await get(`/cgi-bin/token?grant_type=password&appid=${creds.appId}&secret=${creds.appSecret}`))).toBe(40002);
    await token();
    expect(sim.platform.stats.tokenRequests).toBe(4);
    expect(sim.platform.stats.tokensIssued).toBe(1);
  });

  it('expires every token on demand', async () => {
    const t = await token();
    sim.platform.expireAllTokens();
    expect(await menuGet(t)).toBe(42001);
  });

  it('plays injected failures once, as errcode or HTTP status', async () => {
    const t = await token();
    sim.platform.failNext('/cgi-bin/menu/get', 40001);
    sim.platform.failNext('/cgi-bin/menu/get', 503);
    expect(await menuGet(t)).toBe(40001);
    expect((await fetch(`${http.url}/cgi-bin/menu/get?access_token=${t}`)).status).toBe(503);
    expect(await menuGet(t)).toBe(46003);
  });
});

describe('stable access_token (POST /cgi-bin/stable_token)', () => {
  const stable = (extra: Record<string, unknown> = {}) => post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: creds.appId, secret: creds.appSecret, ...extra });

  it('returns the same token while it has more than 5 minutes left, then a new one; the old one lives on until it expires', async () => {
    const first = await stable();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    clock.advance(10 * MIN);
    expect(await stable()).toEqual({ access_token: first.access_token, expires_in: 7200 - 600 });
    clock.advance(7200_000 - 10 * MIN - 5 * MIN);
    const second = await stable();
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.expires_in).toBe(7200);
    expect(await menuGet(first.access_token as string)).toBe(46003);
    clock.advance(5 * MIN);
    expect(await menuGet(first.access_token as string)).toBe(42001);
    expect(await menuGet(second.access_token as string)).toBe(46003);
    expect(sim.platform.stats.tokensIssued).toBe(2);
  });

  it('force_refresh kills the current token at once, at most once per 30 s and 20 times a day', async () => {
    const first = (await stable()).access_token as string;
    const forced = (await stable({ force_refresh: true })).access_token as string;
    expect(forced).not.toBe(first);
    expect(await menuGet(first)).toBe(40001);
    expect(await menuGet(forced)).toBe(46003);
    // Too soon: answered as the normal mode.
    expect((await stable({ force_refresh: true })).access_token).toBe(forced);
    for (let i = 2; i <= 20; i++) {
      clock.advance(30_000);
      expect((await stable({ force_refresh: true })).access_token).not.toBe(forced);
    }
    expect(sim.platform.stats.forcedRefreshes).toBe(20);
    clock.advance(30_000);
    expect(errcodeOf(await stable({ force_refresh: true }))).toBe(45009);
    expect(errcodeOf(await stable())).toBe(0);
  });

  it('is apart from /cgi-bin/token: neither invalidates the other', async () => {
    const s = (await stable()).access_token as string;
    const basic = await token();
    const latest = await token();
    clock.advance(5 * MIN);
    expect(await menuGet(s)).toBe(46003); // a new basic token superseded the basic ones only
    expect(await menuGet(basic)).toBe(40001);
    await stable({ force_refresh: true });
    expect(await menuGet(latest)).toBe(46003); // a forced stable token killed the stable one only
    expect(await menuGet(s)).toBe(40001);
  });

  it('refuses a wrong appid, secret or grant_type like /cgi-bin/token, and a body that is not JSON', async () => {
    expect(errcodeOf(await stable({ appid: 'wxnope' }))).toBe(40013);
    expect(errcodeOf(await stable({ secret: 'nope' }))).toBe(40125);
    expect(errcodeOf(await stable({ grant_type: 'password' }))).toBe(40002);
    expect(errcodeOf(await post('/cgi-bin/stable_token', '{not json'))).toBe(47001);
    expect((await fetch(`${http.url}/cgi-bin/stable_token?grant_type=client_credential&appid=${creds.appId}&secret=${creds.appSecret}`)).status).toBe(404);
    expect(sim.platform.stats.tokenRequests).toBe(4);
    expect(sim.platform.stats.tokensIssued).toBe(0);
  });
});

describe('customer-service send', () => {
  let t: string;
  let openid: string;
  const text = (content: string) => ({ touser: openid, msgtype: 'text', text: { content } });
  const userWrites = () => sim.platform.recordPush(sim.driver.build.text(openid, '你好'));

  beforeEach(async () => {
    t = await token();
    openid = sim.platform.users()[0]!.openid;
  });

  it('refuses an unknown openid with 40003', async () => {
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, { ...text('x'), touser: 'oNobody' }))).toBe(40003);
  });

  it('refuses a user who has not written with 45015', async () => {
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, text('x')))).toBe(45015);
  });

  it('allows 5 messages after the user writes, then 45047, and again 5 when the user writes again', async () => {
    userWrites();
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, text(`m${i}`))));
    expect(codes).toEqual([0, 0, 0, 0, 0, 45047]);
    clock.advance(MIN);
    userWrites();
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, text('again')))).toBe(0);
  });

  it('closes the window 48 h after the user\'s last message', async () => {
    userWrites();
    clock.advance(48 * 60 * MIN);
    t = await token();
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, text('late')))).toBe(45015);
  });

  it('allows 3 messages within a minute of a menu click', async () => {
    sim.platform.recordPush(sim.driver.build.click(openid, 'CHAT'));
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, text(`c${i}`))));
    expect(codes).toEqual([0, 0, 0, 45047]);
  });

  it('accepts news and refuses an unknown msgtype or an empty text', async () => {
    userWrites();
    const news = { touser: openid, msgtype: 'news', news: { articles: [{ title: '新功能', url: 'https://e.com/a' }] } };
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, news))).toBe(0);
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, { touser: openid, msgtype: 'fax' }))).toBe(40008);
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, text('')))).toBe(44004);
    expect(errcodeOf(await post(`/cgi-bin/message/custom/send?access_token=${t}`, '{not json'))).toBe(47001);
  });

  it('allows typing only within 30 s of the user\'s last message', async () => {
    const typing = () => post(`/cgi-bin/message/custom/typing?access_token=${t}`, { touser: openid, command: 'Typing' });
    expect(errcodeOf(await typing())).toBe(45080);
    userWrites();
    clock.advance(30_000);
    expect(errcodeOf(await typing())).toBe(0);
    clock.advance(1);
    expect(errcodeOf(await typing())).toBe(45080);
  });
});

describe('menu', () => {
  it('stores a valid menu and returns it', async () => {
    const t = await token();
    const menu = {
      button: [
        { name: '我的服务', sub_button: [{ type: 'click', name: '微客服', key: 'CHAT' }, { type: 'view', name: '我要提问', url: 'https://e.com/h5/ask' }] },
        { type: 'view', name: '知识中心', url: 'https://e.com/h5/kb' },
      ],
    };
    expect(await post(`/cgi-bin/menu/create?access_token=${t}`, menu)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await get(`/cgi-bin/menu/get?access_token=${t}`)).toEqual({ menu });
  });

  it('refuses an invalid menu with its code and keeps the previous one', async () => {
    const t = await token();
    await post(`/cgi-bin/menu/create?access_token=${t}`, { button: [{ type: 'click', name: 'A', key: 'A' }] });
    const r = await post(`/cgi-bin/menu/create?access_token=${t}`, { button: [{ type: 'click', name: '超过十六字节的名字', key: 'A' }] });
    expect(errcodeOf(r)).toBe(40018);
    expect(await get(`/cgi-bin/menu/get?access_token=${t}`)).toEqual({ menu: { button: [{ type: 'click', name: 'A', key: 'A' }] } });
  });
});

describe('user info and template messages', () => {
  it('returns a known user\'s profile and 40003 otherwise', async () => {
    const t = await token();
    const user = sim.platform.users()[0]!;
    const info = await get(`/cgi-bin/user/info?access_token=${t}&openid=${user.openid}&lang=zh_CN`);
    expect(info).toMatchObject({ subscribe: 1, openid: user.openid, nickname: user.nickname, headimgurl: user.headimgurl });
    expect(typeof info.subscribe_time).toBe('number');
    expect(errcodeOf(await get(`/cgi-bin/user/info?access_token=${t}&openid=oNobody`))).toBe(40003);
  });

  it('sends a template message, stores it, and refuses a bad openid or a missing template_id', async () => {
    const t = await token();
    const openid = sim.platform.users()[0]!.openid;
    const body = { touser: openid, template_id: 'TPL_REPLY', url: 'https://e.com/t/1', data: { first: { value: '您的问题有新回复' } } };
    const ok = await post(`/cgi-bin/message/template/send?access_token=${t}`, body);
    expect(ok).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(typeof ok.msgid).toBe('number');
    expect(sim.platform.templates[0]!.msgid).toBe(String(2n ** 53n + 1n));
    expect(sim.platform.templates).toMatchObject([{ openid, templateId: 'TPL_REPLY', data: { first: '您的问题有新回复' } }]);
    expect(errcodeOf(await post(`/cgi-bin/message/template/send?access_token=${t}`, { ...body, touser: 'oNobody' }))).toBe(40003);
    expect(errcodeOf(await post(`/cgi-bin/message/template/send?access_token=${t}`, { ...body, template_id: '' }))).toBe(40037);
  });
});

describe('64-bit ids', () => {
  it('writes a template msgid beyond 2^53 as a bare integer with every digit', async () => {
    const t = await token();
    const openid = sim.platform.users()[0]!.openid;
    const res = await fetch(`${http.url}/cgi-bin/message/template/send?access_token=${t}`, {
      method: 'POST',
      body: JSON.stringify({ touser: openid, template_id: 'TPL', data: { first: { value: 'x' } } }),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toMatch(/"msgid":9007199254740993[,}]/);
  });
});

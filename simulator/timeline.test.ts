import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import mount from 'koa-mount';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformEvent } from './fake-platform.js';
import { createSimulator, type Simulator } from './index.js';
import { listen, readBody, type Listening } from './test-support.js';
import { parseXml, toXml } from './xml.js';

const creds = { appId: 'wx0123456789abcdef', appSecret: 'secret0123456789abcdef0123456789', token: 'simtoken123' };

let sim: Simulator;
let http: Listening;
let account: Listening;
let accountStatus = 200;

beforeEach(async () => {
  accountStatus = 200;
  // The account server: echoes every text as a passive reply.
  account = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    const push = parseXml(await readBody(req));
    if (accountStatus !== 200) {
      res.writeHead(accountStatus).end();
      return;
    }
    const reply =
      push.MsgType === 'text'
        ? toXml({ ToUserName: String(push.FromUserName), FromUserName: String(push.ToUserName), CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'text', Content: `回声：${String(push.Content)}` })
        : 'success';
    res.writeHead(200, { 'content-type': 'text/xml' }).end(reply);
  });
  sim = createSimulator({ ...creds, pushUrl: `${account.url}/wechat`, basePath: '/simulator', retryDelayMs: 10, timeoutMs: 500 });
  http = await listen(sim.app);
});
afterEach(async () => {
  await sim.close();
  await http.close();
  await account.close();
});

const ui = (path: string) => `${http.url}/simulator/ui/${path}`;
async function postUi(path: string, body: unknown): Promise<Response> {
  return fetch(ui(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
async function history(openid: string): Promise<Array<Record<string, unknown>>> {
  return ((await (await fetch(ui(`history?openid=${openid}`))).json()) as { entries: Array<Record<string, unknown>> }).entries;
}

/** An event of the page's stream: /ui/events names each after its PlatformEvent's type and sends the event as data. */
type SseEvent<T extends PlatformEvent['type'] = PlatformEvent['type']> = { [K in T]: { event: K; data: Extract<PlatformEvent, { type: K }> } }[T];

/** Reads SSE events from the page's stream until `until` says stop. */
async function readEvents(openid: string, until: (events: SseEvent[]) => boolean, act: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(ui(`events?openid=${openid}`), { signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  await act();
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) } as SseEvent);
    }
  }
  controller.abort();
  return events;
}

describe('phone timeline', () => {
  it('shows the user\'s text and the passive reply in order', async () => {
    const openid = sim.platform.users()[0]!.openid;
    const res = await postUi('send', { openid, text: '你好', mode: 'plain' });
    expect(((await res.json()) as { push: unknown }).push).toMatchObject({ ok: true, status: 200, attempts: 1 });
    expect((await history(openid)).map((e) => [e.from, e.via, e.text])).toEqual([
      ['user', 'push', '你好'],
      ['account', 'passive', '回声：你好'],
    ]);
  });

  it('streams a customer-service message to the page and keeps it in the history', async () => {
    const openid = sim.platform.users()[0]!.openid;
    await postUi('send', { openid, text: '在吗', mode: 'plain' }); // opens the 48 h window
    const token = ((await (await fetch(`${http.url}/simulator/cgi-bin/token?grant_type=client_credential&appid=${creds.appId}&secret=${creds.appSecret}`)).json()) as { access_token: string }).access_token;
    const events = await readEvents(
      openid,
      (evs) => evs.some((e) => e.event === 'timeline' && e.data.entry.via === 'custom'),
      async () => {
        const r = await fetch(`${http.url}/simulator/cgi-bin/message/custom/send?access_token=${token}`, {
          method: 'POST',
          body: JSON.stringify({ touser: openid, msgtype: 'text', text: { content: '客服小王为您服务' } }),
        });
        expect(await r.json()).toEqual({ errcode: 0, errmsg: 'ok' });
      },
    );
    const custom = events.find((e): e is SseEvent<'timeline'> => e.event === 'timeline' && e.data.entry.via === 'custom');
    expect(custom?.data.entry).toMatchObject({ openid, from: 'account', kind: 'text', text: '客服小王为您服务' });
    expect((await history(openid)).map((e) => e.text)).toEqual(['在吗', '回声：在吗', '客服小王为您服务']);
  });

  it('shows the status code when the account server refuses a push', async () => {
    accountStatus = 401;
    const openid = sim.platform.users()[0]!.openid;
    const body = (await (await postUi('send', { openid, text: '签名错了？', mode: 'plain' })).json()) as { push: { message: string } };
    expect(body.push.message).toBe('推送失败：401');
    expect((await history(openid)).at(-1)).toMatchObject({ from: 'system', kind: 'error', text: '推送失败：401' });
  });

  it('streams notices posted with platform.notify()', async () => {
    const openid = sim.platform.users()[0]!.openid;
    const events = await readEvents(
      openid,
      (evs) => evs.some((e) => e.event === 'notice'),
      async () => {
        sim.platform.notify('【模拟短信】您的验证码是 123456');
      },
    );
    expect(events.find((e) => e.event === 'notice')?.data.notice.text).toBe('【模拟短信】您的验证码是 123456');
  });

  it('shows an SMS asked for from one WeChat user’s page to that user only', async () => {
    const [a, b] = [sim.platform.addUser().openid, sim.platform.addUser().openid];
    const events = await readEvents(
      b,
      (evs) => evs.some((e) => e.event === 'notice'),
      async () => {
        sim.platform.notify('【模拟短信】给 A 的验证码 111111', a);
        sim.platform.notify('【模拟短信】给 B 的验证码 222222', b);
      },
    );
    expect(events.filter((e) => e.event === 'notice').map((e) => e.data.notice.text)).toEqual(['【模拟短信】给 B 的验证码 222222']);
    const listed = async (openid: string) =>
      ((await (await fetch(ui(`notices?openid=${openid}`))).json()) as { notices: Array<{ text: string }> }).notices.map((n) => n.text);
    expect(await listed(a)).toContain('【模拟短信】给 A 的验证码 111111');
    expect(await listed(a)).not.toContain('【模拟短信】给 B 的验证码 222222');
    expect(await listed(b)).not.toContain('【模拟短信】给 A 的验证码 111111');
  });

  it('adds a user who follows the account with a subscribe push', async () => {
    const res = await postUi('users', { nickname: '新用户' });
    const { user, push } = (await res.json()) as { user: { openid: string; subscribe: number }; push: { ok: boolean } };
    expect(push.ok).toBe(true);
    expect(res.headers.get('set-cookie')).toContain(`sim_openid=${user.openid}`);
    expect(sim.platform.user(user.openid)?.subscribe).toBe(1);
    expect((await history(user.openid)).map((e) => e.text)).toEqual(['关注了公众号']);
  });

  it('refuses 关注 from a user who already follows, as WeChat has no second subscribe, and pushes nothing', async () => {
    const res = await postUi('users', { nickname: '已关注' });
    const { user } = (await res.json()) as { user: { openid: string } };
    const before = (await history(user.openid)).length;
    const again = await postUi('event', { openid: user.openid, event: 'subscribe' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toContain('已关注');
    expect((await history(user.openid)).length).toBe(before);
    expect((await postUi('event', { openid: user.openid, event: 'unsubscribe' })).status).toBe(200);
    expect((await postUi('event', { openid: user.openid, event: 'unsubscribe' })).status).toBe(409);
    expect((await postUi('event', { openid: user.openid, event: 'subscribe' })).status).toBe(200);
    expect(sim.platform.user(user.openid)?.subscribe).toBe(1);
  });

  it('serves the phone page under basePath', async () => {
    const redirect = await fetch(`${http.url}/simulator`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/simulator/');
    const page = await fetch(`${http.url}/simulator/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="app.js"');
  });

  it('works under koa-mount inside another app', async () => {
    const host = new Koa();
    host.use(mount('/simulator', sim.app));
    host.use((ctx) => {
      ctx.body = 'host';
    });
    const outer = await listen(host);
    try {
      const users = (await (await fetch(`${outer.url}/simulator/ui/users`)).json()) as { users: Array<{ openid: string }> };
      expect(users.users).toHaveLength(2);
      const redirect = await fetch(`${outer.url}/simulator`, { redirect: 'manual' });
      expect(redirect.headers.get('location')).toBe('/simulator/');
      expect(await (await fetch(`${outer.url}/elsewhere`)).text()).toBe('host');
    } finally {
      await outer.close();
    }
  });
});

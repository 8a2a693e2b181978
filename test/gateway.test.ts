import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { countMessagesByKey, listMessagesByOpenid } from '../server/chat/conversations.repo.js';
import type { Running } from '../server/runtime.js';
import { freshStorageTarget, testMode, type StorageTarget } from './helpers/mode.js';
import { startTestServer } from './helpers/server.js';

/**
 * The push endpoint end to end: the simulator's driver signs (and encrypts) pushes like
 * WeChat, the real server answers them, and the database is checked behind it.
 */
describe(`the /wechat push endpoint (${testMode()})`, () => {
  let storage: StorageTarget;
  let server: Running;

  beforeAll(async () => {
    storage = await freshStorageTarget();
    server = await startTestServer(storage);
  });
  afterAll(async () => {
    await server?.close();
  });

  const driver = () => server.simulator!.driver;
  const build = () => server.simulator!.driver.build;
  const newUser = () => server.simulator!.platform.addUser().openid;
  const count = async (table: 'messages' | 'processed_pushes' | 'customers') => {
    const rows = await server.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
    return Number((rows as unknown as { rows: Array<{ n: number }> }).rows[0]!.n);
  };

  it('answers the URL check with echostr, and refuses it with a bad signature', async () => {
    expect(await driver().verifyUrl()).toMatchObject({ ok: true, status: 200 });
    const bad = await driver().sendRaw({ method: 'GET', query: { signature: 'x'.repeat(40), timestamp: '1', nonce: '2', echostr: 'hello' } });
    expect(bad.status).toBe(401);
    expect(bad.body).not.toContain('hello');
  });

  it('welcomes a new follower with what the account can do, including #人工', async () => {
    const openid = newUser();
    const r = await driver().send(build().subscribe(openid));
    expect(r.status).toBe(200);
    expect(r.reply?.MsgType).toBe('text');
    expect(r.reply?.Content).toContain('#人工');
    expect(r.reply?.ToUserName).toBe(openid);
    // CreateTime is in seconds, near now.
    expect(Math.abs(Number(r.reply?.CreateTime) - Date.now() / 1000)).toBeLessThan(10);
  });

  it('answers a text and stores the question and the reply before responding', async () => {
    const openid = newUser();
    const r = await driver().send(build().text(openid, '总账结账时提示有未记账凭证怎么办'));
    expect(r.status).toBe(200);
    expect(r.reply?.Content).toContain('记账'); // the knowledge base's answer
    const history = await listMessagesByOpenid(server.database.db, openid);
    expect(history.map((m) => [m.direction, m.sender, m.delivery])).toEqual([
      ['in', 'customer', null],
      ['out', 'bot', 'passive'],
    ]);
    expect(history[0]!.content).toBe('总账结账时提示有未记账凭证怎么办');
    expect(history[1]!.content).toBe(r.reply?.Content);
  });

  it('keeps a MsgId above 2^53 exact', async () => {
    const openid = newUser();
    const push = { ...build().text(openid, '你好'), MsgId: '9223372036854775807' };
    expect((await driver().send(push)).status).toBe(200);
    expect(await countMessagesByKey(server.database.db, `msg:${openid}:9223372036854775807`)).toBe(1);
  });

  it('stores every message and event type, and replies only where a reply makes sense', async () => {
    const openid = newUser();
    const b = build();
    const pushes = [
      b.image(openid, 'http://example.invalid/a.jpg'),
      b.voice(openid, undefined, '发票怎么开'),
      b.video(openid),
      b.shortvideo(openid),
      b.location(openid, { x: 31.2, y: 121.5, label: '上海' }),
      b.link(openid, { title: '文章', url: 'http://example.invalid/x' }),
      b.scan(openid, { scene: '42', ticket: 't' }),
      b.click(openid, 'KF_CHAT'),
      b.view(openid, 'http://example.invalid/h5'),
      b.locationEvent(openid, { latitude: 31.2, longitude: 121.5 }),
    ];
    const results = [];
    for (const p of pushes) results.push(await driver().send(p));
    expect(results.map((r) => r.status)).toEqual(pushes.map(() => 200));
    expect(results.map((r) => Boolean(r.reply))).toEqual([true, true, true, true, true, true, true, true, false, false]);
    const inbound = (await listMessagesByOpenid(server.database.db, openid)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.kind)).toEqual(['image', 'voice', 'video', 'shortvideo', 'location', 'link', 'scan', 'click', 'view', 'location_report']);
  });

  it('answers an unknown type with an empty body and stores nothing', async () => {
    const openid = newUser();
    const before = await count('messages');
    const r = await driver().send({ ...build().text(openid, 'x'), MsgType: 'hologram' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(await count('messages')).toBe(before);
  });

  describe('refuses bad input, stores nothing, and keeps answering', () => {
    const cases: Array<[string, () => Promise<{ status: number }>, number]> = [
      ['a bad signature', () => driver().sendRaw({ query: { signature: '0'.repeat(40), timestamp: now(), nonce: '1' }, body: driver().encode(build().text(newUser(), 'hi')).body }), 401],
      ['a stale timestamp', () => {
        const stale = String(Math.floor(Date.now() / 1000) - 3600);
        const q = driver().signQuery({ timestamp: stale });
        return driver().sendRaw({ query: { ...q }, body: driver().encode(build().text(newUser(), 'hi')).body });
      }, 401],
      ['a body over 64 KB', () => driver().sendRaw({ query: { ...driver().signQuery() }, body: `<xml><Content><![CDATA[${'长'.repeat(22_000)}]]></Content></xml>` }), 413],
      ['malformed XML', () => driver().sendRaw({ query: { ...driver().signQuery() }, body: '<xml><ToUserName>a</FromUserName>' }), 400],
      ['an XXE body', () => driver().sendRaw({ query: { ...driver().signQuery() }, body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>' }), 400],
      ['a billion-laughs body', () => driver().sendRaw({ query: { ...driver().signQuery() }, body: `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><xml><Content>&lol9;</Content></xml>` }), 400],
      ['a tampered msg_signature', () => {
        const enc = driver().encode(build().text(newUser(), 'hi'), { encrypt: true });
        enc.query.set('msg_signature', 'f'.repeat(40));
        return driver().sendRaw({ query: enc.query, body: enc.body });
      }, 401],
    ];

    it.each(cases)('%s', async (_name, send, status) => {
      const before = { messages: await count('messages'), pushes: await count('processed_pushes') };
      const started = performance.now();
      const r = await send();
      expect(r.status).toBe(status);
      expect(performance.now() - started).toBeLessThan(1000);
      expect({ messages: await count('messages'), pushes: await count('processed_pushes') }).toEqual(before);
      const ok = await driver().send(build().text(newUser(), '还在吗'));
      expect(ok.status).toBe(200);
      expect(ok.reply?.Content).toBeTruthy();
    });
  });

  it('refuses a ciphertext made for another appid', async () => {
    const { createPushDriver } = await import('../simulator/index.js');
    const other = createPushDriver({ pushUrl: `${server.url}/wechat`, token: server.wechat.token, appId: 'wxanotherapp00001', aesKey: server.wechat.aesKey });
    const before = await count('messages');
    const r = await other.send(other.build.text(newUser(), 'hi'), { encrypt: true });
    expect(r.status).toBe(401);
    expect(await count('messages')).toBe(before);
    other.close();
  });

  it('round-trips an encrypted push to an encrypted reply', async () => {
    const openid = newUser();
    for (const compat of [false, true]) {
      const r = await driver().send(build().text(openid, 'qwxz 加密往返 9527'), { encrypt: true, compat });
      expect(r.status).toBe(200);
      expect(r.encrypted).toBe(true);
      expect(r.body).toContain('<Encrypt>');
      expect(r.body).not.toContain('#人工'); // the plain text is not in the envelope
      expect(r.reply?.Content).toContain('#人工'); // the driver decrypted and verified it
    }
  });

  it('stores one message and gives identical replies to concurrent retries of one MsgId', async () => {
    const openid = newUser();
    const push = build().text(openid, '并发重试');
    const tries = await Promise.all(
      Array.from({ length: 5 }, () => {
        const enc = driver().encode(push);
        return driver().sendRaw({ query: enc.query, body: enc.body });
      }),
    );
    expect(tries.map((t) => t.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    expect(tries[0]!.body).toContain('#人工');
    expect(await countMessagesByKey(server.database.db, `msg:${push.FromUserName}:${push.MsgId}`)).toBe(1);
    const history = await listMessagesByOpenid(server.database.db, openid);
    expect(history).toHaveLength(2);
  });

  it('stores and answers a burst from many customers, several pushes each, written together', async () => {
    const users = Array.from({ length: 12 }, () => newUser());
    const pushes = users.flatMap((openid) => [1, 2, 3].map((n) => build().text(openid, `第${n}问 ${openid.slice(-4)}`)));
    const results = await Promise.all(pushes.map((p) => driver().sendRaw(driver().encode(p))));
    expect(results.map((r) => r.status)).toEqual(pushes.map(() => 200));
    expect(results.every((r) => r.body.includes('#人工'))).toBe(true);
    for (const openid of users) {
      const history = await listMessagesByOpenid(server.database.db, openid);
      expect(history.filter((m) => m.direction === 'in').map((m) => m.content).sort()).toEqual([1, 2, 3].map((n) => `第${n}问 ${openid.slice(-4)}`).sort());
      expect(history.filter((m) => m.direction === 'out')).toHaveLength(3);
      expect(new Set(history.map((m) => m.conversationId)).size).toBe(1);
    }
  });

  it('gives a retry after a restart the same reply, from the database', async () => {
    const openid = newUser();
    const push = build().text(openid, '重启后重试');
    const first = await driver().sendRaw(driver().encode(push));
    expect(first.status).toBe(200);
    await server.close();
    server = await startTestServer(storage);
    // The restarted simulator has new credentials; re-send the same push with them.
    const again = await server.simulator!.driver.sendRaw(server.simulator!.driver.encode(push));
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect(await countMessagesByKey(server.database.db, `msg:${push.FromUserName}:${push.MsgId}`)).toBe(1);
  });
});

const now = () => String(Math.floor(Date.now() / 1000));

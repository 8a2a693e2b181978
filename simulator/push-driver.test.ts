import type { IncomingMessage, ServerResponse } from 'node:http';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createPushDriver } from './push-driver.js';
import { sha1Signature } from './signature.js';
import { listen, readBody, type Listening } from './test-support.js';
import { parseXml, toXml } from './xml.js';

const TOKEN = 'simtoken123';
const APPID = 'wx0123456789abcdef';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const USER = 'oUser000000000000000000000001';

interface Seen {
  query: URLSearchParams;
  body: string;
}

let receiver: Listening | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** A tiny account server; `answer` returns undefined to stay silent. */
async function startReceiver(answer: (seen: Seen, n: number) => { status?: number; body: string } | undefined) {
  const seen: Seen[] = [];
  receiver = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    const s = { query: new URL(req.url ?? '/', 'http://x').searchParams, body: await readBody(req) };
    seen.push(s);
    const a = answer(s, seen.length);
    if (!a) return; // no answer: the driver times out
    res.writeHead(a.status ?? 200, { 'content-type': 'text/xml' });
    res.end(a.body);
  });
  return { url: `${receiver.url}/wechat`, seen };
}

function textReply(to: string, from: string, content: string): string {
  return toXml({ ToUserName: to, FromUserName: from, CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'text', Content: content });
}

describe('push driver', () => {
  it('retries a silent server with the same request, 3 tries in all, as WeChat resends it', async () => {
    const { url, seen } = await startReceiver((s, n) => {
      if (n < 3) return undefined;
      const push = parseXml(s.body);
      return { body: textReply(String(push.FromUserName), String(push.ToUserName), '第三次才回答') };
    });
    // The timeout is what makes a try "silent": generous, so a loaded machine answering the third try late is not taken for silence.
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, retryDelayMs: 20, timeoutMs: 800 });
    const push = driver.build.text(USER, '你好');
    const result = await driver.send(push);

    expect(result).toMatchObject({ ok: true, status: 200, attempts: 3 });
    expect(result.reply?.Content).toBe('第三次才回答');
    expect(seen).toHaveLength(3);
    const bodies = seen.map((s) => parseXml(s.body));
    expect(new Set(bodies.map((b) => b.MsgId))).toEqual(new Set([push.MsgId]));
    expect(new Set(bodies.map((b) => b.CreateTime))).toEqual(new Set([push.CreateTime]));
    expect(new Set(seen.map((s) => s.query.toString())).size).toBe(1);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
    for (const s of seen) {
      const q = s.query;
      expect(q.get('signature')).toBe(sha1Signature(TOKEN, q.get('timestamp') ?? '', q.get('nonce') ?? ''));
      expect(q.get('openid')).toBe(USER);
    }
    driver.close();
  });

  it('retries an encrypted push with the same query and the same ciphertext', async () => {
    const { url, seen } = await startReceiver((_s, n) => (n < 2 ? undefined : { body: 'success' }));
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, aesKey: AES_KEY, retryDelayMs: 20, timeoutMs: 800 });
    const result = await driver.send(driver.build.text(USER, '加密重发'), { encrypt: true });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.query.toString()).toBe(seen[0]!.query.toString());
    expect(seen[1]!.body).toBe(seen[0]!.body);
    driver.close();
  });

  it('signs each push with its own nonce', async () => {
    const { url, seen } = await startReceiver(() => ({ body: 'success' }));
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID });
    for (let i = 0; i < 5; i++) await driver.send(driver.build.text(USER, `第${i}条`));
    expect(new Set(seen.map((s) => s.query.get('nonce'))).size).toBe(5);
    driver.close();
  });

  it('gives up after 3 unanswered tries and reports no status', async () => {
    const { url, seen } = await startReceiver(() => undefined);
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, retryDelayMs: 10, timeoutMs: 80 });
    const result = await driver.send(driver.build.text(USER, 'hi'));
    expect(result).toMatchObject({ ok: false, status: 0, attempts: 3, problem: 'timeout' });
    expect(seen).toHaveLength(3);
    driver.close();
  });

  it('does not retry an answered error and reports its status', async () => {
    const { url, seen } = await startReceiver(() => ({ status: 401, body: 'bad signature' }));
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, retryDelayMs: 10, timeoutMs: 500 });
    const result = await driver.send(driver.build.click(USER, 'CHAT'));
    expect(result).toMatchObject({ ok: false, status: 401, attempts: 1, body: 'bad signature' });
    expect(seen).toHaveLength(1);
  });

  it('treats "success" as no reply and an empty text reply as a rejected reply', async () => {
    let answer = 'success';
    const { url } = await startReceiver((s) => {
      const p = parseXml(s.body);
      return { body: answer === 'empty' ? textReply(String(p.FromUserName), String(p.ToUserName), '') : answer };
    });
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, timeoutMs: 500 });
    const quiet = await driver.send(driver.build.text(USER, 'a'));
    expect(quiet).toMatchObject({ ok: true, status: 200 });
    expect(quiet.reply).toBeUndefined();
    answer = 'empty';
    const empty = await driver.send(driver.build.text(USER, 'b'));
    expect(empty).toMatchObject({ ok: false, status: 200, problem: 'empty text reply' });
  });

  it('encrypts a push in safe mode so that @wecom/crypto decrypts it, and reads an encrypted reply', async () => {
    const { url, seen } = await startReceiver((s) => {
      const enc = String(parseXml(s.body).Encrypt);
      const plain = parseXml(decrypt(AES_KEY, enc).message);
      const inner = textReply(String(plain.FromUserName), String(plain.ToUserName), `收到：${String(plain.Content)}`);
      const Encrypt = encrypt(AES_KEY, inner, APPID);
      const TimeStamp = String(Math.floor(Date.now() / 1000));
      const Nonce = '424242';
      return { body: toXml({ Encrypt, MsgSignature: getSignature(TOKEN, TimeStamp, Nonce, Encrypt), TimeStamp, Nonce }) };
    });
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, aesKey: AES_KEY, encrypt: true, timeoutMs: 1000 });
    const push = driver.build.text(USER, '加密的你好');
    const result = await driver.send(push);

    const [s] = seen;
    const q = s!.query;
    const outer = parseXml(s!.body);
    expect(Object.keys(outer).sort()).toEqual(['Encrypt', 'ToUserName']);
    expect(q.get('encrypt_type')).toBe('aes');
    expect(q.get('msg_signature')).toBe(getSignature(TOKEN, q.get('timestamp') ?? '', q.get('nonce') ?? '', String(outer.Encrypt)));
    const opened = decrypt(AES_KEY, String(outer.Encrypt));
    expect(opened.id).toBe(APPID);
    expect(parseXml(opened.message)).toMatchObject({ Content: '加密的你好', MsgId: push.MsgId });
    expect(result).toMatchObject({ ok: true, encrypted: true });
    expect(result.reply?.Content).toBe('收到：加密的你好');
  });

  it('sends the plain fields next to Encrypt in compatibility mode', async () => {
    const { url, seen } = await startReceiver(() => ({ body: 'success' }));
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, aesKey: AES_KEY, timeoutMs: 1000 });
    await driver.send(driver.build.text(USER, '兼容'), { encrypt: true, compat: true });
    const outer = parseXml(seen[0]!.body);
    expect(outer).toMatchObject({ Content: '兼容', FromUserName: USER });
    expect(parseXml(decrypt(AES_KEY, String(outer.Encrypt)).message).Content).toBe('兼容');
  });

  it('rejects an encrypted reply with a wrong MsgSignature, and a plain reply in safe mode', async () => {
    let forge = true;
    const { url } = await startReceiver((s) => {
      const plain = parseXml(decrypt(AES_KEY, String(parseXml(s.body).Encrypt)).message);
      const inner = textReply(String(plain.FromUserName), String(plain.ToUserName), 'x');
      if (!forge) return { body: inner };
      const Encrypt = encrypt(AES_KEY, inner, APPID);
      return { body: toXml({ Encrypt, MsgSignature: 'f'.repeat(40), TimeStamp: '1', Nonce: '2' }) };
    });
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, aesKey: AES_KEY, encrypt: true, timeoutMs: 1000 });
    expect(await driver.send(driver.build.text(USER, 'a'))).toMatchObject({ ok: false, problem: 'bad MsgSignature on reply' });
    forge = false;
    expect(await driver.send(driver.build.text(USER, 'b'))).toMatchObject({ ok: false, problem: 'plain reply to an encrypted push' });
  });

  it('answers the URL check when the server echoes echostr', async () => {
    const { url } = await startReceiver((s) => ({ body: s.query.get('echostr') ?? '' }));
    const driver = createPushDriver({ pushUrl: url, token: TOKEN, appId: APPID, timeoutMs: 1000 });
    expect((await driver.verifyUrl()).ok).toBe(true);
  });
});

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { createCipher } from './crypto.js';
import { wechatEdge, type WeChatEdgeOptions, type WeChatEdgeState, type WeChatPush } from './edge.js';
import type { InboundMessage } from './inbound.js';
import { textReply } from './reply.js';
import { memoryReplayGuard } from './replay-guard.js';
import { msgSignature, plainSignature } from './signature.js';
import { parseWeChatXml } from './xml.js';

const TOKEN = 'edge-test-token';
const APP_ID = 'wxedgetest000001';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const OPENID = 'oOpenIdThatMustNotBeLogged';
const NOW_MS = 1_700_000_000_000;
const NOW_S = String(NOW_MS / 1000);

interface Harness {
  url: string;
  /** Every push the downstream handler received. */
  seen: WeChatPush[];
  logs: unknown[];
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/**
 * A real Koa app on an ephemeral port: a tiny error-to-status middleware (the lead's renderer
 * stands in for it in the app), the edge, and a handler that records what it got.
 */
async function start(
  overrides: Partial<WeChatEdgeOptions> = {},
  handler: (push: WeChatPush) => void = (push) => push.reply(replyTo(push.inbound, `收到:${push.inbound.kind}`)),
): Promise<Harness> {
  const seen: WeChatPush[] = [];
  const logs: unknown[] = [];
  const app = new Koa<WeChatEdgeState>();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = error instanceof AppError ? error.status : 500;
      ctx.body = error instanceof AppError ? error.code : 'internal';
    }
  });
  app.use(
    wechatEdge({
      token: TOKEN,
      appId: APP_ID,
      maxSkewS: 300,
      now: () => NOW_MS,
      logger: { warn: (obj, msg) => logs.push({ obj, msg }) },
      replayGuard: memoryReplayGuard(() => NOW_MS),
      ...overrides,
    }),
  );
  app.use((ctx) => {
    seen.push(ctx.state.wechat);
    handler(ctx.state.wechat);
  });
  server = app.listen(0);
  await new Promise((resolve) => server?.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/wechat`, seen, logs };
}

function replyTo(inbound: InboundMessage, content: string): string | null {
  return textReply({ toUser: inbound.fromUserName, fromUser: inbound.toUserName, createTime: inbound.createTime, content });
}

function signedQuery(extra: Record<string, string> = {}, timestamp = NOW_S, nonce = '1357924680'): URLSearchParams {
  return new URLSearchParams({ signature: plainSignature(TOKEN, timestamp, nonce), timestamp, nonce, ...extra });
}

function textPush(content = '你好', msgId = '9223372036854775807'): string {
  return `<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName>` +
    `<CreateTime>${NOW_S}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${msgId}</MsgId></xml>`;
}

/** An AES push as WeChat sends it in safe mode, sealed for `appId`. */
function encryptedPush(inner: string, appId = APP_ID, timestamp = NOW_S, nonce = '246813579') {
  const encrypt = createCipher(AES_KEY, appId).encrypt(inner);
  const query = signedQuery({ encrypt_type: 'aes', msg_signature: msgSignature(TOKEN, timestamp, nonce, encrypt) }, timestamp, nonce);
  const body = `<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return { query, body, encrypt };
}

const post = (h: Harness, query: URLSearchParams, body: string | ReadableStream<Uint8Array>) =>
  fetch(`${h.url}?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' }, duplex: 'half' } as RequestInit);

describe('wechatEdge GET (URL verification)', () => {
  it('echoes echostr verbatim as text/plain when the signature holds', async () => {
    const h = await start();
    const res = await fetch(`${h.url}?${signedQuery({ echostr: '5927782489442352469 &x' })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('5927782489442352469 &x');
  });

  it('uses the plain signature in AES mode too', async () => {
    const h = await start({ aesKey: AES_KEY });
    const res = await fetch(`${h.url}?${signedQuery({ echostr: 'hello' })}`);
    expect(await res.text()).toBe('hello');
  });

  it('refuses a bad signature with 401 and does not echo', async () => {
    const h = await start();
    const query = signedQuery({ echostr: 'hello' });
    query.set('signature', plainSignature('wrong-token', NOW_S, '1357924680'));
    const res = await fetch(`${h.url}?${query}`);
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('hello');
  });

  it('refuses a URL check whose timestamp is older than the skew, and passes a fresh one', async () => {
    const h = await start({ maxSkewS: 300 });
    const old = String(NOW_MS / 1000 - 27 * 3600);
    const stale = await fetch(`${h.url}?${signedQuery({ echostr: 'hello' }, old)}`);
    expect(stale.status).toBe(401);
    expect(await stale.text()).toBe('wechat_stale_timestamp');
    const fresh = await fetch(`${h.url}?${signedQuery({ echostr: 'hello' }, String(NOW_MS / 1000 - 299))}`);
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe('hello');
  });

  it('refuses a request without echostr or signature', async () => {
    const h = await start();
    const noEcho = await fetch(`${h.url}?${signedQuery()}`);
    const noSignature = await fetch(`${h.url}?timestamp=${NOW_S}&nonce=1&echostr=x`);
    expect([noEcho.status, noSignature.status]).toEqual([401, 401]);
  });
});

describe('wechatEdge POST', () => {
  it('passes a plain push downstream and returns its XML reply', async () => {
    const h = await start();
    const res = await post(h, signedQuery(), textPush('#人工'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(parseWeChatXml(await res.text())).toMatchObject({ ToUserName: OPENID, FromUserName: 'gh_account', Content: '收到:text' });
    expect(h.seen).toHaveLength(1);
    expect(h.seen[0]?.encrypted).toBe(false);
    expect(h.seen[0]?.inbound).toMatchObject({ kind: 'text', content: '#人工', msgId: '9223372036854775807', fromUserName: OPENID });
  });

  it('answers an empty 200 when the handler replies null', async () => {
    const h = await start({}, (push) => push.reply(null));
    const res = await post(h, signedQuery(), textPush());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('answers an empty 200 when the handler says nothing', async () => {
    const h = await start({}, () => undefined);
    const res = await post(h, signedQuery(), textPush());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(h.seen).toHaveLength(1);
  });

  it('refuses a bad signature with 401 before reading the body', async () => {
    const h = await start();
    const query = signedQuery();
    query.set('signature', '0'.repeat(40));
    const res = await post(h, query, '<!DOCTYPE x><xml>');
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('wechat_bad_signature');
    expect(h.seen).toHaveLength(0);
  });

  it('refuses a push without a signature', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query, body } = encryptedPush(textPush());
    query.delete('signature');
    const res = await post(h, query, body);
    expect(res.status).toBe(401);
    expect(h.seen).toHaveLength(0);
  });

  it('refuses a stale timestamp with 401', async () => {
    const h = await start({ maxSkewS: 300 });
    const stale = String(NOW_MS / 1000 - 301);
    const res = await post(h, signedQuery({}, stale), textPush());
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('wechat_stale_timestamp');
    expect(h.seen).toHaveLength(0);
  });

  it('accepts a timestamp just inside the skew, in either direction', async () => {
    const h = await start({ maxSkewS: 300 });
    const late = await post(h, signedQuery({}, String(NOW_MS / 1000 - 300)), textPush());
    const early = await post(h, signedQuery({}, String(NOW_MS / 1000 + 300)), textPush());
    expect([late.status, early.status]).toEqual([200, 200]);
  });

  it('does not check the timestamp when maxSkewS is 0', async () => {
    const h = await start({ maxSkewS: 0 });
    const res = await post(h, signedQuery({}, '1000'), textPush());
    expect(res.status).toBe(200);
    expect(h.seen).toHaveLength(1);
  });

  it('accepts a body of exactly 64 KB', async () => {
    const h = await start();
    const base = textPush('');
    const body = textPush('a'.repeat(65536 - Buffer.byteLength(base)));
    expect(Buffer.byteLength(body)).toBe(65536);
    expect((await post(h, signedQuery(), body)).status).toBe(200);
  });

  it('refuses a body of 64 KB + 1 with 413', async () => {
    const h = await start();
    const base = textPush('');
    const body = textPush('a'.repeat(65537 - Buffer.byteLength(base)));
    const res = await post(h, signedQuery(), body);
    expect(res.status).toBe(413);
    expect(h.seen).toHaveLength(0);
  });

  it('stops reading a chunked body once it passes the cap', async () => {
    const h = await start({ maxBodyBytes: 1024 });
    let sent = 0;
    const chunk = new TextEncoder().encode('<xml>'.padEnd(512, ' '));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Ends by itself after 1 MB so a reader that never stops would still finish the test.
        if (sent >= 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await post(h, signedQuery(), stream);
    expect(res.status).toBe(413);
    expect(h.seen).toHaveLength(0);
  });

  it.each([
    ['garbage', 'not xml at all'],
    ['an unclosed tag', '<xml><ToUserName>gh</xml>'],
    ['a missing root', '<root></root>'],
  ])('refuses %s with 400', async (_label, body) => {
    const h = await start();
    const res = await post(h, signedQuery(), body);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('wechat_xml_malformed');
    expect(h.seen).toHaveLength(0);
  });

  it('refuses well-formed XML that lacks the common fields with 400', async () => {
    const h = await start();
    const res = await post(h, signedQuery(), '<xml><Content>x</Content></xml>');
    expect(res.status).toBe(400);
    expect(h.seen).toHaveLength(0);
  });

  it.each([
    ['an XXE body', '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>&xxe;</ToUserName></xml>'],
    [
      'a billion-laughs body',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>' +
        `<xml><Content>${'&lol9;'.repeat(10_000)}</Content></xml>`,
    ],
  ])('refuses %s with 400 quickly and still serves the next push', async (_label, body) => {
    const h = await start();
    const started = performance.now();
    const res = await post(h, signedQuery(), body);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('wechat_xml_forbidden');
    expect(elapsed).toBeLessThan(250);
    expect(h.seen).toHaveLength(0);

    const next = await post(h, signedQuery(), textPush());
    expect(next.status).toBe(200);
    expect(h.seen).toHaveLength(1);
  });

  it('passes an unknown type downstream as unknown and logs its type', async () => {
    const h = await start({}, (push) => push.reply(null));
    const body = `<xml><ToUserName>gh_account</ToUserName><FromUserName>${OPENID}</FromUserName><CreateTime>${NOW_S}</CreateTime>` +
      '<MsgType>miniprogrampage</MsgType><Title>t</Title><MsgId>42</MsgId></xml>';
    const res = await post(h, signedQuery(), body);
    expect(res.status).toBe(200);
    expect(h.seen[0]?.inbound).toMatchObject({ kind: 'unknown', msgType: 'miniprogrampage', msgId: '42' });
    expect(h.logs).toContainEqual({ obj: { msgType: 'miniprogrampage', event: undefined }, msg: 'wechat push of an unknown type' });
  });

  it('refuses an encrypted push when no AES key is configured', async () => {
    const h = await start();
    const { query, body } = encryptedPush(textPush());
    const res = await post(h, query, body);
    expect(res.status).toBe(400);
    expect(h.seen).toHaveLength(0);
  });
});

describe('wechatEdge POST in AES mode', () => {
  it('decrypts a push and encrypts the reply, which decrypts to the reply XML', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query, body } = encryptedPush(textPush('加密'));
    const res = await post(h, query, body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(h.seen[0]?.encrypted).toBe(true);
    expect(h.seen[0]?.inbound).toMatchObject({ kind: 'text', content: '加密' });

    const outer = parseWeChatXml(await res.text());
    const encrypt = outer.Encrypt as string;
    expect(outer.TimeStamp).toBe(NOW_S);
    expect(outer.MsgSignature).toBe(msgSignature(TOKEN, outer.TimeStamp as string, outer.Nonce as string, encrypt));
    const inner = createCipher(AES_KEY, APP_ID).decrypt(encrypt);
    expect(inner).toBe(replyTo(h.seen[0]!.inbound, '收到:text'));
  });

  it('answers an encrypted push that says nothing with an empty body, not an encrypted one', async () => {
    const h = await start({ aesKey: AES_KEY }, (push) => push.reply(null));
    const { query, body } = encryptedPush(textPush());
    const res = await post(h, query, body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('still accepts a plain push in compatible mode', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'compatible' });
    const res = await post(h, signedQuery(), textPush());
    expect(res.status).toBe(200);
    expect(h.seen[0]?.encrypted).toBe(false);
  });

  it('refuses a bad msg_signature with 401', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query, body } = encryptedPush(textPush());
    query.set('msg_signature', msgSignature(TOKEN, NOW_S, '246813579', 'another ciphertext'));
    const res = await post(h, query, body);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('wechat_bad_msg_signature');
    expect(h.seen).toHaveLength(0);
  });

  it('refuses a missing msg_signature with 401', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query, body } = encryptedPush(textPush());
    query.delete('msg_signature');
    expect((await post(h, query, body)).status).toBe(401);
    expect(h.seen).toHaveLength(0);
  });

  it('refuses a ciphertext sealed for another appid with 401', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query, body } = encryptedPush(textPush(), 'wxsomeoneelse000');
    const res = await post(h, query, body);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('wechat_appid_mismatch');
    expect(h.seen).toHaveLength(0);
  });

  it('refuses a signed but undecryptable ciphertext with 401', async () => {
    const h = await start({ aesKey: AES_KEY });
    const encrypt = Buffer.alloc(64, 1).toString('base64');
    const query = signedQuery({ encrypt_type: 'aes', msg_signature: msgSignature(TOKEN, NOW_S, '1357924680', encrypt) });
    const res = await post(h, query, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`);
    expect(res.status).toBe(401);
    expect(h.seen).toHaveLength(0);
  });

  it('refuses an encrypted push without <Encrypt> with 400', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query } = encryptedPush(textPush());
    const res = await post(h, query, '<xml><ToUserName>gh</ToUserName></xml>');
    expect(res.status).toBe(400);
    expect(h.seen).toHaveLength(0);
  });

  it('refuses a DOCTYPE hidden inside the ciphertext with 400', async () => {
    const h = await start({ aesKey: AES_KEY });
    const { query, body } = encryptedPush('<!DOCTYPE x [<!ENTITY a "b">]><xml/>');
    const res = await post(h, query, body);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('wechat_xml_forbidden');
    expect(h.seen).toHaveLength(0);
  });

  it('never logs the token, the AES key or the openid', async () => {
    const h = await start({ aesKey: AES_KEY });
    const bad = encryptedPush(textPush(), 'wxsomeoneelse000');
    await post(h, bad.query, bad.body);
    const stale = signedQuery({}, '1000');
    await post(h, stale, textPush());
    const unknown = encryptedPush(textPush().replace('<![CDATA[text]]>', 'weird'));
    await post(h, unknown.query, unknown.body);
    expect(h.logs.length).toBeGreaterThanOrEqual(3);
    const logged = JSON.stringify(h.logs);
    for (const secret of [TOKEN, AES_KEY, OPENID]) expect(logged).not.toContain(secret);
  });
});

describe('wechatEdge encrypt modes', () => {
  it('refuses a plain push in safe mode, with the reason', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'safe' });
    const res = await post(h, signedQuery(), textPush());
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('wechat_encryption_required');
    expect(h.seen).toHaveLength(0);
  });

  it('is in safe mode by default once an AES key is configured', async () => {
    const h = await start({ aesKey: AES_KEY });
    const res = await post(h, signedQuery(), textPush());
    expect(res.status).toBe(401);
    expect(h.seen).toHaveLength(0);
  });

  it('refuses encrypt_type=raw in safe mode', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'safe' });
    const res = await post(h, signedQuery({ encrypt_type: 'raw' }), textPush());
    expect(res.status).toBe(401);
    expect(h.seen).toHaveLength(0);
  });

  it('accepts an encrypted push in safe mode and encrypts the reply', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'safe' });
    const { query, body } = encryptedPush(textPush('安全'));
    const res = await post(h, query, body);
    expect(res.status).toBe(200);
    const outer = parseWeChatXml(await res.text());
    expect(createCipher(AES_KEY, APP_ID).decrypt(outer.Encrypt as string)).toBe(replyTo(h.seen[0]!.inbound, '收到:text'));
  });

  it('refuses a bad msg_signature in safe mode', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'safe' });
    const { query, body } = encryptedPush(textPush());
    query.set('msg_signature', '0'.repeat(40));
    expect((await post(h, query, body)).status).toBe(401);
    expect(h.seen).toHaveLength(0);
  });

  it('accepts both a plain and an encrypted push in compatible mode', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'compatible' });
    const plain = await post(h, signedQuery(), textPush('明文'));
    const { query, body } = encryptedPush(textPush('密文'));
    const sealed = await post(h, query, body);
    expect([plain.status, sealed.status]).toEqual([200, 200]);
    expect(h.seen.map((p) => p.encrypted)).toEqual([false, true]);
    expect(parseWeChatXml(await plain.text()).Content).toBe('收到:text');
    expect(parseWeChatXml(await sealed.text()).Encrypt).toEqual(expect.any(String));
  });

  it('refuses an encrypted push in plain mode without a key, saying why', async () => {
    const h = await start({ encryptMode: 'plain' });
    const { query, body } = encryptedPush(textPush());
    const res = await post(h, query, body);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('wechat_aes_not_configured');
    expect(h.seen).toHaveLength(0);
  });

  it('refuses to build safe or compatible mode without an AES key', () => {
    expect(() => wechatEdge({ token: TOKEN, appId: APP_ID, encryptMode: 'safe', maxSkewS: 0, replayGuard: memoryReplayGuard() })).toThrow(/AES key/);
    expect(() => wechatEdge({ token: TOKEN, appId: APP_ID, encryptMode: 'compatible', maxSkewS: 0, replayGuard: memoryReplayGuard() })).toThrow(/AES key/);
  });
});

describe('wechatEdge replayed queries', () => {
  it('answers the same signed query with the same body twice, as a retry', async () => {
    const h = await start();
    const first = await post(h, signedQuery(), textPush('#人工'));
    const retry = await post(h, signedQuery(), textPush('#人工'));
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(h.seen).toHaveLength(2);
  });

  it('refuses the same signed query with another body with 401 and logs it without the openid or content', async () => {
    const h = await start();
    expect((await post(h, signedQuery(), textPush('你好', '1'))).status).toBe(200);
    const forged = await post(h, signedQuery(), textPush('#人工', '2'));
    expect(forged.status).toBe(401);
    expect(await forged.text()).toBe('wechat_replayed_nonce');
    expect(h.seen).toHaveLength(1);
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain('wechat_replayed_nonce');
    for (const secret of [OPENID, '#人工', TOKEN]) expect(logged).not.toContain(secret);
  });

  it('refuses a plain body under the query of an encrypted push in compatible mode', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'compatible' });
    const { query, body } = encryptedPush(textPush('真的'), APP_ID, NOW_S, '555');
    expect((await post(h, query, body)).status).toBe(200);
    const forged = await post(h, signedQuery({}, NOW_S, '555'), textPush('#人工'));
    expect(forged.status).toBe(401);
    expect(h.seen).toHaveLength(1);
  });

  it('accepts a retry of an encrypted push that was sealed again with the same message', async () => {
    const h = await start({ aesKey: AES_KEY, encryptMode: 'safe' });
    const a = encryptedPush(textPush('重发'), APP_ID, NOW_S, '777');
    const b = encryptedPush(textPush('重发'), APP_ID, NOW_S, '777');
    expect(a.body).not.toBe(b.body);
    expect([(await post(h, a.query, a.body)).status, (await post(h, b.query, b.body)).status]).toEqual([200, 200]);
  });

  it('remembers a query for as long as its timestamp is within the skew, not just the skew from first sight', async () => {
    let nowMs = NOW_MS;
    const h = await start({ now: () => nowMs, maxSkewS: 300, replayGuard: memoryReplayGuard(() => nowMs) });
    const ts = String(NOW_MS / 1000 + 250); // a sender clock 250 s ahead: valid until NOW + 550 s
    expect((await post(h, signedQuery({}, ts), textPush('a', '1'))).status).toBe(200);
    nowMs = NOW_MS + 549_000;
    const late = await post(h, signedQuery({}, ts), textPush('b', '2'));
    expect([late.status, await late.text()]).toEqual([401, 'wechat_replayed_nonce']);
    nowMs = NOW_MS + 551_000;
    const stale = await post(h, signedQuery({}, ts), textPush('b', '2'));
    expect([stale.status, await stale.text()]).toEqual([401, 'wechat_stale_timestamp']);
    expect(h.seen).toHaveLength(1);
  });
});

describe('wechatEdge other methods', () => {
  it('refuses a PUT with 405', async () => {
    const h = await start();
    const res = await fetch(`${h.url}?${signedQuery()}`, { method: 'PUT', body: textPush() });
    expect(res.status).toBe(405);
    expect(h.seen).toHaveLength(0);
  });
});

describe('wechatEdge options', () => {
  it('refuses a malformed AES key when it is built', () => {
    expect(() => wechatEdge({ token: TOKEN, appId: APP_ID, aesKey: 'short', maxSkewS: 0, replayGuard: memoryReplayGuard() })).toThrow(/43 characters/);
  });
});

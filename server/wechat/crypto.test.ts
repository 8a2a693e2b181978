import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher, WeChatCryptoError } from './crypto.js';
import { msgSignature } from './signature.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vectors = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/wechat/vectors.json'), 'utf8')) as {
  aesEncrypt: { encodingAESKey: string; appId: string; random16: string; plaintext: string; encrypt: string; source: string }[];
  aesDecrypt: {
    token: string; encodingAESKey: string; timestamp: string; nonce: string;
    encrypt: string; msgSignature: string; plaintext: string; appId: string; source: string;
  }[];
};

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('createCipher', () => {
  it.each(vectors.aesEncrypt)('encrypts the published vector exactly ($source)', (v) => {
    const cipher = createCipher(v.encodingAESKey, v.appId);
    expect(cipher.encrypt(v.plaintext, Buffer.from(v.random16))).toBe(v.encrypt);
  });

  it.each(vectors.aesEncrypt)('decrypts its own published ciphertext back ($source)', (v) => {
    expect(createCipher(v.encodingAESKey, v.appId).decrypt(v.encrypt)).toBe(v.plaintext);
  });

  it.each(vectors.aesDecrypt)('decrypts the published ciphertext and checks its appid ($source)', (v) => {
    expect(msgSignature(v.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.msgSignature);
    expect(createCipher(v.encodingAESKey, v.appId).decrypt(v.encrypt)).toBe(v.plaintext);
  });

  it.each(vectors.aesDecrypt)('refuses the published ciphertext for another appid ($source)', (v) => {
    const cipher = createCipher(v.encodingAESKey, 'wx0000000000000000');
    expect(() => cipher.decrypt(v.encrypt)).toThrow(WeChatCryptoError);
    try {
      cipher.decrypt(v.encrypt);
    } catch (error) {
      expect((error as WeChatCryptoError).reason).toBe('appid_mismatch');
    }
  });

  it('round-trips Chinese XML with random padding', () => {
    const cipher = createCipher(KEY, 'wxappid');
    const xml = '<xml><Content><![CDATA[你好，世界]]></Content></xml>';
    const sealed = cipher.encrypt(xml);
    expect(sealed).not.toBe(cipher.encrypt(xml));
    expect(cipher.decrypt(sealed)).toBe(xml);
  });

  it('refuses a ciphertext sealed with another key', () => {
    const other = createCipher('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', 'wxappid');
    expect(() => createCipher(KEY, 'wxappid').decrypt(other.encrypt('<xml/>'))).toThrow(WeChatCryptoError);
  });

  it.each([
    ['not base64', '!!!!'],
    ['empty', ''],
    ['one block only', Buffer.alloc(16).toString('base64')],
    ['not block aligned', Buffer.alloc(40).toString('base64')],
    ['random blocks', Buffer.alloc(64, 7).toString('base64')],
  ])('refuses garbage ciphertext (%s) with a typed error', (_label, garbage) => {
    expect(() => createCipher(KEY, 'wxappid').decrypt(garbage)).toThrow(WeChatCryptoError);
  });

  it('refuses a flipped byte in the ciphertext', () => {
    const cipher = createCipher(KEY, 'wxappid');
    const raw = Buffer.from(cipher.encrypt('<xml><A>1</A></xml>'), 'base64');
    raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 0xff;
    expect(() => cipher.decrypt(raw.toString('base64'))).toThrow(WeChatCryptoError);
  });

  /** Seals `random16 | length | xml | appid | padding` by hand, so the padding can be wrong. */
  function sealWithPadding(xml: string, appId: string, padding: (padLength: number) => Buffer): string {
    const aesKey = Buffer.from(`${KEY}=`, 'base64');
    const msg = Buffer.from(xml);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(msg.length);
    const body = Buffer.concat([Buffer.alloc(16, 9), length, msg, Buffer.from(appId)]);
    const pad = padding(32 - (body.length % 32));
    const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, pad])), cipher.final()]).toString('base64');
  }

  it('opens a hand-sealed ciphertext whose PKCS#7 padding is right', () => {
    const sealed = sealWithPadding('<xml><A>1</A></xml>', 'wxappid', (n) => Buffer.alloc(n, n));
    expect(createCipher(KEY, 'wxappid').decrypt(sealed)).toBe('<xml><A>1</A></xml>');
  });

  it.each([
    ['a wrong byte before the last one', (n: number) => Buffer.concat([Buffer.alloc(n - 2, n), Buffer.from([0, n])])],
    ['all but the last byte zero', (n: number) => Buffer.concat([Buffer.alloc(n - 1, 0), Buffer.from([n])])],
  ])('refuses a ciphertext whose padding has %s', (_label, padding) => {
    const sealed = sealWithPadding('<xml><A>1</A></xml>', 'wxappid', padding);
    expect(() => createCipher(KEY, 'wxappid').decrypt(sealed)).toThrow(WeChatCryptoError);
  });

  it.each([
    ['pad length 0', 0],
    ['pad length 33', 33],
  ])('refuses a ciphertext with %s', (_label, last) => {
    // 64 bytes of plaintext whose last byte claims an impossible pad length.
    const aesKey = Buffer.from(`${KEY}=`, 'base64');
    const plain = Buffer.alloc(64, last);
    plain.writeUInt32BE(4, 16);
    const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    expect(() => createCipher(KEY, 'wxappid').decrypt(sealed)).toThrow(WeChatCryptoError);
  });

  it('refuses a length prefix that runs past the plaintext', () => {
    const sealed = sealWithPadding('<xml/>', 'wxappid', (n) => Buffer.alloc(n, n));
    const aesKey = Buffer.from(`${KEY}=`, 'base64');
    const plain = Buffer.alloc(64, 32);
    plain.writeUInt32BE(1000, 16);
    const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
    const forged = Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    expect(createCipher(KEY, 'wxappid').decrypt(sealed)).toBe('<xml/>');
    expect(() => createCipher(KEY, 'wxappid').decrypt(forged)).toThrow(WeChatCryptoError);
  });

  it.each([
    ['too short', 'abc'],
    ['44 characters', `${KEY}=`],
    ['outside the base64 alphabet', `${KEY.slice(0, 42)}-`],
  ])('refuses an EncodingAESKey that is %s', (_label, key) => {
    expect(() => createCipher(key, 'wxappid')).toThrow(/43 characters/);
  });

  it('refuses a random16 that is not 16 bytes', () => {
    expect(() => createCipher(KEY, 'wxappid').encrypt('<xml/>', Buffer.alloc(8))).toThrow(/16 bytes/);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { msgSignature, plainSignature, safeEqual } from './signature.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vectors = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/wechat/vectors.json'), 'utf8')) as {
  plainSignature: { token: string; timestamp: string; nonce: string; signature: string }[];
  msgSignature: { token: string; timestamp: string; nonce: string; encrypt: string; msgSignature: string }[];
  aesDecrypt: { token: string; timestamp: string; nonce: string; encrypt: string; msgSignature: string }[];
};

describe('plainSignature', () => {
  it.each(vectors.plainSignature)('matches the published vector ($source)', (v) => {
    expect(plainSignature(v.token, v.timestamp, v.nonce)).toBe(v.signature);
  });

  it('does not depend on the order of its arguments, because WeChat sorts them', () => {
    expect(plainSignature('b', 'c', 'a')).toBe(plainSignature('a', 'b', 'c'));
  });

  it('changes when any part changes', () => {
    expect(plainSignature('123', '456', '780')).not.toBe(plainSignature('123', '456', '789'));
  });
});

describe('msgSignature', () => {
  it.each(vectors.msgSignature)('matches the published vector ($source)', (v) => {
    expect(msgSignature(v.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.msgSignature);
  });

  it.each(vectors.aesDecrypt)('matches the signature of the published ciphertext ($source)', (v) => {
    expect(msgSignature(v.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.msgSignature);
  });
});

describe('safeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['签名', '签名', true],
  ])('safeEqual(%j, %j) is %s', (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
  });
});

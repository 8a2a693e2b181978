/**
 * AES "safe mode" message encryption (DESIGN.md §3 "AES safe mode"), wrapping @wecom/crypto.
 *
 * The library does the AES-256-CBC work but trusts its input: it neither checks the appid nor
 * the PKCS#7 padding and length prefix. Those checks are made here, so a forged or corrupted
 * ciphertext always ends in one typed error instead of a half-decoded message.
 */
import { decrypt as wecomDecrypt, encrypt as wecomEncrypt } from '@wecom/crypto';

/** Any ciphertext we refuse: garbage, bad padding, bad length prefix, or another account's appid. */
export class WeChatCryptoError extends Error {
  constructor(
    message: string,
    readonly reason: 'bad_ciphertext' | 'appid_mismatch',
  ) {
    super(message);
    this.name = 'WeChatCryptoError';
  }
}

export interface WeChatCipher {
  /** Encrypts a reply; `random16` is only for reproducible tests (WeChat wants 16 random bytes). */
  encrypt(xml: string, random16?: Buffer): string;
  /** Decrypts an `<Encrypt>` value and checks that it was sealed for our appid. */
  decrypt(encrypt: string): string;
}

// 43 characters of the standard base64 alphabet: with one '=' appended it decodes to 32 bytes.
const AES_KEY = /^[A-Za-z0-9+/]{43}$/;
// Standard base64 whose decoded length is a whole number of AES blocks (16 bytes => 24 chars).
const CIPHERTEXT = /^(?:[A-Za-z0-9+/]{4})+$|^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;

export function createCipher(encodingAESKey: string, appId: string): WeChatCipher {
  if (!AES_KEY.test(encodingAESKey)) {
    throw new TypeError('EncodingAESKey must be 43 characters of the base64 alphabet (A-Z a-z 0-9 + /)');
  }
  if (appId === '') throw new TypeError('appId must not be empty');

  return {
    encrypt(xml, random16) {
      if (random16 !== undefined && random16.length !== 16) {
        throw new TypeError('random16 must be exactly 16 bytes');
      }
      return wecomEncrypt(encodingAESKey, xml, appId, random16);
    },

    decrypt(encrypt) {
      const raw = Buffer.from(encrypt, 'base64');
      // 16 random + 4 length bytes, padded to 32: anything shorter or not block-aligned is garbage.
      if (!CIPHERTEXT.test(encrypt) || raw.length < 32 || raw.length % 16 !== 0) {
        throw new WeChatCryptoError('ciphertext is not valid AES-CBC base64', 'bad_ciphertext');
      }
      let opened: { message: string; id: string };
      try {
        opened = wecomDecrypt(encodingAESKey, encrypt);
      } catch {
        throw new WeChatCryptoError('ciphertext could not be decrypted', 'bad_ciphertext');
      }
      // The library returns garbage rather than failing on a wrong key or a forged body; the
      // appid trailer is the integrity check WeChat's protocol gives us, so it must match exactly.
      if (opened.id !== appId) {
        throw new WeChatCryptoError('ciphertext was not sealed for this appid', 'appid_mismatch');
      }
      return opened.message;
    },
  };
}

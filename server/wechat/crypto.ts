/**
 * AES "safe mode" message encryption (DESIGN.md §3 "AES safe mode"), wrapping @wecom/crypto.
 *
 * The library seals replies. Opening is done here: the library trusts its input (it looks only
 * at the padding's last byte, and at neither the length prefix nor the appid), while a forged or
 * corrupted ciphertext must always end in one typed error instead of a half-decoded message.
 */
import { createDecipheriv } from 'node:crypto';
import { encrypt as wecomEncrypt } from '@wecom/crypto';

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
  const aesKey = Buffer.from(`${encodingAESKey}=`, 'base64');

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
      const opened = open(aesKey, raw);
      // A wrong key or a forged body decrypts to garbage rather than failing; the appid trailer
      // is the integrity check WeChat's protocol gives us, so it must match exactly.
      if (opened.id !== appId) {
        throw new WeChatCryptoError('ciphertext was not sealed for this appid', 'appid_mismatch');
      }
      return opened.message;
    },
  };
}

/** WeChat pads to 32-byte blocks (not AES's 16): PKCS#7 with pad lengths 1..32. */
const MAX_PAD = 32;

/** AES-256-CBC (IV = the key's first 16 bytes), then `random16 | length(4, BE) | message | appid | padding`. */
function open(aesKey: Buffer, raw: Buffer): { message: string; id: string } {
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(raw), decipher.final()]);
  } catch {
    throw new WeChatCryptoError('ciphertext could not be decrypted', 'bad_ciphertext');
  }
  const pad = plain[plain.length - 1] ?? 0;
  // Every padding byte, not only the last, must equal the pad length.
  let badPad = pad < 1 || pad > MAX_PAD ? 1 : 0;
  for (let i = plain.length - Math.min(pad, MAX_PAD); i < plain.length; i++) badPad |= plain[i]! ^ pad;
  if (badPad !== 0) throw new WeChatCryptoError('ciphertext has bad padding', 'bad_ciphertext');
  const content = plain.subarray(0, plain.length - pad);
  if (content.length < 20) throw new WeChatCryptoError('ciphertext is too short', 'bad_ciphertext');
  const length = content.readUInt32BE(16);
  if (length > content.length - 20) throw new WeChatCryptoError('ciphertext has a bad length prefix', 'bad_ciphertext');
  return {
    message: content.subarray(20, 20 + length).toString('utf8'),
    id: content.subarray(20 + length).toString('utf8'),
  };
}

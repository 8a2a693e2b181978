import { createHash, randomBytes } from 'node:crypto';

/**
 * The platform's own signing, written independently of server/wechat so that the
 * simulator checks the server rather than agreeing with it by construction.
 * signature = sha1(sorted([token, timestamp, nonce]).join('')); with AES the
 * Encrypt field joins the sort (msg_signature). DESIGN.md §3 "Signatures".
 */
export function sha1Signature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

export function newNonce(): string {
  // WeChat's nonces are decimal digits; any string works for the signature. 48 bits, because the
  // server refuses a (timestamp, nonce) it has seen with another body: with 32 bits two pushes
  // in one second of a load test would collide now and then.
  return String(randomBytes(6).readUIntBE(0, 6));
}

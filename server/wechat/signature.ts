/**
 * WeChat push signatures (DESIGN.md §3 "Signatures" and "AES safe mode").
 * Pure functions: values in, values out.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { getSignature } from '@wecom/crypto';

/** `sha1(sorted([token, timestamp, nonce]).join(''))`, lower-case hex: the `signature` query parameter. */
export function plainSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** `sha1(sorted([token, timestamp, nonce, encrypt]).join(''))`: the `msg_signature` query parameter in AES mode. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return getSignature(token, timestamp, nonce, encrypt);
}

/**
 * Constant-time string comparison, so a forger cannot learn a signature byte by byte from
 * response times. Different lengths return false at once: the length of a SHA-1 hex digest is public.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

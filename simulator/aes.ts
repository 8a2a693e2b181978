import { decrypt, encrypt } from '@wecom/crypto';

/**
 * AES safe mode, through @wecom/crypto: AES-256-CBC, key = base64(EncodingAESKey + '='),
 * IV = key[0..16], PKCS#7 to 32 bytes, plaintext = random(16) + len + xml + appid.
 */
export function encryptXml(aesKey: string, xml: string, appId: string): string {
  return encrypt(aesKey, xml, appId);
}

/** Decrypts an Encrypt field and checks that it was made for `appId`. */
export function decryptXml(aesKey: string, encrypted: string, appId: string): string {
  const { message, id } = decrypt(aesKey, encrypted);
  if (id !== appId) throw new Error('appid mismatch in encrypted message');
  return message;
}

export function isValidAesKey(aesKey: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(aesKey) && Buffer.from(`${aesKey}=`, 'base64').length === 32;
}

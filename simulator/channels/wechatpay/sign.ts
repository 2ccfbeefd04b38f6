// WeChat Pay API v3 signing and encryption, as pure functions of their inputs (docs/wechatpay-protocol.md
// §2, §3, §5). Keys arrive as KeyObjects parsed once; signing runs on libuv's thread pool.
import { createCipheriv, createDecipheriv, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

export const authorizationScheme = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat's deliberate wrong signatures on a few answers and notifications start with this (§3.1). */
export const signTestPrefix = 'WECHATPAY/SIGNTEST/';

/** The five lines a merchant signs: method, request target, timestamp, nonce, body (empty for GET). */
export function requestSignContent(input: { method: string; target: string; timestamp: string; nonce: string; body: string }): string {
  return `${input.method}\n${input.target}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`;
}

/** The three lines of an answer or notification: timestamp, nonce, body (empty for a 204). */
export function responseSignContent(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface AuthorizationItems {
  readonly mchid: string;
  readonly nonce_str: string;
  readonly signature: string;
  readonly timestamp: string;
  readonly serial_no: string;
}

const itemNames = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;

export type ParsedAuthorization = { readonly ok: true; readonly items: AuthorizationItems } | { readonly ok: false; readonly issue: string };

/** Parses `WECHATPAY2-SHA256-RSA2048 k="v",…`: the five items in any order, each required (§2.2). */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) return { ok: false, issue: 'Authorization header is missing' };
  if (!header.startsWith(`${authorizationScheme} `)) return { ok: false, issue: `Authorization must start with ${authorizationScheme}` };
  const found: Record<string, string> = {};
  for (const match of header.slice(authorizationScheme.length + 1).matchAll(/(\w+)="([^"]*)"/g)) found[match[1]!] = match[2]!;
  const missing = itemNames.filter((name) => !found[name]);
  if (missing.length > 0) return { ok: false, issue: `Authorization lacks ${missing.join(', ')}` };
  return { ok: true, items: found as unknown as AuthorizationItems };
}

/** Serials compare upper-case with a leading 00 stripped: node-v3 sends `009a75…` for `9A75…` (§2.2). */
export function normalizeSerial(serial: string): string {
  const upper = serial.toUpperCase();
  return upper.startsWith('00') ? upper.slice(2) : upper;
}

export function signAsync(content: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    cryptoSign('sha256', Buffer.from(content, 'utf8'), privateKey, (error, signature) => (error ? reject(error) : resolve(signature.toString('base64'))));
  });
}

export function signSync(content: string, privateKey: KeyObject): string {
  return cryptoSign('sha256', Buffer.from(content, 'utf8'), privateKey).toString('base64');
}

/** Verifies a base64 SHA256withRSA signature; a malformed one is simply not valid. */
export function verify(content: string, signatureBase64: string, publicKey: KeyObject): boolean {
  try {
    return cryptoVerify('sha256', Buffer.from(content, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/** AEAD_AES_256_GCM under the APIv3 key: base64(ciphertext ‖ 16-byte tag) (§5). */
export function aeadEncrypt(plaintext: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

/** The inverse of aeadEncrypt; throws when the tag does not authenticate (wrong key, nonce or AAD). */
export function aeadDecrypt(ciphertextBase64: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const bytes = Buffer.from(ciphertextBase64, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}

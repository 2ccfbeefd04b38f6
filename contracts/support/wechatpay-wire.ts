// WeChat Pay API v3's signature and encryption rules as the contract harness needs them
// (docs/wechatpay-protocol.md §2, §3, §5): the consumer tests write VALID example traffic (the merchant's
// Authorization, the channel's signed answers, encrypted and signed notifications) and check that the
// connector's real requests verify; the provider verification re-signs replayed requests as the
// merchant and checks that every answer and notification the simulator sends verifies. Written from the
// protocol notes with node:crypto, borrowed from neither the core nor the simulator: a codec shared by
// the two sides of a contract would hide a bug both sides have.
import { createCipheriv, createDecipheriv, createSign, createVerify } from 'node:crypto';

/** SHA256withRSA (PKCS#1 v1.5), base64. */
export function sha256RsaSign(content: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
}

export function sha256RsaVerifies(content: string, signatureBase64: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKeyPem, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

/** §2.1: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, the URL being path and query as sent. */
export function requestSignContent(method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** §3.1: `TIMESTAMP\nNONCE\nBODY\n` (an empty body for 204). */
export function responseSignContent(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface AuthorizationItems {
  readonly mchid: string;
  readonly serial_no: string;
  readonly timestamp: string;
  readonly nonce_str: string;
  readonly signature: string;
}

/** The header value, items in the order wechatpay-axios-plugin writes them (any order is valid, §2.1). */
export function authorization(items: AuthorizationItems): string {
  return `WECHATPAY2-SHA256-RSA2048 mchid="${items.mchid}",serial_no="${items.serial_no}",timestamp="${items.timestamp}",nonce_str="${items.nonce_str}",signature="${items.signature}"`;
}

export function parseAuthorization(header: string): AuthorizationItems | undefined {
  const prefix = 'WECHATPAY2-SHA256-RSA2048 ';
  if (!header.startsWith(prefix)) return undefined;
  const items: Record<string, string> = {};
  for (const [, name, value] of header.slice(prefix.length).matchAll(/(\w+)="([^"]*)"/g)) items[name!] = value!;
  const { mchid, serial_no, timestamp, nonce_str, signature } = items;
  if (!mchid || !serial_no || !timestamp || !nonce_str || !signature) return undefined;
  return { mchid, serial_no, timestamp, nonce_str, signature };
}

/** Why a request's Authorization does not verify under `publicKeyPem`, or undefined when it does. */
export function requestSignatureProblem(request: { readonly method: string; readonly url: string; readonly body: string; readonly authorization?: string | undefined }, publicKeyPem: string): string | undefined {
  if (!request.authorization) return 'no Authorization header';
  const items = parseAuthorization(request.authorization);
  if (!items) return `Authorization is not WECHATPAY2-SHA256-RSA2048 with five items: ${request.authorization.slice(0, 80)}`;
  const content = requestSignContent(request.method.toUpperCase(), request.url, items.timestamp, items.nonce_str, request.body);
  return sha256RsaVerifies(content, items.signature, publicKeyPem) ? undefined : `the signature over ${JSON.stringify(content.slice(0, 120))} does not verify`;
}

/** AEAD_AES_256_GCM as §5 says: the APIv3 key's 32 bytes, a 12-character nonce, base64(ciphertext ‖ tag). */
export function aeadEncrypt(plaintext: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

/** The plaintext, or undefined when the tag does not authenticate. */
export function aeadDecrypt(ciphertextBase64: string, apiV3Key: string, nonce: string, associatedData: string): string | undefined {
  try {
    const bytes = Buffer.from(ciphertextBase64, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Patterns of what legitimately varies on WeChat Pay's wire. */
export const wechatPatterns = {
  /** Unix seconds. */
  timestamp: '^\\d{10}$',
  /** A nonce: letters and digits. */
  nonce: '^[0-9A-Za-z]{16,64}$',
  /** An RSA-2048 signature in base64: 344 characters. */
  signature: '^[A-Za-z0-9+/]{342}==$',
  /** The Authorization header of a v3 request. */
  authorization: '^WECHATPAY2-SHA256-RSA2048 \\S+$',
  /** A public key id or a certificate serial. */
  serial: '^(PUB_KEY_ID_\\d+|[0-9A-F]{40})$',
  /** RFC 3339 with an offset. */
  rfc3339: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+08:00$',
  /** transaction_id: digits (28, 42000…). */
  transactionId: '^\\d{20,32}$',
  /** refund_id: digits (29, 503…). */
  refundId: '^\\d{20,32}$',
  /** An openid. */
  openid: '^[A-Za-z0-9_-]{6,64}$',
  /** A merchant number (out_trade_no, out_refund_no). */
  merchantNo: '^[A-Za-z0-9_*|@-]{1,64}$',
  /** Free text. */
  text: '^[\\s\\S]+$',
  /** A code_url: weixin://… or a cashier URL. */
  url: '^\\S+$',
  /** 40 hexadecimal digits (SHA1). */
  sha1: '^[0-9a-f]{40}$',
} as const;

/**
 * JSON with every object's keys sorted and no whitespace: the form the Pact mock server writes a JSON
 * body in. WeChat amounts are integers, which the pact core prints as JavaScript does; anything else
 * numeric would not survive the round trip byte for byte, so it is refused.
 */
export function canonicalWechatJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new TypeError(`canonicalWechatJson: only integer numbers round-trip, got ${value}`);
    return value;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

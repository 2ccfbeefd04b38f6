// Alipay signing, as pure functions of their inputs (docs/alipay-protocol.md §2.3, §2.4, §3, §4).
// Keys arrive as KeyObjects parsed once; signing runs asynchronously on libuv's thread pool so that
// RSA-2048 private-key operations do not hold the event loop.
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

export type SignType = 'RSA2' | 'RSA';

const algorithmOf = (signType: SignType) => (signType === 'RSA2' ? 'sha256' : 'sha1');

/** Request string to sign (v2): every parameter but `sign` and empty values, `sign_type` kept, sorted. */
export function requestSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '' && params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** Notification and return-URL string to sign: everything but `sign` and `sign_type`, sorted. */
export function notifySignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && key !== 'sign_type')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** v3 request string to sign: auth string, method, request target, body, optional app auth token. */
export function v3RequestSignContent(input: { authString: string; method: string; pathAndQuery: string; body: string; appAuthToken?: string }): string {
  const base = `${input.authString}\n${input.method}\n${input.pathAndQuery}\n${input.body}\n`;
  return input.appAuthToken ? `${base}${input.appAuthToken}\n` : base;
}

/** v3 response string to sign. */
export function v3ResponseSignContent(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function signAsync(content: string, privateKey: KeyObject, signType: SignType = 'RSA2'): Promise<string> {
  return new Promise((resolve, reject) => {
    cryptoSign(algorithmOf(signType), Buffer.from(content, 'utf8'), privateKey, (error, signature) =>
      error ? reject(error) : resolve(signature.toString('base64')),
    );
  });
}

export function signSync(content: string, privateKey: KeyObject, signType: SignType = 'RSA2'): string {
  return cryptoSign(algorithmOf(signType), Buffer.from(content, 'utf8'), privateKey).toString('base64');
}

/** Verifies a base64 signature; a malformed signature is simply not valid. */
export function verify(content: string, signatureBase64: string, publicKey: KeyObject, signType: SignType = 'RSA2'): boolean {
  try {
    return cryptoVerify(algorithmOf(signType), Buffer.from(content, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

const v3AuthPattern = /^ALIPAY-SHA256withRSA (.*),sign=(.+)$/;

export interface V3Authorization {
  readonly authString: string;
  readonly signature: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Parses `Authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…`. */
export function parseV3Authorization(header: string | undefined): V3Authorization | undefined {
  const match = header ? v3AuthPattern.exec(header) : null;
  if (!match) return undefined;
  const authString = match[1]!;
  const fields: Record<string, string> = {};
  for (const part of authString.split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return { authString, signature: match[2]!, fields };
}

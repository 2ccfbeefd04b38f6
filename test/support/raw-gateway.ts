// Hand-made v2 gateway requests for what the SDK cannot send (a missing common parameter, broken
// biz_content): the string to sign is built as docs/alipay-protocol.md §2.3 describes, with node:crypto.
import { createSign } from 'node:crypto';
import { fixtureKeys } from './keys.ts';
import { defaultAppId } from './sdk.ts';

/** `yyyy-MM-dd HH:mm:ss`, as the SDK writes timestamps. */
const timestamp = '2026-01-01 08:00:00';

/** The common parameters the SDK sends, for a given method and biz_content text. */
export function commonParameters(method: string, bizContent: string): Record<string, string> {
  return { app_id: defaultAppId, method, charset: 'utf-8', version: '1.0', sign_type: 'RSA2', timestamp, biz_content: bizContent };
}

/** Sorted `k=v` pairs without `sign` and empty values, `sign_type` kept. */
export function requestSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** Adds `sign` over the parameters with the merchant's private key (RSA-SHA256, base64). */
export function signRequest(params: Readonly<Record<string, string>>, privateKeyPem = fixtureKeys.merchant.privateKeyPem): Record<string, string> {
  const sign = createSign('RSA-SHA256').update(requestSignContent(params), 'utf8').sign(privateKeyPem, 'base64');
  return { ...params, sign };
}

/** Returns a copy without the named parameters. */
export function without(params: Readonly<Record<string, string>>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !names.includes(key)));
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** POSTs every parameter as an `application/x-www-form-urlencoded` body to `/gateway.do`. */
export async function postGateway(baseUrl: string, params: Readonly<Record<string, string>>): Promise<RawAnswer> {
  const response = await fetch(`${baseUrl}/gateway.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

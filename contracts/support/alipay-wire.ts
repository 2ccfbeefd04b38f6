// Alipay's signature rules as the contract harness needs them: the consumer tests write VALID example
// traffic (the merchant's request signature, docs/alipay-protocol.md §2.3; the channel's answer signature,
// §2.4; the notification signature, §3), and the provider verification re-signs replayed requests as
// the merchant. Written from the protocol notes with node:crypto, borrowed from neither the core nor
// the simulator: a codec shared by the two sides of a contract would hide a bug both sides have.
import { createSign } from 'node:crypto';
import { fixtureKeys } from '../../test/support/keys.ts';

/** RSA-SHA256 (Alipay's RSA2), base64. */
export function rsa2Sign(content: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
}

/** §2.3: every parameter but `sign` and empty values, `sign_type` kept, sorted, raw values. */
export function requestSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== '')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

/** §3: every parameter but `sign` and `sign_type`, sorted, raw values. */
export function notificationSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sign' && name !== 'sign_type')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

/** The merchant's signature over a request's parameters (query and form merged). */
export function merchantSignature(params: Readonly<Record<string, string>>, privateKeyPem = fixtureKeys.merchant.privateKeyPem): string {
  return rsa2Sign(requestSignContent(params), privateKeyPem);
}

/** The channel's signature over a notification's parameters. */
export function notificationSignature(params: Readonly<Record<string, string>>, privateKeyPem = fixtureKeys.channel.privateKeyPem): string {
  return rsa2Sign(notificationSignContent(params), privateKeyPem);
}

/**
 * JSON with every object's keys sorted and no whitespace: the form the Pact mock server writes a JSON
 * body in (it parses the expected body and serialises it again, sorting keys and dropping escapes
 * such as `\/`). Signing this form is what makes the mock server's bytes the signed bytes.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') {
    // Numbers would be re-printed by the pact core in its own way; Alipay answers carry strings only.
    if (typeof value === 'number') throw new TypeError(`canonicalJson: Alipay answers carry amounts as strings, got the number ${value}`);
    return value;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** `alipay.trade.query` → `alipay_trade_query_response`. */
export function responseKey(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

/** Patterns of what legitimately varies on Alipay's wire. */
export const patterns = {
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time. */
  dateTime: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$',
  /** An RSA-2048 signature in base64: 344 characters. */
  signature: '^[A-Za-z0-9+/]{342}==$',
  /** Alipay's trade number: digits (28 in practice: yyyyMMdd22001…). */
  tradeNo: '^\\d{16,64}$',
  /** A 2088… user or seller id. */
  userId: '^2088\\d{12}$',
  /** A masked logon id such as `abc***@163.com`. */
  logonId: '^\\S+$',
  /** A yuan amount with two decimals. */
  yuan: '^\\d+\\.\\d{2}$',
  /** A trace id: hexadecimal. */
  traceId: '^[0-9a-f]{16,64}$',
  /** A merchant number (out_trade_no, out_request_no). */
  merchantNo: '^[A-Za-z0-9_.-]{1,64}$',
  /** notify_id: letters and digits. */
  notifyId: '^[A-Za-z0-9]{8,64}$',
  /** Free text (sub_msg and friends): anything non-empty. */
  text: '^[\\s\\S]+$',
} as const;

// Alipay's signature rules as the contract harness needs them: the consumer tests write VALID example
// traffic (the merchant's request signature, docs/alipay-protocol.md §2.3; the channel's answer signature,
// §2.4; the notification signature, §3) and check that the connector's real requests verify; the
// provider verification re-signs replayed requests as the merchant and checks that every answer and
// notification the simulator sends verifies with the channel's public key. Written from the protocol notes with node:crypto, borrowed from neither the core nor
// the simulator: a codec shared by the two sides of a contract would hide a bug both sides have.
import { createSign, createVerify } from 'node:crypto';
import { fixtureKeys } from '../../test/support/keys.ts';

/** RSA-SHA256 (Alipay's RSA2), base64. */
export function rsa2Sign(content: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
}

/** Whether `signatureBase64` is the RSA2 signature of `content` under `publicKeyPem`; malformed input is simply not valid. */
export function rsa2Verifies(content: string, signatureBase64: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKeyPem, signatureBase64, 'base64');
  } catch {
    return false;
  }
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

/**
 * The parameters of a v2 request as the gateway merges them (§2.1): the query string, plus the form
 * body when there is one. A parameter given twice is an error: the signature would be ambiguous.
 */
export function requestParameters(pathAndQuery: string, formBody = ''): Record<string, string> {
  const params: Record<string, string> = {};
  const query = new URL(pathAndQuery, 'http://gateway.invalid').searchParams;
  for (const [name, value] of [...query, ...new URLSearchParams(formBody)]) {
    if (Object.hasOwn(params, name)) throw new Error(`request parameter ${name} is given twice`);
    params[name] = value;
  }
  return params;
}

/** Why a request's or a notification's signature does not verify, or undefined when it does. */
export function requestSignatureProblem(params: Readonly<Record<string, string>>, publicKeyPem: string): string | undefined {
  if (!params.sign) return 'no sign parameter';
  if (params.sign_type !== 'RSA2') return `sign_type is ${JSON.stringify(params.sign_type)}, not RSA2`;
  return rsa2Verifies(requestSignContent(params), params.sign, publicKeyPem) ? undefined : `sign does not verify over ${requestSignContent(params).slice(0, 120)}…`;
}

export function notificationSignatureProblem(params: Readonly<Record<string, string>>, publicKeyPem: string): string | undefined {
  if (!params.sign) return 'no sign parameter';
  if (params.sign_type !== undefined && params.sign_type !== 'RSA2') return `sign_type is ${JSON.stringify(params.sign_type)}, not RSA2`;
  return rsa2Verifies(notificationSignContent(params), params.sign, publicKeyPem) ? undefined : 'sign does not verify over the sorted parameters (sign and sign_type left out)';
}

/**
 * §2.4: why a v2 answer's signature does not verify, or undefined when it does. The signed content is
 * the exact text of the `"<method>_response"` member's value as it stands in the body (its escapes, its
 * key order, its spacing), cut out by a scanner of the top-level members rather than re-serialised;
 * that member must come before `sign`, the order the SDK's cut needs.
 */
export function answerSignatureProblem(body: string, method: string, publicKeyPem: string): string | undefined {
  let members: TopLevelMember[];
  try {
    members = topLevelMembers(body);
  } catch (error) {
    return `not a JSON object: ${(error as Error).message}`;
  }
  const key = responseKey(method);
  const answerAt = members.findIndex((member) => member.name === key);
  const signAt = members.findIndex((member) => member.name === 'sign');
  if (answerAt < 0) return `no "${key}" member (members: ${members.map((member) => member.name).join(', ')})`;
  if (signAt < 0) return 'no "sign" member';
  if (signAt < answerAt) return `"sign" comes before "${key}": the SDK could not cut the signed text out`;
  const signature: unknown = JSON.parse(members[signAt]!.raw);
  if (typeof signature !== 'string') return '"sign" is not a string';
  return rsa2Verifies(members[answerAt]!.raw, signature, publicKeyPem) ? undefined : `sign does not verify over the exact text of "${key}"`;
}

interface TopLevelMember {
  readonly name: string;
  /** The value's text exactly as it stands in the body. */
  readonly raw: string;
}

/** The members of a JSON object with the raw text of each value; a name given twice is an error. */
function topLevelMembers(text: string): TopLevelMember[] {
  const parsed: unknown = JSON.parse(text); // validates; the scan below may then assume well-formed JSON
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the body is JSON but not an object');
  const members: TopLevelMember[] = [];
  let at = skipSpace(text, 0) + 1; // past '{'
  for (;;) {
    at = skipSpace(text, at);
    if (text[at] === '}') break;
    if (text[at] === ',') at = skipSpace(text, at + 1);
    const nameEnd = endOfValue(text, at);
    const name = JSON.parse(text.slice(at, nameEnd)) as string;
    at = skipSpace(text, skipSpace(text, nameEnd) + 1); // past ':'
    const valueEnd = endOfValue(text, at);
    if (members.some((member) => member.name === name)) throw new Error(`member ${name} is given twice`);
    members.push({ name, raw: text.slice(at, valueEnd) });
    at = valueEnd;
  }
  return members;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  return at;
}

/** Where the (well-formed) JSON value starting at `at` ends. */
function endOfValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') {
    let i = at + 1;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    return i + 1;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    let i = at;
    do {
      const c = text[i];
      if (c === '"') {
        i = endOfValue(text, i);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      if (c === '}' || c === ']') depth--;
      i++;
    } while (depth > 0);
    return i;
  }
  let i = at;
  while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
  return i;
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

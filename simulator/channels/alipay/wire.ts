// Parsing and formatting at Alipay's wire edge: form parameters, biz_content, yuan strings, times,
// and the signed JSON envelope. Yuan strings are converted to fen here and nowhere else.
import { formatFen, parseYuan } from '../../../lib/money.ts';
import { formatBeijingDateTime, parseBeijingDateTime } from '../../../lib/time-format.ts';
import { alipayErrors, type AlipayError } from './errors.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AlipayError };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (error: AlipayError): Outcome<never> => ({ ok: false, error });

/** Merges query-string and form-body parameters, as the gateway does before verifying the signature. */
export function mergeParameters(query: URLSearchParams, body: URLSearchParams): Outcome<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const source of [query, body]) {
    for (const [key, value] of source) {
      if (key in params && params[key] !== value) return fail(alipayErrors.invalidParameter(`参数 ${key} 重复且取值不同`));
      params[key] = value;
    }
  }
  return ok(params);
}

export type Biz = Record<string, unknown>;

export function parseBizContent(text: string | undefined): Outcome<Biz> {
  if (text === undefined || text === '') return ok({});
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return fail(alipayErrors.invalidParameter('biz_content 必须是 JSON 对象'));
    }
    return ok(value as Biz);
  } catch {
    return fail(alipayErrors.invalidParameter(`biz_content 不是合法的 JSON: ${text.slice(0, 64)}`));
  }
}

/** Reads typed fields of a biz_content object, turning every problem into Alipay's error. */
export class BizReader {
  constructor(private readonly biz: Biz) {}

  has(name: string): boolean {
    const value = this.biz[name];
    return value !== undefined && value !== null && value !== '';
  }

  string(name: string, options: { required?: boolean; maxLength?: number; pattern?: RegExp } = {}): Outcome<string | undefined> {
    const value = this.biz[name];
    if (value === undefined || value === null || value === '') {
      return options.required ? fail(alipayErrors.missingParameter(name)) : ok(undefined);
    }
    if (typeof value !== 'string' && typeof value !== 'number') return fail(alipayErrors.invalidParameter(`${name} 必须是字符串`));
    const text = String(value);
    if (options.maxLength !== undefined && text.length > options.maxLength) {
      return fail(alipayErrors.invalidParameter(`${name} 长度超过 ${options.maxLength}`));
    }
    if (options.pattern && !options.pattern.test(text)) return fail(alipayErrors.invalidParameter(`${name} 格式错误: ${text.slice(0, 64)}`));
    return ok(text);
  }

  /** A yuan amount in [0.01, 100000000], returned in fen. Numbers are accepted as the SDK may send them. */
  amountFen(name: string, options: { required?: boolean } = {}): Outcome<number | undefined> {
    const raw = this.biz[name];
    if (raw === undefined || raw === null || raw === '') return options.required ? fail(alipayErrors.missingParameter(name)) : ok(undefined);
    const text = typeof raw === 'number' ? String(raw) : raw;
    if (typeof text !== 'string') return fail(alipayErrors.invalidParameter(`${name} 必须是金额字符串，如 "88.80"`));
    const parsed = parseYuan(text);
    // A well-formed order amount above the channel's limit is Alipay's own ACQ.TOTAL_FEE_EXCEED.
    if (!parsed.ok && parsed.tooLarge && name === 'total_amount') return fail(alipayErrors.totalFeeExceed());
    if (!parsed.ok) return fail(alipayErrors.invalidParameter(`${name} 金额格式错误 ${text.slice(0, 32)}，应为单位元、最多两位小数，如 "88.80"`));
    if (parsed.fen < 1) return fail(alipayErrors.invalidBusinessParameter(`${name} 必须大于 0`));
    return ok(parsed.fen);
  }
}

/**
 * out_trade_no / out_request_no: letters, digits and `_` as Alipay documents them, and `-`, which merchants
 * use widely and Alipay takes; at most 64 characters.
 */
export const merchantNumberPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** `yyyy-MM-dd HH:mm:ss`, the only form of the gateway's `timestamp` and of `time_expire`. */
export const dateTimePattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const timeoutExpressPattern = /^(\d{1,5})(m|h|d|c)$/;

/** The longest a trade may wait for its buyer: `time_expire` and `timeout_express` range over 1m..15d. */
export const expiryRangeMaxMs = 15 * 86_400_000;

/**
 * Trade expiry from `time_expire` (Beijing time; with `timeExpireRange`, at most 15 days ahead of the
 * simulator's clock) or `timeout_express` (90m / 2h / 1d / 1c, from 1m to 15d). A field of another type
 * than a string is refused, not ignored.
 */
export function expiryFrom(biz: Biz, nowMs: number, timeExpireRange: boolean): Outcome<number | undefined> {
  const timeExpire = biz.time_expire;
  if (timeExpire !== undefined && timeExpire !== null && typeof timeExpire !== 'string') return fail(alipayErrors.invalidParameter('time_expire 必须是字符串 yyyy-MM-dd HH:mm:ss'));
  if (typeof timeExpire === 'string' && timeExpire !== '') {
    const atMs = parseBeijingDateTime(timeExpire);
    if (atMs === undefined || !dateTimePattern.test(timeExpire)) return fail(alipayErrors.invalidParameter(`time_expire 格式错误 ${timeExpire}，应为 yyyy-MM-dd HH:mm:ss`));
    if (timeExpireRange && atMs - nowMs > expiryRangeMaxMs) return fail(alipayErrors.invalidParameter(`time_expire ${timeExpire} 超出范围，最晚为当前时间后 15 天`));
    return ok(atMs);
  }
  const timeoutExpress = biz.timeout_express;
  if (timeoutExpress !== undefined && timeoutExpress !== null && typeof timeoutExpress !== 'string') return fail(alipayErrors.invalidParameter('timeout_express 必须是字符串，如 90m、2h、1d、1c'));
  if (typeof timeoutExpress === 'string' && timeoutExpress !== '') {
    const match = timeoutExpressPattern.exec(timeoutExpress);
    if (!match) return fail(alipayErrors.invalidParameter(`timeout_express 格式错误 ${timeoutExpress}，如 90m、2h、1d、1c`));
    const count = Number(match[1]);
    const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, c: 86_400_000 }[match[2] as 'm' | 'h' | 'd' | 'c'];
    if (count < 1 || count * unitMs > expiryRangeMaxMs) return fail(alipayErrors.invalidParameter(`timeout_express ${timeoutExpress} 超出范围 1m～15d`));
    if (match[2] === 'c') {
      // "1c": until the end of the current day, Beijing time.
      const dayStart = parseBeijingDateTime(formatBeijingDateTime(nowMs).slice(0, 10))!;
      return ok(dayStart + 86_400_000 * count - 1000);
    }
    return ok(nowMs + count * unitMs);
  }
  return ok(undefined);
}

export const yuan = formatFen;
export const beijingTime = formatBeijingDateTime;

/**
 * What a method name looks like (`alipay.trade.query`). Only such a name becomes a response key: an
 * unknown but well-formed one still gets `<name>_response` so the SDK finds its error there, anything
 * else (quotes, spaces, 200 characters) gets `error_response`.
 */
export const methodNamePattern = /^[a-z][a-z0-9_.]{0,127}$/i;

/** `alipay.trade.query` → `alipay_trade_query_response`; `error_response` without a well-formed method. */
export function responseKey(method: string | undefined): string {
  return method !== undefined && methodNamePattern.test(method) ? `${method.replace(/\./g, '_')}_response` : 'error_response';
}

/**
 * The v2 body: `{"<key>":<inner>,"sign":"…"}` where the signature covers exactly the bytes of
 * `<inner>` as sent; this is what the SDK cuts out and verifies. Key and signature are JSON-encoded,
 * so the body stays JSON whatever they hold.
 */
export function envelope(key: string, inner: string, signature: string): string {
  return `{${JSON.stringify(key)}:${inner},"sign":${JSON.stringify(signature)}}`;
}

/**
 * notify_url / return_url: an absolute http(s) URL, or the error that names the parameter. Checked
 * when the trade is created, because a bad one would only show later as notifications that never arrive.
 */
export function callbackUrlError(name: string, value: string | undefined): AlipayError | undefined {
  if (value === undefined || value === '') return undefined;
  const hint = `${name} 必须是以 http:// 或 https:// 开头的绝对地址，收到 ${value.slice(0, 64)}`;
  if (!/^https?:\/\//i.test(value)) return alipayErrors.invalidParameter(hint);
  try {
    return new URL(value).hostname === '' ? alipayErrors.invalidParameter(hint) : undefined;
  } catch {
    return alipayErrors.invalidParameter(hint);
  }
}

// WeChat Pay's wire conventions (docs/wechatpay-protocol.md §3.1, §6, §7): JSON with sorted keys, RFC 3339
// Beijing times, yuan only in bill files, and a strict reader of request bodies that reports the first
// problem as PARAM_ERROR with its JSON pointer.
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { fenMax, formatFen } from '../../../lib/money.ts';
import { wechatpayErrors, type WechatpayError } from './errors.ts';

/** JSON with every object's keys sorted, as real answers are (§3.1). */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

/** `yyyy-MM-ddTHH:mm:ss+08:00`. */
export function rfc3339(epochMs: number): string {
  return `${formatBeijingDateTime(epochMs).replace(' ', 'T')}+08:00`;
}

const rfc3339Pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(text: string): number | undefined {
  if (!rfc3339Pattern.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Fen as yuan with two decimals, for bill files: lib/money's formatter, which keeps the sign. */
export const yuan = formatFen;

export class ParamFailure extends Error {
  constructor(readonly error: WechatpayError) {
    super(error.message);
  }
}

/** Reads one JSON object strictly; the first problem throws a ParamFailure naming its JSON pointer. */
export class BodyReader {
  constructor(
    private readonly value: Record<string, unknown>,
    private readonly pointer = '',
  ) {}

  static parse(text: string): BodyReader {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ParamFailure(wechatpayErrors.paramError('/', '请求体不是合法的 JSON'));
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ParamFailure(wechatpayErrors.paramError('/', '请求体必须是 JSON 对象'));
    return new BodyReader(value as Record<string, unknown>);
  }

  private fail(name: string, issue: string): never {
    throw new ParamFailure(wechatpayErrors.paramError(`${this.pointer}/${name}`, issue, 'body', this.value[name]));
  }

  has(name: string): boolean {
    return this.value[name] !== undefined;
  }

  string(name: string, options: { lengthMax: number; pattern?: RegExp; lengthMin?: number }): string {
    const text = this.optionalString(name, options);
    if (text === undefined) this.fail(name, '此字段为必填项');
    return text;
  }

  optionalString(name: string, options: { lengthMax: number; pattern?: RegExp; lengthMin?: number }): string | undefined {
    const text = this.value[name];
    if (text === undefined) return undefined;
    if (typeof text !== 'string') this.fail(name, '必须是字符串');
    if (text.length > options.lengthMax || text.length < (options.lengthMin ?? 1)) this.fail(name, `长度必须在 ${options.lengthMin ?? 1} 到 ${options.lengthMax} 之间`);
    if (options.pattern && !options.pattern.test(text)) this.fail(name, `格式不正确（${options.pattern.source}）`);
    return text;
  }

  /** A positive amount in fen. */
  fen(name: string, minimum = 1): number {
    const amount = this.value[name];
    if (amount === undefined) this.fail(name, '此字段为必填项');
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) this.fail(name, '必须是整数（单位：分）');
    if (amount < minimum || amount > fenMax) this.fail(name, `必须在 ${minimum} 到 ${fenMax} 之间`);
    return amount;
  }

  object(name: string): BodyReader {
    const reader = this.optionalObject(name);
    if (!reader) this.fail(name, '此字段为必填项');
    return reader;
  }

  optionalObject(name: string): BodyReader | undefined {
    const inner = this.value[name];
    if (inner === undefined) return undefined;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) this.fail(name, '必须是 JSON 对象');
    return new BodyReader(inner as Record<string, unknown>, `${this.pointer}/${name}`);
  }

  /** `CNY` when absent; nothing else is accepted. */
  currency(name = 'currency'): 'CNY' {
    const currency = this.optionalString(name, { lengthMax: 16 });
    if (currency !== undefined && currency !== 'CNY') this.fail(name, '只支持 CNY');
    return 'CNY';
  }
}

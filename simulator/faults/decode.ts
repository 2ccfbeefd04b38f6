// Strict decoding of fault rules. Every message says which field is wrong and what it accepts.
import { parseYuan } from '../../lib/money.ts';
import { faultLayer, faultTypes, notifyKinds, type Fault, type FaultMatch, type FaultRule, type FaultType } from './rule.ts';

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

class DecodeError extends Error {}

const fail = (message: string): never => {
  throw new DecodeError(message);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function onlyFields(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) fail(`${where}: unknown field "${unknown}" (allowed: ${allowed.join(', ') || 'none'})`);
}

function integer(value: unknown, where: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(`${where} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

function positiveNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`${where} must be a positive number, got ${JSON.stringify(value)}`);
  return value as number;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(`${where} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value as string;
}

function regex(value: unknown, where: string): string {
  const source = text(value, where);
  try {
    new RegExp(source);
  } catch (error) {
    fail(`${where} is not a valid regular expression: ${(error as Error).message}`);
  }
  return source;
}

function yuanAmount(value: unknown, where: string): string {
  const amount = text(value, where);
  if (!parseYuan(amount).ok) fail(`${where} must be a yuan amount such as "88.80", got ${JSON.stringify(amount)}`);
  return amount;
}

const faultFields: Record<FaultType, readonly string[]> = {
  delay: ['ms', 'distribution'], hang: [], reset: [], http_error: ['status'], malformed_body: [], response_lost: [],
  bad_signature: [], business_error: ['code', 'subCode', 'message'], rate_limit: [],
  drop: [], notify_delay: ['ms'], duplicate: ['copies'], reorder: [], tamper_amount: ['amount'], forge_signature: [],
  late_success: ['ms'], early_notify: ['ms'],
  refund_stuck: ['ms'], refund_fail: ['reason'], refund_after_queries: ['queries'],
  bill_missing_row: [], bill_extra_row: [], bill_amount_mismatch: ['amount'], bill_status_mismatch: [], bill_duplicate_row: [],
  bill_not_ready: [], bill_corrupt: [],
  pay_after_expiry: [], pay_twice: [], abandon: [],
};

const dayMs = 86_400_000;

function decodeFaultValue(value: unknown): Fault {
  if (!isObject(value)) return fail('fault must be an object such as {"type":"http_error","status":502}');
  const type = value.type;
  if (typeof type !== 'string' || !(type in faultLayer)) {
    return fail(`fault.type ${JSON.stringify(type)} is not a fault; one of: ${faultTypes.join(', ')}`);
  }
  const faultType = type as FaultType;
  onlyFields(value, ['type', ...faultFields[faultType]], `fault "${faultType}"`);
  switch (faultType) {
    case 'delay': {
      if ((value.ms === undefined) === (value.distribution === undefined)) fail('fault "delay" takes either "ms" or "distribution"');
      if (value.ms !== undefined) return { type: 'delay', ms: integer(value.ms, 'fault.ms', 0, dayMs) };
      const distribution = value.distribution;
      if (!isObject(distribution)) return fail('fault.distribution must be {kind:"uniform",minMs,maxMs} or {kind:"lognormal",medianMs,sigma}');
      if (distribution.kind === 'uniform') {
        onlyFields(distribution, ['kind', 'minMs', 'maxMs'], 'fault.distribution');
        const minMs = integer(distribution.minMs, 'fault.distribution.minMs', 0, dayMs);
        const maxMs = integer(distribution.maxMs, 'fault.distribution.maxMs', minMs, dayMs);
        return { type: 'delay', distribution: { kind: 'uniform', minMs, maxMs } };
      }
      if (distribution.kind === 'lognormal') {
        onlyFields(distribution, ['kind', 'medianMs', 'sigma'], 'fault.distribution');
        return { type: 'delay', distribution: { kind: 'lognormal', medianMs: positiveNumber(distribution.medianMs, 'fault.distribution.medianMs'), sigma: positiveNumber(distribution.sigma, 'fault.distribution.sigma') } };
      }
      return fail(`fault.distribution.kind ${JSON.stringify(distribution.kind)} is not one of uniform, lognormal`);
    }
    case 'http_error':
      return { type: faultType, status: integer(value.status, 'fault.status', 400, 599) };
    case 'business_error':
      return {
        type: faultType,
        code: text(value.code, 'fault.code'),
        ...(value.subCode !== undefined ? { subCode: text(value.subCode, 'fault.subCode') } : {}),
        ...(value.message !== undefined ? { message: text(value.message, 'fault.message') } : {}),
      };
    case 'notify_delay':
      return { type: faultType, ms: integer(value.ms, 'fault.ms', 0, 7 * dayMs) };
    case 'duplicate':
      return { type: faultType, copies: integer(value.copies, 'fault.copies', 1, 100) };
    case 'tamper_amount':
      return { type: faultType, amount: yuanAmount(value.amount, 'fault.amount') };
    case 'bill_amount_mismatch':
      return { type: faultType, amount: yuanAmount(value.amount, 'fault.amount') };
    case 'late_success':
    case 'early_notify':
      return value.ms === undefined ? { type: faultType } : { type: faultType, ms: integer(value.ms, 'fault.ms', 0, 7 * dayMs) };
    case 'refund_stuck':
      return { type: faultType, ms: integer(value.ms, 'fault.ms', 0, 365 * dayMs) };
    case 'refund_fail':
      return value.reason === undefined ? { type: faultType } : { type: faultType, reason: text(value.reason, 'fault.reason') };
    case 'refund_after_queries':
      return { type: faultType, queries: integer(value.queries, 'fault.queries', 1, 1000) };
    default:
      return { type: faultType } as Fault;
  }
}

function decodeMatch(value: unknown): FaultMatch {
  if (value === undefined) return {};
  if (!isObject(value)) return fail('match must be an object');
  onlyFields(value, ['channel', 'api', 'outTradeNo', 'outRequestNo', 'notifyKind', 'nth', 'probability'], 'match');
  const match: { -readonly [K in keyof FaultMatch]: FaultMatch[K] } = {};
  if (value.channel !== undefined) {
    if (value.channel !== 'alipay' && value.channel !== 'wechatpay') fail(`match.channel must be alipay or wechatpay, got ${JSON.stringify(value.channel)}`);
    match.channel = value.channel as 'alipay' | 'wechatpay';
  }
  if (value.api !== undefined) match.api = text(value.api, 'match.api');
  if (value.outTradeNo !== undefined) match.outTradeNo = regex(value.outTradeNo, 'match.outTradeNo');
  if (value.outRequestNo !== undefined) match.outRequestNo = regex(value.outRequestNo, 'match.outRequestNo');
  if (value.notifyKind !== undefined) {
    if (!notifyKinds.includes(value.notifyKind as never)) fail(`match.notifyKind must be one of ${notifyKinds.join(', ')}, got ${JSON.stringify(value.notifyKind)}`);
    match.notifyKind = value.notifyKind as string;
  }
  if (value.nth !== undefined) match.nth = integer(value.nth, 'match.nth', 1);
  if (value.probability !== undefined) {
    const probability = value.probability;
    if (typeof probability !== 'number' || !(probability > 0 && probability <= 1)) fail(`match.probability must be a number in (0, 1], got ${JSON.stringify(probability)}`);
    match.probability = probability as number;
  }
  return match;
}

export function decodeFault(value: unknown): Decoded<Fault> {
  try {
    return { ok: true, value: decodeFaultValue(value) };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, message: error.message };
    throw error;
  }
}

export function decodeRule(value: unknown): Decoded<FaultRule> {
  try {
    if (!isObject(value)) return fail('a fault rule must be an object {match, fault, timesMax?}');
    onlyFields(value, ['match', 'fault', 'timesMax'], 'rule');
    if (value.fault === undefined) fail('rule: "fault" is required');
    const fault = decodeFaultValue(value.fault);
    const match = decodeMatch(value.match);
    const rule: FaultRule = { match, fault, ...(value.timesMax !== undefined ? { timesMax: integer(value.timesMax, 'timesMax', 1) } : {}) };
    return { ok: true, value: rule };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, message: error.message };
    throw error;
  }
}

/** A rules file: an array of rules, or `{ "rules": [...] }`. Messages name the rule's index. */
export function decodeRules(value: unknown): Decoded<FaultRule[]> {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.rules) ? value.rules : undefined;
  if (!list) return { ok: false, message: 'a faults file holds a JSON array of rules, or {"rules": [...]}' };
  const rules: FaultRule[] = [];
  for (const [index, item] of list.entries()) {
    const decoded = decodeRule(item);
    if (!decoded.ok) return { ok: false, message: `rule ${index}: ${decoded.message}` };
    rules.push(decoded.value);
  }
  return { ok: true, value: rules };
}

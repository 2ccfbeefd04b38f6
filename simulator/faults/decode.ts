// Strict decoding of fault rules. Every message says which field is wrong and what it accepts.
import { parseYuan } from '../../lib/money.ts';
import { layerApis, layersNamedBy, nearApis, registeredApis, registeredChannels } from './known-apis.ts';
import { compileNumberPattern } from './number-pattern.ts';
import { faultLayer, faultTypes, notifyKinds, type Fault, type FaultMatch, type FaultLayer, type FaultRule, type FaultType } from './rule.ts';

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

export interface DecodeOptions {
  /**
   * The method and path names `match.api` may use besides the layer names. Absent: the names the
   * loaded dialects registered (see known-apis.ts).
   */
  readonly knownApis?: ReadonlySet<string>;
}

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

function positiveNumber(value: unknown, where: string, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) fail(`${where} must be a number above 0, at most ${max}, got ${JSON.stringify(value)}`);
  return value as number;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(`${where} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value as string;
}

function regex(value: unknown, where: string): string {
  const source = text(value, where);
  const compiled = compileNumberPattern(source);
  if (!compiled.ok) fail(`${where} ${compiled.reason}`);
  return source;
}

function yuanAmount(value: unknown, where: string): string {
  const amount = text(value, where);
  if (!parseYuan(amount).ok) fail(`${where} must be a yuan amount such as "88.80", got ${JSON.stringify(amount)}`);
  return amount;
}

const faultFields: Record<FaultType, readonly string[]> = {
  delay: ['ms', 'distribution'], hang: [], reset: [], http_error: ['status'], malformed_body: [], response_lost: [],
  bad_signature: ['probe'], business_error: ['code', 'subCode', 'message'], rate_limit: [],
  drop: [], notify_delay: ['ms'], duplicate: ['copies'], reorder: [], tamper_amount: ['amount'], tamper_identity: ['appId', 'sellerId'], forge_signature: ['probe'],
  late_success: ['ms'], early_notify: ['ms'],
  refund_stuck: ['ms'], refund_fail: ['reason'], refund_after_queries: ['queries'],
  bill_missing_row: [], bill_extra_row: [], bill_amount_mismatch: ['amount'], bill_status_mismatch: [], bill_duplicate_row: [],
  bill_not_ready: [], bill_corrupt: [],
  pay_after_expiry: [], pay_twice: [], abandon: [],
};

const dayMs = 86_400_000;
/** A wider lognormal spread turns a delay into a toss between nothing and the one-day cap: no network does that. */
const lognormalSigmaMax = 10;

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
        const medianMs = positiveNumber(distribution.medianMs, 'fault.distribution.medianMs', dayMs);
        const sigma = positiveNumber(distribution.sigma, 'fault.distribution.sigma', lognormalSigmaMax);
        return { type: 'delay', distribution: { kind: 'lognormal', medianMs, sigma } };
      }
      return fail(`fault.distribution.kind ${JSON.stringify(distribution.kind)} is not one of uniform, lognormal`);
    }
    case 'http_error':
      return { type: faultType, status: integer(value.status, 'fault.status', 400, 599) };
    case 'business_error': {
      const code = text(value.code, 'fault.code');
      // A bare gateway code (40004) says only that the call failed; the channel's answer names the reason in subCode.
      if (/^\d{5}$/.test(code) && value.subCode === undefined) {
        fail(`fault "business_error" with the numeric code "${code}" needs "subCode" (e.g. {"code":"${code}","subCode":"ACQ.SYSTEM_ERROR"}), or give the reason alone as "code"`);
      }
      return {
        type: faultType,
        code,
        ...(value.subCode !== undefined ? { subCode: text(value.subCode, 'fault.subCode') } : {}),
        ...(value.message !== undefined ? { message: text(value.message, 'fault.message') } : {}),
      };
    }
    case 'bad_signature':
    case 'forge_signature': {
      if (value.probe !== undefined && typeof value.probe !== 'boolean') fail(`fault.probe must be true or false, got ${JSON.stringify(value.probe)}`);
      return value.probe === true ? { type: faultType, probe: true } : { type: faultType };
    }
    case 'notify_delay':
      return { type: faultType, ms: integer(value.ms, 'fault.ms', 0, 7 * dayMs) };
    case 'duplicate':
      return { type: faultType, copies: integer(value.copies, 'fault.copies', 1, 100) };
    case 'tamper_amount':
      return { type: faultType, amount: yuanAmount(value.amount, 'fault.amount') };
    case 'tamper_identity':
      return {
        type: faultType,
        ...(value.appId !== undefined ? { appId: text(value.appId, 'fault.appId') } : {}),
        ...(value.sellerId !== undefined ? { sellerId: text(value.sellerId, 'fault.sellerId') } : {}),
      };
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

function decodeMatch(value: unknown, options: DecodeOptions): FaultMatch {
  if (value === undefined) return {};
  if (!isObject(value)) return fail('match must be an object');
  onlyFields(value, ['channel', 'api', 'outTradeNo', 'outRequestNo', 'notifyKind', 'nth', 'probability'], 'match');
  const match: { -readonly [K in keyof FaultMatch]: FaultMatch[K] } = {};
  if (value.channel !== undefined) {
    const channels = registeredChannels();
    if (typeof value.channel !== 'string' || (channels !== undefined && !channels.has(value.channel))) {
      const names = [...(channels ?? [])];
      fail(`match.channel must be ${names.length > 0 ? names.join(' or ') : 'a channel name'}, got ${JSON.stringify(value.channel)}`);
    }
    match.channel = value.channel as string;
  }
  if (value.api !== undefined) match.api = knownApi(value.api, options.knownApis ?? registeredApis(match.channel), match.channel);
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

/** A layer name, or a method or path in `known` (any name when no dialect registered names). */
function knownApi(value: unknown, known: ReadonlySet<string> | undefined, channel: string | undefined): string {
  const api = text(value, 'match.api');
  if (layersNamedBy(api) !== undefined || known === undefined || known.has(api)) return api;
  if (known.size === 0 && channel !== undefined) {
    return fail(`match.api ${JSON.stringify(api)} is not an exchange paysim decides faults for: this simulator has no ${channel} gateway; name a layer (${Object.keys(layerApis).join(', ')}) or another channel`);
  }
  const near = nearApis(api, [...Object.keys(layerApis), ...known]);
  const hint = near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
  const examples = channel === undefined
    ? 'a method such as alipay.trade.query, or a path such as POST /v3/alipay/trade/query'
    : `a method or path of ${channel} such as ${[...known].slice(0, 2).join(' or ')}`;
  return fail(`match.api ${JSON.stringify(api)} is not an exchange paysim decides faults for${hint}; it takes a layer (${Object.keys(layerApis).join(', ')}), ${examples}`);
}

/** Refuses a rule whose match can never meet its fault: it would sit in the book and never fire. */
function checkCanFire(match: FaultMatch, fault: Fault): void {
  const layer = faultLayer[fault.type];
  const reachedByNotify = layer === 'notify' || layer === 'trade';
  if (match.api !== undefined) {
    const layers = layersNamedBy(match.api);
    if (layers !== undefined && !layers.includes(layer)) {
      fail(`match.api "${match.api}" never meets "${fault.type}", which acts on ${describeLayer(fault.type)}: name such an api, or leave match.api out`);
    }
    if (layers === undefined && (reachedByNotify || layer === 'buyer')) {
      fail(`match.api "${match.api}" is a gateway call, but "${fault.type}" acts on ${describeLayer(fault.type)}: use "api": "${reachedByNotify ? 'notify' : 'buyer'}", or leave it out`);
    }
  }
  if (match.notifyKind !== undefined) {
    if (!reachedByNotify) fail(`match.notifyKind only narrows notification faults; "${fault.type}" acts on ${describeLayer(fault.type)}: remove notifyKind`);
    if (layer === 'trade' && match.notifyKind !== 'trade_paid') {
      fail(`match.notifyKind "${match.notifyKind}" never meets "${fault.type}", which changes only the trade_paid notification`);
    }
  }
}

function describeLayer(type: FaultType): string {
  const described: Record<FaultLayer, string> = {
    gateway: 'gateway calls (a method or path)', notify: 'notifications ("notify")', trade: 'the trade_paid notification ("notify")',
    refund: 'refunds ("refund")', bill: 'bills ("bill")', buyer: 'the buyer\'s payment ("buyer")',
  };
  return described[faultLayer[type]];
}

export function decodeFault(value: unknown): Decoded<Fault> {
  try {
    return { ok: true, value: decodeFaultValue(value) };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, message: error.message };
    throw error;
  }
}

export function decodeRule(value: unknown, options: DecodeOptions = {}): Decoded<FaultRule> {
  try {
    if (!isObject(value)) return fail('a fault rule must be an object {match, fault, timesMax?}');
    onlyFields(value, ['match', 'fault', 'timesMax'], 'rule');
    if (value.fault === undefined) fail('rule: "fault" is required');
    const fault = decodeFaultValue(value.fault);
    const match = decodeMatch(value.match, options);
    checkCanFire(match, fault);
    const rule: FaultRule = { match, fault, ...(value.timesMax !== undefined ? { timesMax: integer(value.timesMax, 'timesMax', 1) } : {}) };
    return { ok: true, value: rule };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, message: error.message };
    throw error;
  }
}

/** A rules file: an array of rules, or `{ "rules": [...] }`. Messages name the rule's index. */
export function decodeRules(value: unknown, options: DecodeOptions = {}): Decoded<FaultRule[]> {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.rules) ? value.rules : undefined;
  if (!list) return { ok: false, message: 'a faults file holds a JSON array of rules, or {"rules": [...]}' };
  const rules: FaultRule[] = [];
  for (const [index, item] of list.entries()) {
    const decoded = decodeRule(item, options);
    if (!decoded.ok) return { ok: false, message: `rule ${index}: ${decoded.message}` };
    rules.push(decoded.value);
  }
  return { ok: true, value: rules };
}

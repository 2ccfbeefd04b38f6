// How fault injection looks on Alipay's wire: business errors and rate limits in Alipay's own codes
// (signed, as real errors are), badly signed answers, and which exchange a request is.
import { parseYuan } from '../../../lib/money.ts';
import type { Random } from '../../../lib/random.ts';
import type { Exchange } from '../../faults/book.ts';
import type { Fault } from '../../faults/rule.ts';
import type { ProtocolFaults, WireAnswer } from '../../faults/transport.ts';
import { forgeryKeyPair, privateKeyObject } from '../../engine/keys.ts';
import type { App } from '../../engine/types.ts';
import type { AlipayConfig } from './config.ts';
import { alipayErrors, userPaying, type AlipayError } from './errors.ts';
import { signAsync, type SignType } from './sign.ts';
import { v2Inner, v2Response, v3Error } from './respond.ts';
import type { Biz } from './wire.ts';

const gatewayMessages: Record<string, string> = {
  '20000': 'Service Currently Unavailable',
  '20001': 'Insufficient Token Permissions',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40003': 'Insufficient Conditions',
  '40004': 'Business Failed',
  '40005': 'Call Limited',
  '40006': 'Insufficient Permissions',
};

let catalogueMessages: ReadonlyMap<string, string> | undefined;

/** The sub_msg the error catalogue (errors.ts) gives a sub_code, for the codes it knows without details. */
function catalogueMessage(subCode: string): string | undefined {
  catalogueMessages ??= new Map(
    Object.values(alipayErrors)
      .filter((make): make is () => AlipayError => make.length === 0)
      .map((make) => make())
      .map((error) => [error.subCode, error.subMsg] as const),
  );
  return catalogueMessages.get(subCode);
}

/**
 * `{code:"ACQ.SYSTEM_ERROR"}`, `{code:"40004", subCode:"ACQ.SYSTEM_ERROR"}` or `{code:"isp.unknow-error"}` as
 * an Alipay error; its sub_msg is the rule's `message`, else the channel's own text for that sub_code
 * (系统繁忙 for isp.unknow-error), else the sub_code itself.
 */
export function businessErrorOf(fault: Extract<Fault, { type: 'business_error' }>): AlipayError {
  if (/^\d{5}$/.test(fault.code)) {
    const subCode = fault.subCode ?? '';
    return { code: fault.code, msg: gatewayMessages[fault.code] ?? 'Business Failed', subCode, subMsg: fault.message ?? catalogueMessage(subCode) ?? '' };
  }
  const subCode = fault.code;
  const code = /^(isp|aop)\./.test(subCode) ? '20000' : /^isv\./.test(subCode) ? '40002' : '40004';
  return { code, msg: gatewayMessages[code]!, subCode, subMsg: fault.message ?? catalogueMessage(subCode) ?? subCode };
}

/** Which exchange a gateway request is, for matching rules: its method, its v3 path, its trade. */
export function gatewayExchange(apis: readonly string[], biz: Biz): Exchange {
  const text = (name: string) => (typeof biz[name] === 'string' || typeof biz[name] === 'number' ? String(biz[name]) : undefined);
  const amount = text('total_amount');
  const parsed = amount === undefined ? undefined : parseYuan(amount);
  const outTradeNo = text('out_trade_no');
  const outRequestNo = text('out_request_no');
  const subject = text('subject');
  return {
    layer: 'gateway',
    channel: 'alipay',
    apis,
    createsTrade: apis.some((api) => /\.(precreate|create|pay)$|trade\/(precreate|create|pay)$/.test(api)),
    ...(outTradeNo ? { outTradeNo } : {}),
    ...(outRequestNo ? { outRequestNo } : {}),
    ...(parsed?.ok ? { amountFen: parsed.fen } : {}),
    ...(subject ? { subject } : {}),
  };
}

/** Protocol faults of a v2 (`/gateway.do`) answer. */
export function v2ProtocolFaults(method: string, app: App, traceId: () => string, signType: SignType = 'RSA2'): ProtocolFaults {
  return {
    async businessError(fault) {
      if (fault.code === 'USERPAYING') return v2Response(method, { ...userPaying }, app, traceId(), signType);
      return v2Response(method, v2Inner({ ok: false, error: businessErrorOf(fault) }), app, traceId(), signType);
    },
    rateLimited: () => v2Response(method, v2Inner({ ok: false, error: alipayErrors.rateLimited() }), app, traceId(), signType),
    async badlySigned(answer) {
      const signAt = answer.body.lastIndexOf(',"sign":"');
      if (signAt < 0) return answer;
      const inner = answer.body.slice(answer.body.indexOf(':') + 1, signAt);
      const forged = await signAsync(inner, privateKeyObject(forgeryKeyPair().privateKeyPem), signType);
      return { ...answer, body: `${answer.body.slice(0, signAt)},"sign":"${forged}"}` };
    },
  };
}

/** Protocol faults of a v3 answer. */
export function v3ProtocolFaults(config: AlipayConfig, traceId: () => string, random: Random): ProtocolFaults {
  return {
    async businessError(fault) {
      return v3Error(businessErrorOf(fault), config, traceId());
    },
    async rateLimited() {
      return v3Error(alipayErrors.rateLimited(), config, traceId());
    },
    async badlySigned(answer: WireAnswer) {
      if (!answer.headers['alipay-signature']) return answer;
      const forged = await signAsync(`${random.hex(8)}\n`, privateKeyObject(forgeryKeyPair().privateKeyPem));
      return { ...answer, headers: { ...answer.headers, 'alipay-signature': forged } };
    },
  };
}

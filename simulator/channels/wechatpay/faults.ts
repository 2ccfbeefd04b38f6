// How fault injection looks on WeChat Pay's wire: business errors and rate limits in WeChat's own codes
// and statuses, signed as real errors are; badly signed answers (a foreign key, or WeChat's own
// WECHATPAY/SIGNTEST/ probe); and which exchange a request is.
import type { Random } from '../../../lib/random.ts';
import type { Exchange } from '../../faults/book.ts';
import type { ProtocolFaults } from '../../faults/transport.ts';
import type { ApiSpec, CallFacts } from './api.ts';
import { businessErrorOf, wechatpayErrors } from './errors.ts';
import { errorAnswer, spoilSignature, type AnswerContext } from './respond.ts';

export function wechatpayExchange(spec: ApiSpec, facts: CallFacts): Exchange {
  return { layer: 'gateway', channel: 'wechatpay', apis: [spec.name], ...(spec.createsTrade ? { createsTrade: true } : {}), ...facts };
}

export function wechatpayProtocolFaults(context: AnswerContext, random: Random): ProtocolFaults {
  return {
    businessError: (fault) => errorAnswer(businessErrorOf(fault.code, fault.message), context),
    rateLimited: () => errorAnswer(wechatpayErrors.frequencyLimited(), context),
    badlySigned: (answer, options) => spoilSignature(answer, random, options?.probe === true),
  };
}

/** `business_error USERPAYING` on an order is not an error: the order is made and the buyer is still confirming. */
export function isUserPaying(code: string): boolean {
  return code === 'USERPAYING' || code === 'USER_PAYING';
}

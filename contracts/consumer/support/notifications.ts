// Building blocks of the notification (message) contract. An Alipay notification is a form POST; the
// message's content is its parameters as a JSON object, and the metadata carries the wire content
// type. Why not the form itself: pact-js 16 can attach a form to a message only as opaque bytes (a
// content-type check and nothing else), and its FFI's message call keeps a form template as unconverted
// JSON. Both sides convert with URLSearchParams, the standard form codec, and nothing else.
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { notificationSignature, patterns } from '../../support/alipay-wire.ts';
import { consumerName, contractAppId, notifyProviderName, pactDirectory, pactLogLevel } from '../../support/participants.ts';
import { contractSellerId } from './core-under-test.ts';

const { regex, reify } = MatchersV3;

export function notifyPact(): PactV4 {
  return new PactV4({ consumer: consumerName, provider: notifyProviderName, dir: pactDirectory, logLevel: pactLogLevel });
}

/** How the notification travels: a form POST to notify_url (docs/alipay-protocol.md §8.1). */
export const wireContentType = 'application/x-www-form-urlencoded; charset=utf-8';

export const notificationMetadata = {
  contentType: 'application/json',
  wireContentType: regex('^application/x-www-form-urlencoded.*$', wireContentType),
};

const exampleTradeNo = '2026010122001471950503864977';

/** The fields of a trade_status_sync notification the core reads, for one of its payments. */
export function tradeStatusFields(paymentNo: string, amount: string, tradeStatus: string): Record<string, unknown> {
  return {
    notify_type: 'trade_status_sync',
    notify_id: regex(patterns.notifyId, '2026010100222093005034183320000001'),
    notify_time: regex(patterns.dateTime, '2026-01-01 09:30:01'),
    app_id: contractAppId,
    // The core's own payment number: the provider's trade has its own, of the same shape.
    out_trade_no: regex(patterns.merchantNo, paymentNo),
    trade_no: regex(patterns.tradeNo, exampleTradeNo),
    trade_status: tradeStatus,
    total_amount: amount,
    seller_id: regex(patterns.userId, contractSellerId),
    buyer_id: regex(patterns.userId, '2088102177846880'),
    gmt_payment: regex(patterns.dateTime, '2026-01-01 09:30:00'),
  };
}

/** The fields of the notification of a successful refund: out_biz_no names it, refund_fee is the total refunded. */
export function refundFields(paymentNo: string, amount: string, refundNo: string, refundedTotal: string): Record<string, unknown> {
  return {
    ...tradeStatusFields(paymentNo, amount, 'TRADE_SUCCESS'),
    out_biz_no: regex(patterns.merchantNo, refundNo),
    refund_fee: refundedTotal,
    gmt_refund: regex(patterns.dateTime, '2026-01-01 10:15:00'),
  };
}

/**
 * The fields with `sign_type` and a `sign` that is valid for their example values (§3: sorted, without
 * sign and sign_type), made with the channel's key unless another key is given.
 */
export function signed(fields: Readonly<Record<string, unknown>>, privateKeyPem = fixtureKeys.channel.privateKeyPem): Record<string, unknown> {
  const example = reify(fields) as Record<string, string>;
  return { ...fields, sign_type: 'RSA2', sign: regex(patterns.signature, notificationSignature(example, privateKeyPem)) };
}

/** The example values of a template: what the consumer test receives as the message. */
export function exampleOf(fields: Readonly<Record<string, unknown>>): Record<string, string> {
  return reify(fields) as Record<string, string>;
}

/** The message's content as the form parameters (the reified content may arrive as JSON text). */
export function formParameters(content: unknown): Record<string, string> {
  const value = typeof content === 'string' ? (JSON.parse(content) as unknown) : content;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`a notification is a flat object of parameters, got ${JSON.stringify(content)}`);
  const parameters: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) {
    if (typeof field !== 'string') throw new Error(`notification parameter ${name} is not a string: ${JSON.stringify(field)}`);
    parameters[name] = field;
  }
  return parameters;
}

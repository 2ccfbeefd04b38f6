// Alipay's answer codes → the core's three kinds of failure (docs/alipay-protocol.md §7). Only 10000 and a
// 40004 sub_code that the operation lists as definite are answers; everything else means "outcome
// unknown" and throws, because a refusal we do not recognise must never be read as "nothing happened".
import { ChannelUnavailableError } from '../channel.ts';

/** A v2 answer as alipay-sdk hands it over (camelcase off: Alipay's own snake_case names). */
export interface GatewayReply {
  readonly code: string;
  readonly msg?: string;
  readonly sub_code?: string;
  readonly sub_msg?: string;
  readonly [field: string]: unknown;
}

export type SettledReply =
  | { readonly kind: 'success'; readonly fields: GatewayReply }
  /** A definite business refusal (40004 with a sub_code the operation knows). */
  | { readonly kind: 'business'; readonly subCode: string; readonly message: string };

/**
 * The channel refused the request as malformed, wrongly signed or not permitted (40001, 40002,
 * 40003, 40006, 20001): a bug or a misconfiguration on our side (app id, keys, parameters), not an
 * outage. It is still a ChannelUnavailableError, so callers that only know that class stay safe.
 */
export class AlipayRequestRefusedError extends ChannelUnavailableError {
  override readonly name = 'AlipayRequestRefusedError';
  constructor(
    operation: string,
    readonly code: string,
    readonly subCode: string | undefined,
    detail: string,
  ) {
    super('alipay', operation, `request refused with ${code} ${subCode ?? ''}: ${detail}; this is a bug or misconfiguration in the connector (app id, keys, parameters), not a channel outage`);
  }
}

/** Sub codes that say "try again, the outcome is unknown" whatever the operation. */
const unknownOutcomeSubCodes = new Set(['ACQ.SYSTEM_ERROR', 'aop.ACQ.SYSTEM_ERROR', 'isp.unknow-error', 'aop.unknow-error']);

/** sub_msg can be long (isv.invalid-signature quotes the whole signed string): keep reasons readable. */
const detailLengthMax = 300;

function detailOf(reply: GatewayReply): string {
  const text = `${reply.msg ?? ''}${reply.sub_msg ? ` / ${reply.sub_msg}` : ''}`.trim() || '(no message)';
  return text.length > detailLengthMax ? `${text.slice(0, detailLengthMax)}…` : text;
}

export function unavailable(operation: string, reason: string): ChannelUnavailableError {
  return new ChannelUnavailableError('alipay', operation, reason);
}

/** Sorts an answer into success, a definite refusal, or (thrown) an unknown outcome. */
export function settleReply(operation: string, reply: GatewayReply, definiteSubCodes: ReadonlySet<string>): SettledReply {
  const subCode = reply.sub_code;
  switch (reply.code) {
    case '10000':
      return { kind: 'success', fields: reply };
    case '40004':
      if (subCode && definiteSubCodes.has(subCode)) return { kind: 'business', subCode, message: reply.sub_msg ?? reply.msg ?? subCode };
      if (subCode && unknownOutcomeSubCodes.has(subCode)) throw unavailable(operation, `channel system error ${subCode} (${detailOf(reply)}); retry with the same numbers`);
      throw unavailable(operation, `business code ${subCode ?? '(no sub_code)'} is not one this connector knows for ${operation} (${detailOf(reply)}); outcome treated as unknown`);
    case '20000':
      throw unavailable(operation, `service unavailable ${subCode ?? ''} (${detailOf(reply)})`);
    case '40005':
      throw unavailable(operation, `rate limited ${subCode ?? ''} (${detailOf(reply)})`);
    case '40001':
    case '40002':
    case '40003':
    case '40006':
    case '20001':
      throw new AlipayRequestRefusedError(operation, reply.code, subCode, detailOf(reply));
    default:
      throw unavailable(operation, `unexpected answer code ${JSON.stringify(reply.code)} ${subCode ?? ''} (${detailOf(reply)})`);
  }
}

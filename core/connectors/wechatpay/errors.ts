// WeChat Pay's answers → the core's three kinds of failure (docs/wechatpay-protocol.md §7). A verified
// 2xx is an answer; a verified 4xx with a code the operation lists as definite is a refusal; everything
// else (5xx, 429, an unsigned or badly signed answer, a code we do not know) means "outcome unknown" and
// throws, because a refusal we do not recognise must never be read as "nothing happened".
import { ChannelUnavailableError } from '../channel.ts';

/**
 * The channel refused the request as wrongly signed (401 SIGN_ERROR): a misconfiguration on our side
 * (mchid, serial, private key) or a bug, not an outage. Still a ChannelUnavailableError, so callers that
 * only know that class stay safe.
 */
export class WechatpayRequestRefusedError extends ChannelUnavailableError {
  override readonly name = 'WechatpayRequestRefusedError';
  constructor(
    operation: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super('wechatpay', operation, `request refused with HTTP ${status} ${code ?? ''}: ${detail}; check mchid, merchantSerialNo and privateKeyPem (a misconfiguration, not a channel outage)`);
  }
}

export function unavailable(operation: string, reason: string): ChannelUnavailableError {
  return new ChannelUnavailableError('wechatpay', operation, reason);
}

/** Messages can quote a whole signed string: keep reasons readable. */
const detailLengthMax = 300;

export function clip(text: string): string {
  return text.length > detailLengthMax ? `${text.slice(0, detailLengthMax)}…` : text;
}

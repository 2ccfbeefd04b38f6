// Alipay's asynchronous notification (docs/alipay-protocol.md §3, §8): a form POST signed with Alipay's key.
// Anything we cannot verify or read is `invalid` (never thrown): it changes nothing, and the services
// may query the trade it names. Only verified fields are trusted.
import type { AlipaySdk } from 'alipay-sdk';
import type { ChannelNotification, ChannelPaymentStatus, IncomingNotification } from '../channel.ts';
import { closedAfterPayment, fenField, instantField, textField } from './wire.ts';

/** A real notification is a few kB; a much larger body is not one, and is not worth verifying. */
const bodyLengthMax = 64 * 1024;

type Invalid = Extract<ChannelNotification, { kind: 'invalid' }>;

function invalid(reason: string, paymentNo: string | undefined): Invalid {
  return paymentNo ? { kind: 'invalid', reason, paymentNo } : { kind: 'invalid', reason };
}

/** The form as an object, or a reason: a parameter sent twice is ambiguous, so it is refused. */
function readForm(body: string): { ok: true; params: Record<string, string> } | { ok: false; reason: string } {
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(params, name)) return { ok: false, reason: `parameter ${name} appears twice` };
    params[name] = value;
  }
  return { ok: true, params };
}

/** Alipay signs the form alone (no headers, no timestamp window), so only the raw body is read. */
export function verifyNotification(sdk: AlipaySdk, incoming: IncomingNotification): ChannelNotification {
  if (typeof incoming.rawBody !== 'string' || incoming.rawBody.length === 0) return invalid('empty body', undefined);
  if (incoming.rawBody.length > bodyLengthMax) return invalid(`body longer than ${bodyLengthMax} characters`, undefined);
  const form = readForm(incoming.rawBody);
  if (!form.ok) return invalid(form.reason, undefined);
  const params = form.params;
  // Named before verification only as a hint of which trade to query; never trusted as a fact.
  const claimedPaymentNo = textField(params.out_trade_no);
  if (!params.sign) return invalid('no sign parameter', claimedPaymentNo);
  // We sign and verify with RSA2 only; a notification asking for RSA (SHA-1) is not Alipay's to us.
  if (params.sign_type !== undefined && params.sign_type !== 'RSA2') return invalid(`sign_type ${params.sign_type} is not RSA2`, claimedPaymentNo);
  if (!verifies(sdk, params)) return invalid('signature does not verify with the Alipay public key', claimedPaymentNo);
  return readVerified(params);
}

function verifies(sdk: AlipaySdk, params: Record<string, string>): boolean {
  try {
    // V2 verifies the values as received; V1 URI-decodes them again, which throws on a stray '%'.
    return sdk.checkNotifySignV2({ ...params });
  } catch {
    return false;
  }
}

function readVerified(params: Record<string, string>): ChannelNotification {
  const paymentNo = textField(params.out_trade_no);
  if (!paymentNo) return invalid('no out_trade_no', undefined);
  const appId = textField(params.app_id);
  const notificationId = textField(params.notify_id);
  if (!appId) return invalid('no app_id', paymentNo);
  if (!notificationId) return invalid('no notify_id', paymentNo);
  const sellerId = textField(params.seller_id);
  const identity = { paymentNo, appId, notificationId, ...(sellerId ? { sellerId } : {}) };

  const refundNo = textField(params.out_biz_no);
  if (refundNo !== undefined && params.refund_fee !== undefined) {
    const refundedTotalFen = fenField(params.refund_fee);
    if (refundedTotalFen === undefined) return invalid(`refund_fee ${JSON.stringify(params.refund_fee)} is not a yuan amount`, paymentNo);
    return { kind: 'refund', refundNo, refundedTotalFen, ...identity };
  }

  const channelTradeNo = textField(params.trade_no);
  if (!channelTradeNo) return invalid('no trade_no', paymentNo);
  const amountFen = fenField(params.total_amount);
  if (amountFen === undefined) return invalid(`total_amount ${JSON.stringify(params.total_amount)} is not a yuan amount`, paymentNo);
  return { kind: 'payment', channelTradeNo, amountFen, status: statusOf(params, channelTradeNo, amountFen), ...identity };
}

function statusOf(params: Record<string, string>, channelTradeNo: string, amountFen: number): ChannelPaymentStatus {
  const raw = params.trade_status ?? '';
  switch (raw) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED': {
      const paidAtMs = instantField(params.gmt_payment);
      const buyerId = textField(params.buyer_id) ?? textField(params.buyer_open_id);
      return { kind: 'paid', channelTradeNo, amountFen, ...(paidAtMs !== undefined ? { paidAtMs } : {}), ...(buyerId ? { buyerId } : {}) };
    }
    case 'TRADE_CLOSED':
      return { kind: 'closed', wasPaid: closedAfterPayment(params, 'gmt_payment'), channelTradeNo, amountFen };
    // Alipay does not notify WAIT_BUYER_PAY; if it ever does, it says "not paid yet" and nothing more.
    case 'WAIT_BUYER_PAY':
      return { kind: 'waiting' };
    default:
      return { kind: 'unrecognized', raw };
  }
}

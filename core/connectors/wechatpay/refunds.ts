// Refunds on WeChat Pay (docs/wechatpay-protocol.md §6.4, §6.5): POST /v3/refund/domestic/refunds keyed by
// out_refund_no (= our refundNo, so a retry after a timeout is the same refund, never a second one) and
// GET /v3/refund/domestic/refunds/{out_refund_no}.
import type { Wechatpay } from 'wechatpay-axios-plugin';
import { assert } from '../../domain/assert.ts';
import type { ChannelRefundStatus, RefundRequest, RefundResult } from '../channel.ts';
import { unavailable } from './errors.ts';
import { call, isRecord, settle } from './sdk.ts';
import { amountField, instantField, textField } from './wire.ts';

/** Refusals after which no money moved: over the refundable amount, an unpaid or unknown order, no balance (§6.4). */
const refundRefusals = new Set(['INVALID_REQUEST', 'PARAM_ERROR', 'RESOURCE_NOT_EXISTS', 'ORDER_NOT_EXIST', 'NOT_ENOUGH', 'USER_ACCOUNT_ABNORMAL', 'NO_AUTH', 'MCH_NOT_EXISTS']);
const refundQueryAnswers = new Set(['RESOURCE_NOT_EXISTS', 'ORDER_NOT_EXIST']);

/** WeChat's refund reason is at most 80 characters. */
const reasonLengthMax = 80;

export async function refund(sdk: Wechatpay, request: RefundRequest): Promise<RefundResult> {
  // The refunds service always names the payment's amount: WeChat refuses a refund without amount.total.
  assert(request.paymentAmountFen !== undefined, `the WeChat Pay connector needs paymentAmountFen to refund ${request.refundNo}`);
  const body = {
    out_trade_no: request.paymentNo,
    out_refund_no: request.refundNo,
    ...(request.reason ? { reason: [...request.reason].slice(0, reasonLengthMax).join('') } : {}),
    ...(request.notifyUrl ? { notify_url: request.notifyUrl } : {}),
    amount: { refund: request.amountFen, total: request.paymentAmountFen, currency: 'CNY' },
  };
  const settled = settle('refund', await call('refund', () => sdk.chain('v3/refund/domestic/refunds').post(body)), refundRefusals);
  if (settled.kind === 'refused') return { kind: 'rejected', code: settled.code, message: settled.message };
  // Success means accepted only ("接口返回成功仅代表受理"): the outcome comes by notification or query.
  // The same out_refund_no again answers the same refund, which is still "accepted".
  return { kind: 'accepted' };
}

export async function queryRefund(sdk: Wechatpay, paymentNo: string, refundNo: string): Promise<ChannelRefundStatus> {
  const answer = await call('queryRefund', () => sdk.chain('v3/refund/domestic/refunds/{out_refund_no}').get({ out_refund_no: refundNo }));
  const settled = settle('queryRefund', answer, refundQueryAnswers);
  if (settled.kind === 'refused') return { kind: 'notFound' };
  const data = settled.data;
  if (!isRecord(data)) throw unavailable('queryRefund', 'the answer is not a JSON object');
  const answeredFor = textField(data.out_refund_no);
  if (answeredFor !== undefined && answeredFor !== refundNo) throw unavailable('queryRefund', `asked about refund ${refundNo}, the answer is about ${answeredFor}`);
  const tradeNo = textField(data.out_trade_no);
  // Refund numbers are the merchant's across all its orders: one of another payment is not this refund.
  if (tradeNo !== undefined && tradeNo !== paymentNo) throw unavailable('queryRefund', `refund ${refundNo} belongs to ${tradeNo} at the channel, not to ${paymentNo}`);
  const status = textField(data.status);
  switch (status) {
    case 'SUCCESS': {
      const amountFen = amountField(data, 'refund');
      if (amountFen === undefined) throw unavailable('queryRefund', `SUCCESS without a usable amount.refund (${JSON.stringify(data.amount)})`);
      const succeededAtMs = instantField(data.success_time);
      return { kind: 'succeeded', amountFen, ...(succeededAtMs !== undefined ? { succeededAtMs } : {}) };
    }
    case 'PROCESSING':
      return { kind: 'processing' };
    // ABNORMAL: the money could not reach the buyer (a closed card); CLOSED: the refund was closed. Either
    // way the buyer was not refunded by it.
    case 'ABNORMAL':
    case 'CLOSED':
      return { kind: 'failed', reason: `the channel's refund status is ${status}` };
    default:
      // A status we do not know: guessing "failed" could let a refund be paid twice.
      throw unavailable('queryRefund', `refund status ${JSON.stringify(status)} is not one this connector knows; outcome treated as unknown`);
  }
}

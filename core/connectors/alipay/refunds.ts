// Refunds on Alipay: alipay.trade.refund keyed by out_request_no (= our refundNo, so a retry after a
// timeout is the same refund, never a second one) and alipay.trade.fastpay.refund.query.
import { formatFen } from '../../../lib/money.ts';
import type { ChannelRefundStatus, RefundRequest, RefundResult } from '../channel.ts';
import { unavailable } from './errors.ts';
import type { Gateway } from './sdk.ts';
import { fenField, instantField, textField } from './wire.ts';

/** Refusals of alipay.trade.refund after which no money moved (docs/alipay-protocol.md §7.2). */
const refundRefusals = new Set([
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'ACQ.DISCORDANT_REPEAT_REQUEST', 'ACQ.TRADE_STATUS_ERROR', 'ACQ.TRADE_NOT_EXIST',
  'ACQ.TRADE_HAS_FINISHED', 'ACQ.SELLER_BALANCE_NOT_ENOUGH', 'ACQ.REASON_TRADE_BEEN_FREEZEN', 'ACQ.TRADE_NOT_ALLOW_REFUND',
  'ACQ.REASON_TRADE_REFUND_FEE_ERR', 'ACQ.REFUND_FEE_ERROR', 'ACQ.INVALID_PARAMETER',
]);
const refundQueryAnswers = new Set(['ACQ.TRADE_NOT_EXIST']);

const refundSucceeded = 'REFUND_SUCCESS';

export async function refund(gateway: Gateway, request: RefundRequest): Promise<RefundResult> {
  const settled = await gateway({
    operation: 'refund',
    method: 'alipay.trade.refund',
    bizContent: {
      out_trade_no: request.paymentNo,
      out_request_no: request.refundNo,
      refund_amount: formatFen(request.amountFen),
      ...(request.reason ? { refund_reason: request.reason } : {}),
    },
    definiteSubCodes: refundRefusals,
  });
  if (settled.kind === 'business') return { kind: 'rejected', code: settled.subCode, message: settled.message };
  // fund_change N (a replay of the same out_request_no and amount) is the same refund: still accepted.
  return { kind: 'accepted' };
}

export async function queryRefund(gateway: Gateway, paymentNo: string, refundNo: string): Promise<ChannelRefundStatus> {
  const settled = await gateway({
    operation: 'queryRefund',
    method: 'alipay.trade.fastpay.refund.query',
    bizContent: { out_trade_no: paymentNo, out_request_no: refundNo, query_options: ['gmt_refund_pay'] },
    definiteSubCodes: refundQueryAnswers,
  });
  if (settled.kind === 'business') return { kind: 'notFound' }; // ACQ.TRADE_NOT_EXIST: no trade, so no refund
  const fields = settled.fields;
  const answeredFor = textField(fields.out_request_no);
  const refundAmountFen = fenField(fields.refund_amount);
  const status = textField(fields.refund_status);
  if (answeredFor !== undefined && answeredFor !== refundNo) throw unavailable('queryRefund', `asked about refund ${refundNo}, the answer is about ${answeredFor}`);
  if (status === undefined) {
    // 10000 without refund_status: the refund exists but has not succeeded (yet), or does not exist.
    // out_request_no may be echoed back even for an unknown refund, so refund_amount is the evidence.
    return refundAmountFen !== undefined ? { kind: 'processing' } : { kind: 'notFound' };
  }
  if (status !== refundSucceeded) {
    // Alipay documents REFUND_SUCCESS only; guessing "failed" could let a refund be paid twice.
    throw unavailable('queryRefund', `refund_status ${JSON.stringify(status)} is not one this connector knows; outcome treated as unknown`);
  }
  if (refundAmountFen === undefined) throw unavailable('queryRefund', `REFUND_SUCCESS without a usable refund_amount (${JSON.stringify(fields.refund_amount)})`);
  const succeededAtMs = instantField(fields.gmt_refund_pay);
  return { kind: 'succeeded', amountFen: refundAmountFen, ...(succeededAtMs !== undefined ? { succeededAtMs } : {}) };
}

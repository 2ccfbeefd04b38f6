// alipay.trade.refund and alipay.trade.fastpay.refund.query (docs/alipay-protocol.md §5).
import type { Refund, Trade } from '../../engine/types.ts';
import { alipayErrors } from './errors.ts';
import { failure, findTrade, readAll, success, type MethodSpec } from './method.ts';
import { beijingTime, merchantNumberPattern, yuan } from './wire.ts';

function refundResponse(trade: Trade, fundChange: 'Y' | 'N', atMs: number): Record<string, unknown> {
  return {
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    ...(trade.buyer ? { buyer_logon_id: trade.buyer.logonId, buyer_user_id: trade.buyer.id } : {}),
    fund_change: fundChange,
    refund_fee: yuan(trade.refundAcceptedFen),
    gmt_refund_pay: beijingTime(atMs),
  };
}

const refund: MethodSpec = {
  fields: ['out_trade_no', 'trade_no', 'refund_amount', 'out_request_no', 'refund_reason', 'operator_id', 'store_id', 'terminal_id', 'goods_detail', 'refund_royalty_parameters', 'query_options', 'refund_currency', 'related_settle_confirm_no'],
  async handle(call) {
    const read = readAll({
      amountFen: call.reader.amountFen('refund_amount', { required: true }),
      outRequestNo: call.reader.string('out_request_no', { pattern: merchantNumberPattern }),
      reason: call.reader.string('refund_reason', { maxLength: 256 }),
    });
    if (!read.ok) return failure(read.error);
    const found = findTrade(call);
    if (!found.ok) return failure(found.error);
    const trade = found.value;
    // Without out_request_no the refund is keyed by out_trade_no: one full refund per trade. A partial one
    // needs its own number, unless the switch takes it under out_trade_no too.
    if (read.values.outRequestNo === undefined && read.values.amountFen !== trade.amountFen && call.config.partialRefundWithoutRequestNo === 'refuse') {
      return failure(alipayErrors.missingParameter('out_request_no（部分退款时必传）'));
    }
    const outRequestNo = read.values.outRequestNo ?? trade.outTradeNo;
    const outcome = await call.engine.refunds.request({
      tradeKey: trade.key,
      outRequestNo,
      amountFen: read.values.amountFen!,
      ...(read.values.reason ? { reason: read.values.reason } : {}),
    });
    switch (outcome.kind) {
      case 'accepted':
        return success(refundResponse(outcome.trade, 'Y', outcome.refund.createdAtMs));
      case 'replayed':
        return success(refundResponse(outcome.trade, 'N', outcome.refund.createdAtMs));
      case 'discordant':
        return failure(alipayErrors.discordantRepeat());
      case 'exceedsRefundable':
        return failure(alipayErrors.refundAmountExceeds());
      case 'tradeFinished':
        return failure(alipayErrors.tradeHasFinished());
      case 'tradeNotPaid':
        return failure(alipayErrors.tradeStatusError());
      case 'tradeNotFound':
        return failure(alipayErrors.tradeNotExist());
      case 'limitReached':
        return failure(alipayErrors.businessSystemError());
    }
  },
};

function refundQueryFields(trade: Trade, refund: Refund, options: readonly unknown[]): Record<string, unknown> {
  const base = {
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_request_no: refund.outRequestNo,
    total_amount: yuan(trade.amountFen),
    refund_amount: yuan(refund.amountFen),
    ...(refund.reason ? { refund_reason: refund.reason } : {}),
  };
  // refund_status is present only once the refund succeeded; absent means "not (yet) successful".
  if (refund.state.kind !== 'succeeded') return base;
  return {
    ...base,
    refund_status: 'REFUND_SUCCESS',
    ...(options.includes('gmt_refund_pay') ? { gmt_refund_pay: beijingTime(refund.state.succeededAtMs) } : {}),
    ...(options.includes('refund_detail_item_list')
      ? { refund_detail_item_list: [{ fund_channel: 'ALIPAYACCOUNT', amount: yuan(refund.amountFen), real_amount: yuan(refund.amountFen) }] }
      : {}),
  };
}

const refundQuery: MethodSpec = {
  fields: ['out_trade_no', 'trade_no', 'out_request_no', 'query_options', 'org_pid'],
  async handle(call) {
    const outRequestNo = call.reader.string('out_request_no', { pattern: merchantNumberPattern });
    if (!outRequestNo.ok) return failure(outRequestNo.error);
    const options = call.biz.query_options;
    if (options !== undefined && !Array.isArray(options)) return failure(alipayErrors.invalidParameter('query_options 必须是数组'));
    const found = findTrade(call);
    if (!found.ok) return failure(found.error);
    const trade = found.value;
    const requestNo = outRequestNo.value ?? trade.outTradeNo;
    const existing = call.engine.refunds.get(trade.key, requestNo);
    if (!existing) return success({ out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo, out_request_no: requestNo });
    const counted = await call.engine.refunds.noteQuery(existing);
    return success(refundQueryFields(call.engine.trades.get(trade.key) ?? trade, counted, options ?? []));
  },
};

export const refundMethods: Record<string, MethodSpec> = {
  'alipay.trade.refund': refund,
  'alipay.trade.fastpay.refund.query': refundQuery,
};

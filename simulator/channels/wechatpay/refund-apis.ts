// Refunds: create and query (docs/wechatpay-protocol.md §6.4, §6.5). Accepted as PROCESSING; the engine
// completes them after the simulated delay (SUCCESS, or ABNORMAL / CLOSED by fault). Idempotent on
// out_refund_no, which is unique per merchant; never above what is left of the order.
import { isPaid, type Refund, type Trade } from '../../engine/types.ts';
import { failure, json, numberOf, textOf, type ApiCall, type ApiSpec } from './api.ts';
import { refundFeeFen } from './bill.ts';
import { wechatpayErrors } from './errors.ts';
import { refundFields } from './trade-fields.ts';
import { reading } from './transaction-apis.ts';
import { notifyUrlProblem } from './urls.ts';
import { BodyReader } from './wire.ts';

const outRefundNoPattern = /^[0-9A-Za-z_\-|*@]{1,64}$/;

/** The merchant's refund with this out_refund_no, on any of its orders. */
function refundOf(call: ApiCall, outRefundNo: string): Refund | undefined {
  return call.engine.refunds.all().find((refund) => refund.channel === 'wechatpay' && refund.appId === call.app.appId && refund.outRequestNo === outRefundNo);
}

const createRefund: ApiSpec = {
  name: 'POST /v3/refund/domestic/refunds',
  method: 'POST',
  path: /^\/v3\/refund\/domestic\/refunds$/,
  facts: ({ body }) => {
    const outTradeNo = textOf(body.out_trade_no);
    const outRequestNo = textOf(body.out_refund_no);
    const refund = numberOf((body.amount as Record<string, unknown> | undefined)?.refund);
    return { ...(outTradeNo ? { outTradeNo } : {}), ...(outRequestNo ? { outRequestNo } : {}), ...(refund !== undefined ? { amountFen: refund } : {}) };
  },
  handle: (call) =>
    reading(async () => {
      const body = BodyReader.parse(call.body);
      const transactionId = body.optionalString('transaction_id', { lengthMax: 32 });
      const outTradeNo = body.optionalString('out_trade_no', { lengthMax: 32 });
      if (!transactionId && !outTradeNo) return failure(wechatpayErrors.paramError('out_trade_no', 'transaction_id 与 out_trade_no 必须二选一'));
      const outRefundNo = body.string('out_refund_no', { lengthMax: 64, pattern: outRefundNoPattern });
      const reason = body.optionalString('reason', { lengthMax: 80 });
      const notifyUrl = body.optionalString('notify_url', { lengthMax: 256 });
      const urlProblem = notifyUrl === undefined ? undefined : notifyUrlProblem(notifyUrl);
      if (urlProblem) return failure(wechatpayErrors.paramError('notify_url', urlProblem, 'body', notifyUrl));
      const fundsAccount = body.optionalString('funds_account', { lengthMax: 32 });
      if (fundsAccount !== undefined && fundsAccount !== 'AVAILABLE') return failure(wechatpayErrors.paramError('funds_account', '只支持 AVAILABLE', 'body', fundsAccount));
      const amount = body.object('amount');
      const refundFen = amount.fen('refund');
      const totalFen = amount.fen('total');
      amount.currency();
      const found = call.engine.trades.find('wechatpay', call.app.appId, transactionId ? { tradeNo: transactionId } : { outTradeNo: outTradeNo! });
      // transaction_id wins when both are given; naming two different orders is a mistake.
      const trade = found && outTradeNo && found.outTradeNo !== outTradeNo ? undefined : found;
      if (!trade) return failure(wechatpayErrors.tradeNotExistForRefund());
      const earlier = refundOf(call, outRefundNo);
      if (earlier && earlier.tradeKey !== trade.key) return failure(wechatpayErrors.refundDiscordant());
      if (totalFen !== trade.amountFen) return failure(wechatpayErrors.refundTotalMismatch());
      const outcome = await call.engine.refunds.request({
        tradeKey: trade.key, outRequestNo: outRefundNo, amountFen: refundFen,
        ...(reason ? { reason } : {}), ...(notifyUrl ? { notifyUrl } : {}),
      });
      switch (outcome.kind) {
        case 'accepted':
        case 'replayed':
          return json(refundFields(outcome.refund, outcome.trade, feeBack(call, outcome.refund, outcome.trade)));
        case 'discordant':
          return failure(wechatpayErrors.refundDiscordant());
        case 'exceedsRefundable':
          return failure(wechatpayErrors.refundExceeds(outcome.refundableFen));
        case 'tradeNotPaid':
          // A fully refunded order is closed in the engine, but it was paid: nothing is left to refund.
          return failure(isPaid(outcome.trade) ? wechatpayErrors.refundExceeds(0) : wechatpayErrors.tradeNotExistForRefund());
        case 'tradeNotFound':
          return failure(wechatpayErrors.tradeNotExistForRefund()); // also for unpaid orders (§6.4)
        case 'tradeFinished':
          return failure(wechatpayErrors.refundWindowOver());
        case 'limitReached':
          return failure(wechatpayErrors.refundLimitReached());
      }
    }),
};

const queryRefund: ApiSpec = {
  name: 'GET /v3/refund/domestic/refunds/{out_refund_no}',
  method: 'GET',
  path: /^\/v3\/refund\/domestic\/refunds\/(?<out_refund_no>[^/]+)$/,
  facts: ({ params }) => ({ outRequestNo: params.out_refund_no! }),
  async handle(call) {
    const refund = refundOf(call, call.params.out_refund_no!);
    if (!refund) return failure(wechatpayErrors.refundNotExist());
    const counted = await call.engine.refunds.noteQuery(refund);
    const trade = call.engine.trades.get(counted.tradeKey);
    if (!trade) return failure(wechatpayErrors.refundNotExist());
    return json(refundFields(counted, trade, feeBack(call, counted, trade)));
  },
};

/** The fee this refund gives back (channels.wechatpay.refundFeeReturn). */
function feeBack(call: ApiCall, refund: Refund, trade: Trade): number {
  return refundFeeFen(refund, trade, call.engine.refunds.ofTrade(trade.key), call.config);
}

export const refundApis: readonly ApiSpec[] = [createRefund, queryRefund];

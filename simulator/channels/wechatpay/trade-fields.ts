// How a channel-neutral trade and refund look on WeChat Pay's wire: trade_state, the query body (the
// same object a TRANSACTION.SUCCESS notification encrypts) and the refund body
// (docs/wechatpay-protocol.md §6.2, §6.4, §8.1).
import { assertNever, isPaid, type App, type Refund, type Trade } from '../../engine/types.ts';
import { rfc3339 } from './wire.ts';

export type TradeState = 'NOTPAY' | 'USERPAYING' | 'PAYERROR' | 'SUCCESS' | 'REFUND' | 'CLOSED';

const stateDescriptions: Readonly<Record<TradeState, string>> = {
  NOTPAY: '订单未支付',
  USERPAYING: '用户支付中（请输入密码）',
  PAYERROR: '支付失败，请重新下单支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '订单已关闭',
};

/** The trade product (the request's path) as trade_type. */
export const tradeTypes = { native: 'NATIVE', h5: 'MWEB', jsapi: 'JSAPI', app: 'APP' } as const;
export type WechatpayProduct = keyof typeof tradeTypes;

export function tradeStateOf(trade: Trade): TradeState {
  const state = trade.state;
  switch (state.kind) {
    case 'waiting':
      if (trade.buyerConfirmsAtMs !== undefined) return 'USERPAYING';
      return trade.payFailedAtMs !== undefined ? 'PAYERROR' : 'NOTPAY';
    case 'paid':
    case 'finished':
      // SUCCESS → REFUND once a refund is accepted (§6.2).
      return trade.refundAcceptedFen > 0 ? 'REFUND' : 'SUCCESS';
    case 'closed':
      return state.paidAtMs !== undefined ? 'REFUND' : 'CLOSED';
    default:
      return assertNever(state, 'trade state');
  }
}

function paidAtMsOf(trade: Trade): number | undefined {
  return 'paidAtMs' in trade.state ? trade.state.paidAtMs : undefined;
}

/** The query answer: NOTPAY bodies have no transaction_id, payer, success_time, trade_type or bank_type (§6.2). */
export function transactionFields(trade: Trade, app: App): Record<string, unknown> {
  const state = tradeStateOf(trade);
  const base = {
    amount: isPaid(trade) ? { currency: 'CNY', payer_currency: 'CNY', payer_total: trade.amountFen, total: trade.amountFen } : { payer_currency: 'CNY', total: trade.amountFen },
    appid: trade.echo.appid ?? '',
    mchid: app.appId,
    out_trade_no: trade.outTradeNo,
    promotion_detail: [],
    trade_state: state,
    trade_state_desc: stateDescriptions[state],
    ...(trade.echo.attach !== undefined ? { attach: trade.echo.attach } : {}),
  };
  const paidAtMs = paidAtMsOf(trade);
  if (paidAtMs === undefined) return { ...base, scene_info: { device_id: '' } };
  return {
    ...base,
    attach: trade.echo.attach ?? '',
    bank_type: 'OTHERS',
    payer: { openid: trade.buyer?.id ?? '' },
    success_time: rfc3339(paidAtMs),
    trade_type: tradeTypes[trade.product as WechatpayProduct] ?? 'NATIVE',
    transaction_id: trade.tradeNo,
  };
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

/** A failed refund is CLOSED when the fault's reason says so, else ABNORMAL (the account could not be credited). */
export function refundStatusOf(refund: Refund): RefundStatus {
  const state = refund.state;
  switch (state.kind) {
    case 'processing':
      return 'PROCESSING';
    case 'succeeded':
      return 'SUCCESS';
    case 'failed':
      return /^closed/i.test(state.reason) ? 'CLOSED' : 'ABNORMAL';
    default:
      return assertNever(state, 'refund state');
  }
}

export const userReceivedAccount = '支付用户零钱';

/** The refund create and query answer (§6.4); success_time only once SUCCESS; `refund_fee` is the fee given back (bill.ts refundFeeFen). */
export function refundFields(refund: Refund, trade: Trade, refundFeeFen: number): Record<string, unknown> {
  const status = refundStatusOf(refund);
  return {
    amount: {
      currency: 'CNY', discount_refund: 0, from: [], payer_refund: refund.amountFen, payer_total: trade.amountFen, refund: refund.amountFen,
      refund_fee: refundFeeFen, settlement_refund: refund.amountFen, settlement_total: trade.amountFen, total: trade.amountFen,
    },
    channel: 'ORIGINAL',
    create_time: rfc3339(refund.createdAtMs),
    funds_account: 'AVAILABLE',
    out_refund_no: refund.outRequestNo,
    out_trade_no: refund.outTradeNo,
    promotion_detail: [],
    refund_id: refund.refundNo,
    status,
    ...(refund.state.kind === 'succeeded' ? { success_time: rfc3339(refund.state.succeededAtMs) } : {}),
    transaction_id: refund.tradeNo,
    user_received_account: userReceivedAccount,
  };
}

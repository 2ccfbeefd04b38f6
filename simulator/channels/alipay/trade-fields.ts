// How an engine trade reads on Alipay's wire: status strings and the response/notification fields.
import { assertNever, type Trade } from '../../engine/types.ts';
import { beijingTime, yuan } from './wire.ts';

export type AlipayTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export function alipayTradeStatus(trade: Trade): AlipayTradeStatus {
  switch (trade.state.kind) {
    case 'waiting':
      return 'WAIT_BUYER_PAY';
    case 'paid':
      return 'TRADE_SUCCESS';
    case 'closed':
      return 'TRADE_CLOSED';
    case 'finished':
      return 'TRADE_FINISHED';
    default:
      return assertNever(trade.state, 'trade state');
  }
}

export function paidAtMsOf(trade: Trade): number | undefined {
  return 'paidAtMs' in trade.state ? trade.state.paidAtMs : undefined;
}

/** The fund bill list of a paid trade: all from the buyer's balance. */
export function fundBillList(trade: Trade): { fund_channel: string; amount: string; real_amount: string }[] {
  const amount = yuan(trade.amountFen);
  return [{ fund_channel: 'ALIPAYACCOUNT', amount, real_amount: amount }];
}

/** Fields of `alipay.trade.query` for a visible trade. */
export function queryFields(trade: Trade): Record<string, unknown> {
  const paidAtMs = paidAtMsOf(trade);
  const paid = paidAtMs !== undefined;
  const paidAmount = paid ? yuan(trade.amountFen) : '0.00';
  return {
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    ...(trade.buyer ? { buyer_logon_id: trade.buyer.logonId, buyer_user_id: trade.buyer.id } : {}),
    trade_status: alipayTradeStatus(trade),
    total_amount: yuan(trade.amountFen),
    buyer_pay_amount: paidAmount,
    point_amount: '0.00',
    invoice_amount: paidAmount,
    receipt_amount: paidAmount,
    ...(paid ? { send_pay_date: beijingTime(paidAtMs), fund_bill_list: fundBillList(trade) } : {}),
    subject: trade.subject,
    ...(trade.body ? { body: trade.body } : {}),
    ...(trade.echo.store_id ? { store_id: trade.echo.store_id } : {}),
  };
}

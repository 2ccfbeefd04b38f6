// WeChat Pay's bill amounts and the fund flow's running balance: signs kept below one yuan, and the fee a
// refund gives back credited, so that the fund flow agrees with the trade bill's 手续费.
import { expect, it } from 'vitest';
import { Formatter } from 'wechatpay-axios-plugin';
import { fundFlowFile, type TradeBillRow } from '../../../simulator/channels/wechatpay/bill.ts';
import { yuan } from '../../../simulator/channels/wechatpay/wire.ts';

it('writes fen as yuan with two decimals, the sign kept for amounts under one yuan', () => {
  expect([0, 5, 100, 12345, -6, -99, -100, -150].map(yuan)).toEqual(['0.00', '0.05', '1.00', '123.45', '-0.06', '-0.99', '-1.00', '-1.50']);
});

const payment = (atMs: number, no: string, fen: number, feeFen: number): TradeBillRow => ({
  kind: 'payment', atMs, appid: 'wxd930ea5d5a258f4f', mchid: '1900000001', transactionId: `42000${no}`, outTradeNo: no, openid: 'o', tradeType: 'NATIVE',
  status: 'SUCCESS', settlementFen: fen, refundId: '0', outRefundNo: '0', refundFen: 0, refundStatus: '', description: 'd', attach: '', feeUnits: feeFen * 1_000, orderFen: fen,
});
const refund = (atMs: number, no: string, fen: number, returnedFeeFen: number): TradeBillRow => ({
  ...payment(atMs, no, 0, 0), kind: 'refund', status: 'REFUND', settlementFen: 0, refundId: `503${no}`, outRefundNo: `R-${no}-${fen}`, refundFen: fen,
  refundStatus: 'SUCCESS', feeUnits: -returnedFeeFen * 1_000, orderFen: 0,
});

function fundFlow(rows: readonly TradeBillRow[]) {
  return Formatter.castCsvBill(fundFlowFile(rows, '\n')) as { rows: Record<string, string>[]; summary: Record<string, string> };
}

it('credits the fee each refund gives back, so that a payment refunded in full the same day ends at a balance of 0.00', () => {
  const at = Date.UTC(2026, 0, 1, 2);
  const { rows, summary } = fundFlow([payment(at, 'FF1', 1000, 6), refund(at + 1_000, 'FF1', 300, 2), refund(at + 2_000, 'FF1', 700, 4)]);
  expect(rows.map((row) => [row['业务名称'], row['收支类型'], row['收支金额（元）'], row['账户结余（元）']])).toEqual([
    ['交易', '收入', '10.00', '10.00'],
    ['扣除交易手续费', '支出', '0.06', '9.94'],
    ['退款', '支出', '3.00', '6.94'],
    ['退还交易手续费', '收入', '0.02', '6.96'],
    ['退款', '支出', '7.00', '-0.04'],
    ['退还交易手续费', '收入', '0.04', '0.00'],
  ]);
  expect(summary).toMatchObject({ 资金流水总笔数: '6', 收入笔数: '3', 收入金额: '10.06', 支出笔数: '3', 支出金额: '10.06' });
});

it('shows a day of refunds alone (their payments on earlier days) with a negative balance, under one yuan too', () => {
  const at = Date.UTC(2026, 0, 2, 2);
  const { rows } = fundFlow([refund(at, 'FF2', 50, 0), refund(at + 1_000, 'FF3', 100, 1)]);
  expect(rows.map((row) => row['账户结余（元）'])).toEqual(['-0.50', '-1.50', '-1.49']);
});

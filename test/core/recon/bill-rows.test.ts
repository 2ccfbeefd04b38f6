// The connector's bill reader on files the simulator's own writer builds: every row normalised, in
// order; subjects with commas, quotes and Chinese do not shift a column; a file that is not a readable
// Alipay bill is a BillFormatError, never a row.
import { expect, it } from 'vitest';
import { readAlipayBill } from '../../../core/connectors/alipay/bill-rows.ts';
import { BillFormatError, type BillRow } from '../../../core/connectors/channel.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';
import { buildAlipayTradeBillZip, type AlipayBillTradeRow } from '../../../simulator/channels/alipay/bill.ts';

const dayStartMs = parseBeijingDateTime('2026-01-05')!;

async function rowsOf(file: Buffer): Promise<BillRow[]> {
  const rows: BillRow[] = [];
  for await (const batch of readAlipayBill(file)) rows.push(...batch);
  return rows;
}

const payment = (index: number, subject: string): AlipayBillTradeRow => ({
  kind: 'payment', tradeNo: `202601052200111${String(index).padStart(13, '0')}`, outTradeNo: `P-${index}`, subject,
  createdAtMs: dayStartMs + index * 1000, finishedAtMs: dayStartMs + index * 1000 + 500, counterparty: '**博(156******89)',
  orderFen: 8880 + index, receivedFen: 8880 + index, serviceFeeFen: 53,
});

it('reads every row of a trade bill, in file order, in the core\'s terms', async () => {
  const refund: AlipayBillTradeRow = { ...payment(1, 'x'), kind: 'refund', receivedFen: -1250, outRequestNo: 'R-1', serviceFeeFen: -7, finishedAtMs: dayStartMs + 7_200_000 };
  const rows = [payment(1, '咖啡豆, "精选" 1kg'), payment(2, 'line\nbreak'), payment(3, '普通'), refund];
  const zip = await buildAlipayTradeBillZip({ accountId: '2088102177846880', billDate: '2026-01-05', dayStartMs, exportedAtMs: dayStartMs + 90_000_000, rows });
  expect(await rowsOf(zip.zip)).toEqual([
    { kind: 'payment', paymentNo: 'P-1', channelTradeNo: rows[0]!.tradeNo, amountFen: 8881, feeFen: 53, atMs: dayStartMs + 1000 },
    { kind: 'payment', paymentNo: 'P-2', channelTradeNo: rows[1]!.tradeNo, amountFen: 8882, feeFen: 53, atMs: dayStartMs + 2000 },
    { kind: 'payment', paymentNo: 'P-3', channelTradeNo: rows[2]!.tradeNo, amountFen: 8883, feeFen: 53, atMs: dayStartMs + 3000 },
    { kind: 'refund', paymentNo: 'P-1', refundNo: 'R-1', channelTradeNo: rows[0]!.tradeNo, amountFen: 1250, feeFen: -7, atMs: dayStartMs + 7_200_000 },
  ]);
});

it('reads a day without trades as no rows', async () => {
  const zip = await buildAlipayTradeBillZip({ accountId: '2088102177846880', billDate: '2026-01-05', dayStartMs, exportedAtMs: dayStartMs + 90_000_000, rows: [] });
  expect(await rowsOf(zip.zip)).toEqual([]);
});

it('refuses a truncated zip, a zip without the detail entry, and bytes that are no zip at all', async () => {
  const zip = (await buildAlipayTradeBillZip({ accountId: '2088102177846880', billDate: '2026-01-05', dayStartMs, exportedAtMs: dayStartMs + 90_000_000, rows: [payment(1, 'a')] })).zip;
  await expect(rowsOf(zip.subarray(0, Math.floor(zip.length * 0.6)))).rejects.toThrow(BillFormatError);
  await expect(rowsOf(Buffer.from('支付宝交易号,商户订单号\n1,2\n'))).rejects.toThrow(/not a readable zip/);
  const emptyZip = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');
  await expect(rowsOf(emptyZip)).rejects.toThrow(/no …_业务明细.csv entry/);
});

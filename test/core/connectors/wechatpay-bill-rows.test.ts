// WeChat Pay's trade bill read as reconciliation's normalised rows (docs/wechatpay-protocol.md §9): UTF-8
// with a BOM, a plain header, backtick-prefixed cells, the summary after the rows, optionally gzip.
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { readWechatpayBill } from '../../../core/connectors/wechatpay/index.ts';

const header = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const paymentRow = '`2025-12-31 21:30:00,`wx8888888888888888,`1900000001,`0,`,`4200002050202512319075905809,`P20251231000001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,`CNY,`88.80,`0.00,`0,`0,`0.00,`0.00,`,`,`咖啡豆, 500g,`,`0.53280,`0.60%,`88.80,`0.00,`';
const refundRow = '`2025-12-31 22:00:00,`wx8888888888888888,`1900000001,`0,`,`4200002050202512319075905809,`P20251231000001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50303400132025123135461150169,`R20251231000001,`20.00,`0.00,`ORIGINAL,`SUCCESS,`咖啡豆, 500g,`,`-0.12000,`0.60%,`0.00,`20.00,`';
const summary = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n`2,`88.80,`20.00,`0.00,`0.41280,`88.80,`20.00\n';

const bill = (rows: readonly string[], lineEnd = '\n') => Buffer.from(`\uFEFF${header}${lineEnd}${rows.map((row) => `${row}${lineEnd}`).join('')}${summary}`, 'utf8');

async function rowsOf(file: Buffer) {
  const rows = [];
  for await (const batch of readWechatpayBill(file)) rows.push(...batch);
  return rows;
}

const expected = [
  { kind: 'payment', paymentNo: 'P20251231000001', channelTradeNo: '4200002050202512319075905809', amountFen: 8880, feeFen: 53, atMs: Date.parse('2025-12-31T21:30:00+08:00') },
  { kind: 'refund', paymentNo: 'P20251231000001', refundNo: 'R20251231000001', channelTradeNo: '4200002050202512319075905809', amountFen: 2000, feeFen: -12, atMs: Date.parse('2025-12-31T22:00:00+08:00') },
];

it('reads payment and refund rows, fees of 5 decimals rounded half up to fen, a comma inside a cell kept in it', async () => {
  expect(await rowsOf(bill([paymentRow, refundRow]))).toEqual(expected);
});

it('reads the same rows from the gzip file and from CRLF line ends', async () => {
  expect(await rowsOf(gzipSync(bill([paymentRow, refundRow])))).toEqual(expected);
  expect(await rowsOf(bill([paymentRow, refundRow], '\r\n'))).toEqual(expected);
});

it('reads a day without trades as no rows', async () => {
  expect(await rowsOf(bill([]))).toEqual([]);
});

it('reads a revoked payment, a refund in flight or failed, and a status it does not know as incomplete rows, not as a broken bill', async () => {
  const refundWith = (status: string, refundNo: string) => refundRow.replace('`ORIGINAL,`SUCCESS', `\`ORIGINAL,\`${status}`).replace('R20251231000001', refundNo);
  const rows = await rowsOf(bill([
    paymentRow.replace('`SUCCESS', '`REVOKED'),
    paymentRow.replace('`SUCCESS', '`SOMETHING_NEW').replace('P20251231000001', 'P20251231000002'),
    refundWith('PROCESSING', 'R1'),
    refundWith('ABNORMAL', 'R2'),
    refundWith('CLOSED', 'R3'),
    refundWith('WHATEVER', 'R4'),
    refundWith('SUCCESS', 'R5'),
  ]));
  expect(rows.map((row) => [row.kind, row.refundNo ?? row.paymentNo, row.amountFen, row.incomplete ?? null])).toEqual([
    ['payment', 'P20251231000001', 8880, { state: 'reversed', channelStatus: 'REVOKED' }],
    ['payment', 'P20251231000002', 8880, { state: 'unknown', channelStatus: 'SOMETHING_NEW' }],
    ['refund', 'R1', 2000, { state: 'processing', channelStatus: 'PROCESSING' }],
    ['refund', 'R2', 2000, { state: 'failed', channelStatus: 'ABNORMAL' }],
    ['refund', 'R3', 2000, { state: 'failed', channelStatus: 'CLOSED' }],
    ['refund', 'R4', 2000, { state: 'unknown', channelStatus: 'WHATEVER' }],
    ['refund', 'R5', 2000, null],
  ]);
});

it.each([
  ['not a WeChat bill', Buffer.from('a,b,c\n`1,`2,`3\n'), /header lacks 交易时间/],
  ['an amount that is not one', bill([paymentRow.replace('`88.80,`0.00,`0', '`88.8x,`0.00,`0')]), /line 2: 应结订单金额 "88.8x" is not an amount/],
  ['a corrupt gzip', gzipSync(bill([paymentRow])).subarray(0, 30), /cannot be read/],
  ['an empty file', Buffer.alloc(0), /no header row/],
])('refuses %s with a BillFormatError naming the problem', async (_what, file, message) => {
  await expect(rowsOf(file)).rejects.toMatchObject({ name: 'BillFormatError', message: expect.stringMatching(message) });
});

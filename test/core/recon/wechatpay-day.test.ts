// Reconciliation of a WeChat Pay day against its real bill (BOM, backtick cells, SHA1 checked): the core's
// WeChat Pay connector downloads it and reads it as the same normalised rows as Alipay's, and the same
// matcher judges them. A clean day matches both ways; a row left out of the bill is a local record aging.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaysim, type Paysim } from '../integration/paysim.ts';
import { checkResult, endDay, startDay } from './support.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

async function paidOnWechat(amount: string) {
  const numbers = await paysim.orderAndPay(amount, { method: 'wechatpay.native' });
  await paysim.buyerPays(numbers.paymentNo, { channel: 'wechatpay' });
  await paysim.advance(0);
  expect((await paysim.order(numbers.orderNo)).status).toBe('PAID');
  return numbers;
}

const reconcileWechat = (billDate: string) => paysim.api('POST', '/api/reconciliations', { channel: 'wechatpay', billDate });

it('reconciles a clean WeChat Pay day as MATCHED: payments and a refund, fees included', async () => {
  const billDate = await startDay(paysim);
  const first = await paidOnWechat('88.80');
  await paidOnWechat('19.99');
  // 10.00 of 88.80: the bill's fee back (0.6% of it, 0.06000) and the core's pro-rata share of the
  // payment's 0.53 (5.97 fen) both round to 6 fen. (At exactly half a fen they part: see README.)
  const refund = await paysim.api('POST', `/api/orders/${first.orderNo}/refunds`, { outRefundNo: 'WX-RECON-1', amount: '10.00', reason: 'returned' });
  expect(refund.status).toBe(201);
  await paysim.advance(5_000);
  await endDay(paysim, billDate);

  const answer = await reconcileWechat(billDate);
  expect(answer.status).toBe(201);
  expect(answer.body).toMatchObject({
    channel: 'wechatpay', billDate, status: 'MATCHED', billRows: 3, localRecords: 3, matched: 3,
    counts: { CHANNEL_ONLY: 0, LOCAL_ONLY: 0, STATUS_MISMATCH: 0, AMOUNT_MISMATCH: 0, FEE_MISMATCH: 0, DUPLICATE: 0 },
    mismatches: [],
  });
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(true);
});

it('reports a payment the WeChat Pay bill left out as LOCAL_ONLY, aging', async () => {
  const billDate = await startDay(paysim);
  const missing = await paidOnWechat('30.00');
  await paidOnWechat('31.00');
  paysim.fault({ match: { channel: 'wechatpay', api: 'bill', outTradeNo: `^${missing.paymentNo}$` }, fault: { type: 'bill_missing_row' } });
  await endDay(paysim, billDate);

  const answer = await reconcileWechat(billDate);
  expect(answer.body).toMatchObject({ channel: 'wechatpay', status: 'MISMATCHED', billRows: 1, localRecords: 2, counts: { LOCAL_ONLY: 1 } });
  expect(answer.body.mismatches).toEqual([expect.objectContaining({ category: 'LOCAL_ONLY', kind: 'payment', paymentNo: missing.paymentNo, handling: 'AGING' })]);
});

// 12.50 of 88.80 at 0.6%: the payment's fee is 0.53280, 53 fen; the refund's share of it is 7.46 fen, 7,
// while the rate times the refund is 7.5 fen, 8 once rounded: the two ways a refund's fee back can be
// counted part by a fen exactly here.
async function halfFenRefundDay(): Promise<string> {
  const billDate = await startDay(paysim);
  const paid = await paidOnWechat('88.80');
  const refund = await paysim.api('POST', `/api/orders/${paid.orderNo}/refunds`, { outRefundNo: 'WX-RECON-HALF', amount: '12.50', reason: 'returned' });
  expect(refund.status).toBe(201);
  await paysim.advance(5_000);
  await endDay(paysim, billDate);
  return billDate;
}

it("matches a refund whose fee back is half a fen: the bill gives back the payment's fee in proportion, in whole fen, as the core books it", async () => {
  const billDate = await halfFenRefundDay();
  const answer = await reconcileWechat(billDate);
  expect(answer.body).toMatchObject({ status: 'MATCHED', billRows: 2, matched: 2, counts: { FEE_MISMATCH: 0 }, totals: { fees: '0.46' } });
  // The bill's refund row shows that fee back in whole fen, with 5 decimals (the file as the connector downloads it).
  const download = await paysim.core.channels.get('wechatpay')!.downloadBill(billDate);
  expect(download.kind).toBe('ready');
  const refundLine = (download.kind === 'ready' ? download.file.toString('utf8') : '').split('\n').find((line) => line.includes('`REFUND,'));
  expect(refundLine).toMatch(/,`12\.50,.*,`-0\.07000,`0\.60%,/);
});

it('reports the 1-fen difference as FEE_MISMATCH, booked to channel fees, when the channel gives back the rate times the refund (refundFeeReturn: rate)', async () => {
  await paysim.close();
  paysim = await startPaysim({ sim: { channelConfig: { wechatpay: { refundFeeReturn: 'rate' } } } });
  const billDate = await halfFenRefundDay();
  const answer = await reconcileWechat(billDate);
  expect(answer.body).toMatchObject({ status: 'MISMATCHED', billRows: 2, matched: 1, counts: { FEE_MISMATCH: 1 } });
  expect(answer.body.mismatches).toEqual([expect.objectContaining({ category: 'FEE_MISMATCH', kind: 'refund', handling: 'AUTO_FIXED', detail: expect.stringContaining('-0.08, we expected -0.07') })]);
});

it('reports bill_status_mismatch on WeChat Pay as STATUS_MISMATCH, not a failed run: a payment listed REVOKED, a refund listed ABNORMAL', async () => {
  const billDate = await startDay(paysim);
  const revoked = await paidOnWechat('40.00');
  const refunded = await paidOnWechat('50.00');
  expect((await paysim.api('POST', `/api/orders/${refunded.orderNo}/refunds`, { outRefundNo: 'WX-RECON-ABN', amount: '50.00', reason: 'returned' })).status).toBe(201);
  await paysim.advance(5_000);
  const refundNo = paysim.core.store.all<{ refundNo: string; paymentNo: string }>('refunds').find((refund) => refund.paymentNo === refunded.paymentNo)!.refundNo;
  paysim.fault({ match: { channel: 'wechatpay', api: 'bill', outTradeNo: `^${revoked.paymentNo}$` }, fault: { type: 'bill_status_mismatch' } });
  paysim.fault({ match: { channel: 'wechatpay', api: 'bill', outRequestNo: `^${refundNo}$` }, fault: { type: 'bill_status_mismatch' } });
  await endDay(paysim, billDate);

  const answer = await reconcileWechat(billDate);
  expect(answer.body).toMatchObject({ status: 'MISMATCHED', billRows: 3, localRecords: 3, matched: 1, counts: { STATUS_MISMATCH: 2, CHANNEL_ONLY: 0, LOCAL_ONLY: 0 } });
  expect(answer.body.mismatches).toEqual([
    expect.objectContaining({ category: 'STATUS_MISMATCH', kind: 'payment', paymentNo: revoked.paymentNo, local: expect.objectContaining({ status: 'PAID' }), channel: expect.objectContaining({ status: 'REVOKED', amount: '40.00' }), handling: 'MANUAL' }),
    expect.objectContaining({ category: 'STATUS_MISMATCH', kind: 'refund', refundNo, local: expect.objectContaining({ status: 'REFUNDED' }), channel: expect.objectContaining({ status: 'ABNORMAL', amount: '50.00' }), handling: 'MANUAL' }),
  ]);
  // Neither row is in the bill's net: only the third payment is (50.00 less its 0.30 fee).
  expect(answer.body.totals.channelNet).toBe('49.70');
});

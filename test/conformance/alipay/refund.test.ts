// alipay.trade.refund and alipay.trade.fastpay.refund.query: a refund is accepted at once and completes
// after engine.config.refundDelayMs of virtual time; idempotency by out_request_no (§5, §6).
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, createOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let merchant: MerchantReceiver;
let refundDelayMs: number;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  merchant = await startMerchantReceiver(() => env.clock.now());
  refundDelayMs = env.sim.engine.config.refundDelayMs;
});
afterAll(async () => {
  await env.close();
  await merchant.close();
});

const exec = (method: string, bizContent: Record<string, unknown>, params: Record<string, string> = {}) => sdk.exec(method, { bizContent, ...params }, verified);
const statusOf = async (outTradeNo: string) => (await exec('alipay.trade.query', { outTradeNo })).tradeStatus as string;

async function paidTrade(totalAmount: string, notifyName?: string): Promise<string> {
  const outTradeNo = uniqueNo('RF');
  const paid = await exec('alipay.trade.pay', barcodeOrder(outTradeNo, totalAmount), notifyName ? { notifyUrl: merchant.notifyUrl(notifyName) } : {});
  expect(paid.code).toBe('10000');
  return outTradeNo;
}

it('accepts a partial refund with fund_change Y and keeps the trade TRADE_SUCCESS after it completes', async () => {
  const outTradeNo = await paidTrade('100.00');
  const refund = await exec('alipay.trade.refund', { outTradeNo, refundAmount: '30.00', outRequestNo: 'R1' });
  expect(refund).toMatchObject({ code: '10000', outTradeNo, fundChange: 'Y', refundFee: '30.00' });
  await env.clock.advance(refundDelayMs);
  expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
});

it('closes the trade once a full refund completes, not before', async () => {
  const outTradeNo = await paidTrade('20.00');
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '20.00', outRequestNo: 'R1' })).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '20.00' });
  expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
  await env.clock.advance(refundDelayMs);
  expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
});

it('closes the trade when partial refunds add up to the paid amount', async () => {
  const outTradeNo = await paidTrade('10.00');
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '4.00', outRequestNo: 'R1' });
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '6.00', outRequestNo: 'R2' })).toMatchObject({ code: '10000', refundFee: '10.00' });
  await env.clock.advance(refundDelayMs);
  expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
});

it('answers a replay of the same out_request_no and amount with fund_change N and moves no money', async () => {
  const outTradeNo = await paidTrade('50.00');
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'R1' });
  const replay = await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'R1' });
  expect(replay).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '10.00' });
  await env.clock.advance(refundDelayMs);
  const again = await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'R1' });
  expect(again).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '10.00' });
  expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
});

it('refuses the same out_request_no with a different amount with ACQ.DISCORDANT_REPEAT_REQUEST', async () => {
  const outTradeNo = await paidTrade('50.00');
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'R1' });
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '11.00', outRequestNo: 'R1' })).toMatchObject({ code: '40004', msg: 'Business Failed', subCode: 'ACQ.DISCORDANT_REPEAT_REQUEST' });
});

it('refuses a refund over the paid amount with ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', async () => {
  const outTradeNo = await paidTrade('5.00');
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '5.01', outRequestNo: 'R1' })).toMatchObject({ code: '40004', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
});

it('refuses a second partial refund that would exceed what is left with ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', async () => {
  const outTradeNo = await paidTrade('5.00');
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '3.00', outRequestNo: 'R1' });
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '2.01', outRequestNo: 'R2' })).toMatchObject({ code: '40004', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
});

it('refuses a partial refund without out_request_no (40001 naming it), and takes a full one under the trade\'s out_trade_no', async () => {
  const outTradeNo = await paidTrade('10.00');
  const partial = await exec('alipay.trade.refund', { outTradeNo, refundAmount: '4.00' });
  expect(partial).toMatchObject({ code: '40001', subCode: 'isv.missing-parameter' });
  expect(partial.subMsg).toContain('out_request_no');
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00' })).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '10.00' });
});

it('takes a partial refund without out_request_no under out_trade_no with partialRefundWithoutRequestNo: accept', async () => {
  const lenient = await startSimulator({ channelConfig: { alipay: { partialRefundWithoutRequestNo: 'accept' } } });
  try {
    const lenientSdk = alipaySdk(lenient.url);
    const outTradeNo = uniqueNo('RF');
    await lenientSdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '10.00') }, verified);
    expect(await lenientSdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '4.00' } }, verified)).toMatchObject({ code: '10000', refundFee: '4.00' });
    // The trade's one request number is used: another amount without a number is a discordant repeat.
    expect(await lenientSdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '5.00' } }, verified)).toMatchObject({ subCode: 'ACQ.DISCORDANT_REPEAT_REQUEST' });
  } finally {
    await lenient.close();
  }
});

it('refuses to refund an unpaid trade with ACQ.TRADE_STATUS_ERROR', async () => {
  const outTradeNo = uniqueNo('RF');
  await exec('alipay.trade.create', createOrder(outTradeNo));
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '1.00', outRequestNo: 'R1' })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
});

it('shows no refund_status while the refund is processing and REFUND_SUCCESS after refundDelayMs', async () => {
  const outTradeNo = await paidTrade('40.00');
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '15.00', outRequestNo: 'R1', refundReason: '退货' });
  const processing = await exec('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'R1' });
  expect(processing).toMatchObject({ code: '10000', outTradeNo, outRequestNo: 'R1', totalAmount: '40.00', refundAmount: '15.00' });
  expect(processing).not.toHaveProperty('refundStatus');

  await env.clock.advance(refundDelayMs - 1);
  expect(await exec('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'R1' })).not.toHaveProperty('refundStatus');
  await env.clock.advance(1);
  const done = await exec('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'R1', queryOptions: ['gmt_refund_pay'] });
  expect(done).toMatchObject({ code: '10000', outRequestNo: 'R1', refundAmount: '15.00', refundStatus: 'REFUND_SUCCESS', refundReason: '退货' });
  expect(done.gmtRefundPay).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

it('answers a query for an unknown out_request_no with 10000 and no refund fields', async () => {
  const outTradeNo = await paidTrade('40.00');
  const result = await exec('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'NEVER' });
  expect(result.code).toBe('10000');
  expect(result).not.toHaveProperty('refundStatus');
  expect(result).not.toHaveProperty('refundAmount');
});

it('sends a signed refund notify with out_biz_no and the cumulative refund_fee when the refund completes', async () => {
  const name = uniqueNo('refund-notify');
  const outTradeNo = await paidTrade('60.00', name);
  await env.clock.advance(0);
  expect(merchant.notifications(name)).toHaveLength(1);
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '25.00', outRequestNo: 'R-NOTIFY' });
  await env.clock.advance(refundDelayMs - 1);
  expect(merchant.notifications(name)).toHaveLength(1);
  await env.clock.advance(1);
  const arrivals = merchant.notifications(name);
  expect(arrivals).toHaveLength(2);
  const notify = arrivals[1]!.params;
  expect(sdk.checkNotifySignV2(notify)).toBe(true);
  expect(notify).toMatchObject({ notify_type: 'trade_status_sync', out_trade_no: outTradeNo, trade_status: 'TRADE_SUCCESS', out_biz_no: 'R-NOTIFY', refund_fee: '25.00', total_amount: '60.00' });
  expect(notify.gmt_refund).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
});

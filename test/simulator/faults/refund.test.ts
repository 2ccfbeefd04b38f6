// Refund faults, decided when the channel accepts a refund: stuck in processing for a while, failing
// (the reserved amount is released), or succeeding only on the Nth alipay.trade.fastpay.refund.query.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { addFault, clearFaults, faultEntries, journalMark, removeFault } from '../../support/fault-api.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let merchant: MerchantReceiver;
let refundDelayMs: number;
const hourMs = 3_600_000;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  merchant = await startMerchantReceiver(() => env.clock.now());
  refundDelayMs = env.sim.engine.config.refundDelayMs;
});
afterEach(() => clearFaults(env.url));
afterAll(async () => {
  await env.close();
  await merchant.close();
});

const exec = (method: string, bizContent: Record<string, unknown>, params: Record<string, string> = {}) => sdk.exec(method, { bizContent, ...params }, verified);
const refundQuery = (outTradeNo: string, outRequestNo: string) => exec('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo });

async function paid(totalAmount: string, notifyName?: string): Promise<string> {
  const outTradeNo = uniqueNo('RFF');
  expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo, totalAmount), notifyName ? { notifyUrl: merchant.notifyUrl(notifyName) } : {})).toMatchObject({ code: '10000' });
  await env.clock.advance(0);
  return outTradeNo;
}

it('keeps a refund processing for ms under refund_stuck, then completes it and notifies', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: 2 * hourMs } });
  const name = uniqueNo('stuck');
  const outTradeNo = await paid('40.00', name);
  const mark = await journalMark(env.url);
  const acceptedAtMs = env.clock.now();
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '15.00', outRequestNo: 'S1' })).toMatchObject({ code: '10000', fundChange: 'Y' });
  await env.clock.advance(refundDelayMs);
  expect(await refundQuery(outTradeNo, 'S1')).not.toHaveProperty('refundStatus');
  await env.clock.advance(2 * hourMs - refundDelayMs - 1);
  expect(await refundQuery(outTradeNo, 'S1')).not.toHaveProperty('refundStatus');
  expect(merchant.notifications(name)).toHaveLength(1);
  await env.clock.advance(1);
  expect(await refundQuery(outTradeNo, 'S1')).toMatchObject({ refundStatus: 'REFUND_SUCCESS', refundAmount: '15.00' });
  const refundNotify = merchant.notifications(name)[1]!;
  expect(refundNotify.params).toMatchObject({ out_biz_no: 'S1', refund_fee: '15.00' });
  expect(refundNotify.atMs - acceptedAtMs).toBe(2 * hourMs);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'refund_stuck', api: 'refund', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '5.00', outRequestNo: 'S2' })).toMatchObject({ code: '10000', fundChange: 'Y' });
  await env.clock.advance(refundDelayMs);
  expect(await refundQuery(outTradeNo, 'S2')).toMatchObject({ refundStatus: 'REFUND_SUCCESS' });
});

it('never reports REFUND_SUCCESS under refund_fail and releases the amount; without the rule a new out_request_no refunds it', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'refund' }, fault: { type: 'refund_fail', reason: 'buyer account frozen' } });
  const name = uniqueNo('fail');
  const outTradeNo = await paid('20.00', name);
  const mark = await journalMark(env.url);
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '20.00', outRequestNo: 'F1' })).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '20.00' });
  // While the failing refund is processing its amount is reserved.
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '20.00', outRequestNo: 'F2' })).toMatchObject({ code: '40004', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
  await env.clock.advance(24 * hourMs);
  expect(await refundQuery(outTradeNo, 'F1')).not.toHaveProperty('refundStatus');
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
  expect(merchant.notifications(name).map((arrival) => arrival.params.out_biz_no ?? null)).toEqual([null]);
  const refunds = (await (await fetch(`${env.url}/_sim/refunds`)).json()) as { outTradeNo: string; outRequestNo: string; state: { kind: string; reason?: string } }[];
  expect(refunds.find((refund) => refund.outTradeNo === outTradeNo && refund.outRequestNo === 'F1')!.state).toMatchObject({ kind: 'failed', reason: 'buyer account frozen' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'refund_fail', api: 'refund' })]);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '20.00', outRequestNo: 'F2' })).toMatchObject({ code: '10000', fundChange: 'Y' });
  await env.clock.advance(refundDelayMs);
  expect(await refundQuery(outTradeNo, 'F2')).toMatchObject({ refundStatus: 'REFUND_SUCCESS', refundAmount: '20.00' });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_CLOSED' });
});

it('reports REFUND_SUCCESS exactly on the Nth alipay.trade.fastpay.refund.query under refund_after_queries', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'refund' }, fault: { type: 'refund_after_queries', queries: 3 } });
  const outTradeNo = await paid('30.00');
  const mark = await journalMark(env.url);
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '30.00', outRequestNo: 'Q1' });
  // Time alone does not move it.
  await env.clock.advance(48 * hourMs);
  expect(await refundQuery(outTradeNo, 'Q1')).not.toHaveProperty('refundStatus');
  expect(await refundQuery(outTradeNo, 'Q1')).not.toHaveProperty('refundStatus');
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
  expect(await refundQuery(outTradeNo, 'Q1')).toMatchObject({ refundStatus: 'REFUND_SUCCESS', refundAmount: '30.00' });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_CLOSED' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'refund_after_queries', api: 'refund' })]);

  await removeFault(env.url, ruleId);
  const other = await paid('30.00');
  await exec('alipay.trade.refund', { outTradeNo: other, refundAmount: '30.00', outRequestNo: 'Q1' });
  await env.clock.advance(refundDelayMs);
  expect(await refundQuery(other, 'Q1')).toMatchObject({ refundStatus: 'REFUND_SUCCESS' });
});

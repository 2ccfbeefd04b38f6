// Buyer faults, acted out through POST /_sim/buyer/pay: the buyer pays a trade that already expired,
// pays two open attempts at the same purchase, or walks away. The merchant sees them through the SDK.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { addFault, clearFaults, faultEntries, journalMark, removeFault } from '../../support/fault-api.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { buyerId, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let merchant: MerchantReceiver;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  merchant = await startMerchantReceiver(() => env.clock.now());
});
afterEach(() => clearFaults(env.url));
afterAll(async () => {
  await env.close();
  await merchant.close();
});

const exec = (method: string, bizContent: Record<string, unknown>, params: Record<string, string> = {}) => sdk.exec(method, { bizContent, ...params }, verified);
const statusOf = async (outTradeNo: string) => (await exec('alipay.trade.query', { outTradeNo })).tradeStatus as string;

async function openTrade(outTradeNo: string, options: { totalAmount?: string; subject?: string; timeoutExpress?: string; notifyName?: string } = {}): Promise<void> {
  const created = await exec(
    'alipay.trade.create',
    { outTradeNo, totalAmount: options.totalAmount ?? '25.00', subject: options.subject ?? '买家故障', buyerId, ...(options.timeoutExpress ? { timeoutExpress: options.timeoutExpress } : {}) },
    options.notifyName ? { notifyUrl: merchant.notifyUrl(options.notifyName) } : {},
  );
  expect(created).toMatchObject({ code: '10000', outTradeNo });
}

async function buyerPays(outTradeNo: string): Promise<{ status: number; body: { outcome?: string; code?: string; message?: string } }> {
  const response = await fetch(`${env.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo }) });
  return { status: response.status, body: await response.json() };
}

it('lets the buyer pay a trade that expired and closed under pay_after_expiry', async () => {
  const outTradeNo = uniqueNo('PAE');
  const name = uniqueNo('pae');
  await openTrade(outTradeNo, { timeoutExpress: '5m', notifyName: name });
  await env.clock.advance(5 * 60_000);
  expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
  const ruleId = await addFault(env.url, { match: { api: 'buyer', outTradeNo: `^${outTradeNo}$` }, fault: { type: 'pay_after_expiry' } });
  const mark = await journalMark(env.url);
  expect(await buyerPays(outTradeNo)).toMatchObject({ status: 200, body: { outcome: 'paid' } });
  expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
  await env.clock.advance(0);
  expect(merchant.notifications(name).map((arrival) => arrival.params.trade_status)).toEqual(['TRADE_CLOSED', 'TRADE_SUCCESS']);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'pay_after_expiry', api: 'buyer', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  const other = uniqueNo('PAE');
  await openTrade(other, { timeoutExpress: '5m' });
  await env.clock.advance(5 * 60_000);
  expect(await buyerPays(other)).toMatchObject({ status: 409, body: { code: 'NOT_PAYABLE' } });
  expect(await statusOf(other)).toBe('TRADE_CLOSED');
});

it('pays every open trade of the same amount and subject when the buyer pays one under pay_twice', async () => {
  const subject = uniqueNo('同一商品');
  const [first, second, unrelated] = [uniqueNo('PT'), uniqueNo('PT'), uniqueNo('PT')];
  await openTrade(first, { subject });
  await openTrade(second, { subject });
  await openTrade(unrelated, { subject, totalAmount: '25.01' });
  const ruleId = await addFault(env.url, { match: { api: 'buyer' }, fault: { type: 'pay_twice' } });
  const mark = await journalMark(env.url);
  expect(await buyerPays(first)).toMatchObject({ status: 200, body: { outcome: 'paid' } });
  expect([await statusOf(first), await statusOf(second), await statusOf(unrelated)]).toEqual(['TRADE_SUCCESS', 'TRADE_SUCCESS', 'WAIT_BUYER_PAY']);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'pay_twice', api: 'buyer', detail: first })]);

  await removeFault(env.url, ruleId);
  const [third, fourth] = [uniqueNo('PT'), uniqueNo('PT')];
  const otherSubject = uniqueNo('另一商品');
  await openTrade(third, { subject: otherSubject });
  await openTrade(fourth, { subject: otherSubject });
  expect(await buyerPays(third)).toMatchObject({ status: 200, body: { outcome: 'paid' } });
  expect([await statusOf(third), await statusOf(fourth)]).toEqual(['TRADE_SUCCESS', 'WAIT_BUYER_PAY']);
});

it('reports outcome abandoned and pays nothing under abandon', async () => {
  const outTradeNo = uniqueNo('ABN');
  const name = uniqueNo('abn');
  await openTrade(outTradeNo, { notifyName: name });
  const ruleId = await addFault(env.url, { match: { api: 'buyer' }, fault: { type: 'abandon' } });
  const mark = await journalMark(env.url);
  expect(await buyerPays(outTradeNo)).toMatchObject({ status: 200, body: { outcome: 'abandoned' } });
  await env.clock.advance(60_000);
  expect(await statusOf(outTradeNo)).toBe('WAIT_BUYER_PAY');
  expect(merchant.notifications(name)).toEqual([]);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'abandon', api: 'buyer', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  expect(await buyerPays(outTradeNo)).toMatchObject({ status: 200, body: { outcome: 'paid' } });
  expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
});

// Magic values: a developer triggers faults with no control API, by an amount from 4000.00 to 4999.99
// (its last two fen digits select the fault) or a `[paysim:<fault>]` tag in the subject, as a
// provider's test cards do. Any other amount is only an amount. PUT /_sim/faults/magic {enabled:false}
// turns them off, so the same amounts behave normally.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { faultEntries, journalMark, outcome, setMagicValues } from '../../support/fault-api.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, createOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let merchant: MerchantReceiver;
const minuteMs = 60_000;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  merchant = await startMerchantReceiver(() => env.clock.now());
});
afterEach(() => setMagicValues(env.url, true));
afterAll(async () => {
  await env.close();
  await merchant.close();
});

const exec = (method: string, bizContent: Record<string, unknown>, params: Record<string, string> = {}) => sdk.exec(method, { bizContent, ...params }, verified);

/** Pays `totalAmount` by barcode with notifications to `/notify/<name>` and runs the clock to the first attempt. */
async function pay(name: string, totalAmount: string, subject?: string): Promise<string> {
  const outTradeNo = uniqueNo('MG');
  const order = { ...barcodeOrder(outTradeNo, totalAmount), ...(subject ? { subject } : {}) };
  expect(await exec('alipay.trade.pay', order, { notifyUrl: merchant.notifyUrl(name) })).toMatchObject({ code: '10000', totalAmount });
  await env.clock.advance(0);
  return outTradeNo;
}

it('loses every notification of an amount of 4000.04', async () => {
  const mark = await journalMark(env.url);
  const name = uniqueNo('m04');
  const outTradeNo = await pay(name, '4000.04');
  await env.clock.advance(1_464 * minuteMs);
  expect(merchant.notifications(name)).toEqual([]);
  const fired = await faultEntries(env.url, mark);
  expect(fired).toHaveLength(8);
  expect(fired.every((entry) => entry.ruleId === 'magic:amount.04' && entry.faultType === 'drop' && entry.api === 'notify' && entry.detail === outTradeNo)).toBe(true);
});

it('delivers each notification of an amount of 4000.14 four times at once', async () => {
  const mark = await journalMark(env.url);
  const name = uniqueNo('m14');
  await pay(name, '4000.14');
  const arrivals = merchant.notifications(name);
  expect(arrivals).toHaveLength(4);
  expect(new Set(arrivals.map((arrival) => arrival.atMs)).size).toBe(1);
  expect(new Set(arrivals.map((arrival) => arrival.rawBody)).size).toBe(1);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: 'magic:amount.14', faultType: 'duplicate', api: 'notify' })]);
});

it('says total_amount 0.01 in a validly signed notification of an amount of 4000.24', async () => {
  const mark = await journalMark(env.url);
  const name = uniqueNo('m24');
  await pay(name, '4000.24');
  const [arrival] = merchant.notifications(name);
  expect(sdk.checkNotifySignV2(arrival!.params)).toBe(true);
  expect(arrival!.params.total_amount).toBe('0.01');
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: 'magic:amount.24', faultType: 'tamper_amount' })]);
});

it('forges the signature of the notification of an amount of 4000.34', async () => {
  const mark = await journalMark(env.url);
  const name = uniqueNo('m34');
  await pay(name, '4000.34');
  const [arrival] = merchant.notifications(name);
  expect(arrival!.params.total_amount).toBe('4000.34');
  expect(sdk.checkNotifySignV2(arrival!.params)).toBe(false);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: 'magic:amount.34', faultType: 'forge_signature' })]);
});

it('loses the response of a create for an amount of 4000.74, while the trade exists and queries still answer', async () => {
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('M74');
  const lost = await outcome(exec('alipay.trade.create', createOrder(outTradeNo, '4000.74')));
  expect(lost.ok).toBe(false);
  expect(lost.ok ? '' : lost.error.message).toMatch(/^HttpClient Request error/);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY', totalAmount: '4000.74' });
  // The SDK's own resend after the socket error was lost too.
  expect(await faultEntries(env.url, mark)).toEqual([0, 1].map(() => expect.objectContaining({ ruleId: 'magic:amount.74', faultType: 'response_lost', api: 'alipay.trade.create' })));
});

it('pays a closed trade of an amount of 4000.94 a moment after the close', async () => {
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('M94');
  await exec('alipay.trade.create', createOrder(outTradeNo, '4000.94'));
  await exec('alipay.trade.close', { outTradeNo });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_CLOSED' });
  await env.clock.advance(1_000);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: 'magic:amount.94', faultType: 'late_success', detail: outTradeNo })]);
});

it('forges the notification of 4999.34, the top of the magic range', async () => {
  const mark = await journalMark(env.url);
  const name = uniqueNo('mtop');
  await pay(name, '4999.34');
  expect(sdk.checkNotifySignV2(merchant.notifications(name)[0]!.params)).toBe(false);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: 'magic:amount.34', faultType: 'forge_signature' })]);
});

it('treats an amount outside 4000.00 to 4999.99 as only an amount, whatever its last two digits', async () => {
  const mark = await journalMark(env.url);
  const ordinary = ['12.34', '10.04', '3999.34', '5000.04', '14.14'];
  const names = ordinary.map(() => uniqueNo('plain'));
  for (const [index, amount] of ordinary.entries()) await pay(names[index]!, amount);
  await env.clock.advance(0);
  for (const [index, amount] of ordinary.entries()) {
    const arrivals = merchant.notifications(names[index]!);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.params.total_amount).toBe(amount);
    expect(sdk.checkNotifySignV2(arrivals[0]!.params)).toBe(true);
  }
  expect(await faultEntries(env.url, mark)).toEqual([]);
});

it('loses every notification of a trade whose subject carries [paysim:drop]', async () => {
  const mark = await journalMark(env.url);
  const name = uniqueNo('tag');
  await pay(name, '10.00', '咖啡 [paysim:drop]');
  await env.clock.advance(30 * minuteMs);
  expect(merchant.notifications(name)).toEqual([]);
  const fired = await faultEntries(env.url, mark);
  expect(fired.length).toBeGreaterThan(0);
  expect(fired.every((entry) => entry.ruleId === 'magic:subject.drop' && entry.faultType === 'drop')).toBe(true);
});

it('ignores magic amounts and subject tags after PUT /_sim/faults/magic {enabled:false}', async () => {
  await setMagicValues(env.url, false);
  expect(await (await fetch(`${env.url}/_sim/faults`)).json()).toMatchObject({ magicValues: false });
  const mark = await journalMark(env.url);

  const dropped = uniqueNo('off04');
  await pay(dropped, '4000.04');
  const tagged = uniqueNo('offtag');
  await pay(tagged, '10.00', '咖啡 [paysim:drop]');
  const doubled = uniqueNo('off14');
  await pay(doubled, '4000.14');
  const tampered = uniqueNo('off24');
  await pay(tampered, '4000.24');
  const forged = uniqueNo('off34');
  await pay(forged, '4000.34');
  expect([dropped, tagged, doubled, tampered, forged].map((name) => merchant.notifications(name).length)).toEqual([1, 1, 1, 1, 1]);
  expect(merchant.notifications(tampered)[0]!.params.total_amount).toBe('4000.24');
  expect(sdk.checkNotifySignV2(merchant.notifications(forged)[0]!.params)).toBe(true);

  const created = uniqueNo('OFF74');
  expect(await exec('alipay.trade.create', createOrder(created, '4000.74'))).toMatchObject({ code: '10000', outTradeNo: created });
  const closed = uniqueNo('OFF94');
  await exec('alipay.trade.create', createOrder(closed, '4000.94'));
  await exec('alipay.trade.close', { outTradeNo: closed });
  await env.clock.advance(60_000);
  expect(await exec('alipay.trade.query', { outTradeNo: closed })).toMatchObject({ tradeStatus: 'TRADE_CLOSED' });
  expect(await faultEntries(env.url, mark)).toEqual([]);
});

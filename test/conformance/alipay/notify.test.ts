// Asynchronous notifications (§3, §8): signed so that `checkNotifySignV2` accepts them, never with an
// empty value, resent on Alipay's schedule with the same notify_id until the merchant answers exactly
// `success`. Under the virtual clock the schedule is exact to the millisecond.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMerchantReceiver, type Arrival, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
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
afterAll(async () => {
  await env.close();
  await merchant.close();
});

const minuteMs = 60_000;
/** Offsets of the 8 attempts from the first: +0, 4m, 10m, 10m, 1h, 2h, 6h, 15h apart. */
const scheduleOffsetsMs = [0, 4, 14, 24, 84, 204, 564, 1464].map((minutes) => minutes * minuteMs);

interface StoredNotification {
  id: string;
  state: string;
  createdAtMs: number;
  attempts: { atMs: number; status?: number; responseBody?: string; acknowledged: boolean }[];
}

async function storedNotifications(): Promise<StoredNotification[]> {
  const response = await fetch(`${env.url}/_sim/notifications`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredNotification[];
}

/** Pays a barcode trade whose notifications go to `/notify/<name>`; returns when the first attempt has arrived. */
async function payWithNotify(name: string, totalAmount = '66.60'): Promise<{ outTradeNo: string; first: Arrival }> {
  const outTradeNo = uniqueNo('NT');
  const paid = await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, totalAmount), notifyUrl: merchant.notifyUrl(name) }, verified);
  expect(paid.code).toBe('10000');
  expect(merchant.notifications(name)).toHaveLength(0);
  await env.clock.advance(0);
  const [first] = merchant.notifications(name);
  expect(first).toBeDefined();
  return { outTradeNo, first: first! };
}

it('posts a form-urlencoded payment notify that passes checkNotifySignV2 and has no empty values', async () => {
  const name = uniqueNo('pay');
  const { outTradeNo, first } = await payWithNotify(name);
  expect(first.method).toBe('POST');
  expect(first.contentType).toMatch(/^application\/x-www-form-urlencoded/);
  expect(sdk.checkNotifySignV2(first.params)).toBe(true);
  expect(sdk.checkNotifySign(first.params)).toBe(true);
  expect(Object.entries(first.params).filter(([, value]) => value === '')).toEqual([]);
  expect(first.params).toMatchObject({
    notify_type: 'trade_status_sync', app_id: env.appId, auth_app_id: env.appId, charset: 'utf-8', version: '1.0', sign_type: 'RSA2',
    out_trade_no: outTradeNo, trade_status: 'TRADE_SUCCESS', total_amount: '66.60', receipt_amount: '66.60', buyer_pay_amount: '66.60',
  });
  expect(first.params.notify_id).toMatch(/^\d{34}$/);
  expect(first.params.buyer_id).toMatch(/^2088\d{12}$/);
  expect(JSON.parse(first.params.fund_bill_list!)).toEqual([{ amount: '66.60', fundChannel: 'ALIPAYACCOUNT' }]);
});

it('rejects a tampered notify in checkNotifySignV2, so the check above is meaningful', async () => {
  const name = uniqueNo('tamper');
  const { first } = await payWithNotify(name);
  expect(sdk.checkNotifySignV2({ ...first.params, total_amount: '0.01' })).toBe(false);
});

it('resends to a merchant that never answers success 8 times, at +0, 4m, 14m, 24m, 84m, 204m, 564m and 1464m', async () => {
  const name = uniqueNo('never');
  merchant.replyTo(name, () => 'fail');
  const { first } = await payWithNotify(name);
  const firstAtMs = first.atMs;

  await env.clock.advance(scheduleOffsetsMs.at(-1)! + 48 * 60 * minuteMs);

  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => arrival.atMs - firstAtMs)).toEqual(scheduleOffsetsMs);
  expect(new Set(arrivals.map((arrival) => arrival.params.notify_id)).size).toBe(1);
  expect(new Set(arrivals.map((arrival) => arrival.params.notify_time)).size).toBe(8);
  for (const arrival of arrivals) expect(sdk.checkNotifySignV2(arrival.params)).toBe(true);

  const stored = (await storedNotifications()).find((notification) => notification.id === first.params.notify_id)!;
  expect(stored.state).toBe('exhausted');
  expect(stored.attempts.map((attempt) => attempt.atMs - stored.createdAtMs)).toEqual(scheduleOffsetsMs);
  expect(stored.attempts.every((attempt) => attempt.status === 200 && attempt.responseBody === 'fail' && !attempt.acknowledged)).toBe(true);
});

it('stops resending once the merchant answers success', async () => {
  const name = uniqueNo('ack');
  const { first } = await payWithNotify(name);
  await env.clock.advance(scheduleOffsetsMs.at(-1)! + minuteMs);
  expect(merchant.notifications(name)).toHaveLength(1);
  const stored = (await storedNotifications()).find((notification) => notification.id === first.params.notify_id)!;
  expect(stored.state).toBe('acknowledged');
  expect(stored.attempts).toHaveLength(1);
});

it('stops at the attempt the merchant first answers success', async () => {
  const name = uniqueNo('late-ack');
  let answered = 0;
  merchant.replyTo(name, () => (++answered < 3 ? 'fail' : 'success'));
  const { first } = await payWithNotify(name);
  await env.clock.advance(scheduleOffsetsMs.at(-1)! + minuteMs);
  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => arrival.atMs - first.atMs)).toEqual(scheduleOffsetsMs.slice(0, 3));
});

it.each([
  ['SUCCESS', 'SUCCESS'],
  ['success with surrounding whitespace', ' success\n'],
  ['an HTML page saying success', '<html><body>success</body></html>'],
])('keeps resending when the merchant answers %s', async (_label, reply) => {
  const name = uniqueNo('nearly');
  merchant.replyTo(name, () => reply);
  const { first } = await payWithNotify(name);
  await env.clock.advance(scheduleOffsetsMs[2]!);
  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => arrival.atMs - first.atMs)).toEqual(scheduleOffsetsMs.slice(0, 3));
  expect(arrivals.every((arrival) => arrival.params.notify_id === first.params.notify_id)).toBe(true);
});

it('signs every notify of a trade lifecycle (payment, partial refund, full refund) and leaves no value empty', async () => {
  const name = uniqueNo('life');
  const { outTradeNo } = await payWithNotify(name, '30.00');
  await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '10.00', outRequestNo: 'P1' } }, verified);
  await env.clock.advance(env.sim.engine.config.refundDelayMs);
  await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '20.00', outRequestNo: 'P2' } }, verified);
  await env.clock.advance(env.sim.engine.config.refundDelayMs);

  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => [arrival.params.trade_status, arrival.params.out_biz_no, arrival.params.refund_fee])).toEqual([
    ['TRADE_SUCCESS', undefined, undefined],
    ['TRADE_SUCCESS', 'P1', '10.00'],
    ['TRADE_CLOSED', 'P2', '30.00'],
  ]);
  expect(new Set(arrivals.map((arrival) => arrival.params.notify_id)).size).toBe(3);
  for (const arrival of arrivals) {
    expect(sdk.checkNotifySignV2(arrival.params)).toBe(true);
    expect(Object.entries(arrival.params).filter(([, value]) => value === '')).toEqual([]);
  }
  expect(arrivals[2]!.params.gmt_close).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

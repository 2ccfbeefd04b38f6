// Notification faults, as the merchant's notify endpoint sees them on loopback and the stored attempts
// record them: drop, notify_delay, duplicate (concurrent copies), reorder, tamper_amount and
// tamper_identity (validly signed), forge_signature, and the trade-timeline faults late_success and early_notify.
import type { AlipaySdk } from 'alipay-sdk';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { addFault, clearFaults, faultEntries, journalMark, removeFault } from '../../support/fault-api.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, createOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let merchant: MerchantReceiver;

/** A notify attempt that is not answered within this real time fails; short, so a sequential "duplicate" would show. */
const notifyAttemptTimeoutMs = 2_000;
const minuteMs = 60_000;

beforeAll(async () => {
  env = await startSimulator({ engine: { notifyAttemptTimeoutMs } });
  sdk = alipaySdk(env.url);
  merchant = await startMerchantReceiver(() => env.clock.now());
});
afterEach(() => clearFaults(env.url));
afterAll(async () => {
  await env.close();
  await merchant.close();
});

const exec = (method: string, bizContent: Record<string, unknown>, notifyName?: string) =>
  sdk.exec(method, { bizContent, ...(notifyName ? { notifyUrl: merchant.notifyUrl(notifyName) } : {}) }, verified);

interface StoredNotification {
  id: string;
  kind: string;
  state: string;
  createdAtMs: number;
  attempts: { atMs: number; status?: number; error?: string; acknowledged: boolean; extra?: boolean }[];
}

async function storedNotification(notifyId: string): Promise<StoredNotification> {
  const all = (await (await fetch(`${env.url}/_sim/notifications`)).json()) as StoredNotification[];
  return all.find((notification) => notification.id === notifyId)!;
}

async function notificationsOfTrade(outTradeNo: string): Promise<StoredNotification[]> {
  const all = (await (await fetch(`${env.url}/_sim/notifications`)).json()) as (StoredNotification & { fields: Record<string, string> })[];
  return all.filter((notification) => notification.fields.out_trade_no === outTradeNo);
}

/** Pays a barcode trade whose notifications go to `/notify/<name>`, and runs the clock to the first attempt. */
async function pay(name: string, totalAmount = '66.60'): Promise<string> {
  const outTradeNo = uniqueNo('NF');
  expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo, totalAmount), name)).toMatchObject({ code: '10000' });
  await env.clock.advance(0);
  return outTradeNo;
}

it('drops every attempt under drop: nothing arrives, the stored attempts say dropped, the schedule runs out', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'drop' } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('drop');
  const outTradeNo = await pay(name);
  await env.clock.advance(1_464 * minuteMs);
  expect(merchant.notifications(name)).toEqual([]);
  const [stored] = await notificationsOfTrade(outTradeNo);
  expect(stored!.state).toBe('exhausted');
  expect(stored!.attempts.map((attempt) => [attempt.atMs - stored!.createdAtMs, attempt.error, attempt.acknowledged])).toEqual(
    [0, 4, 14, 24, 84, 204, 564, 1464].map((minutes) => [minutes * minuteMs, 'dropped by fault injection', false]),
  );
  const fired = await faultEntries(env.url, mark);
  expect(fired).toHaveLength(8);
  expect(fired.every((entry) => entry.ruleId === ruleId && entry.faultType === 'drop' && entry.api === 'notify' && entry.detail === outTradeNo)).toBe(true);

  await removeFault(env.url, ruleId);
  const healthy = uniqueNo('drop-off');
  const paidAfter = await pay(healthy);
  expect(merchant.notifications(healthy).map((arrival) => arrival.params.out_trade_no)).toEqual([paidAfter]);
});

it('drops only the first attempt under drop with timesMax 1: the second scheduled attempt arrives at +4m', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'drop' }, timesMax: 1 });
  const mark = await journalMark(env.url);
  const name = uniqueNo('drop1');
  const outTradeNo = await pay(name);
  const [stored] = await notificationsOfTrade(outTradeNo);
  expect(merchant.notifications(name)).toEqual([]);
  await env.clock.advance(4 * minuteMs - 1);
  expect(merchant.notifications(name)).toEqual([]);
  await env.clock.advance(1);
  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => [arrival.atMs - stored!.createdAtMs, arrival.params.out_trade_no, arrival.params.trade_status])).toEqual([[4 * minuteMs, outTradeNo, 'TRADE_SUCCESS']]);
  expect(sdk.checkNotifySignV2(arrivals[0]!.params)).toBe(true);
  expect((await storedNotification(arrivals[0]!.params.notify_id!)).attempts.map((attempt) => attempt.error ?? attempt.status)).toEqual(['dropped by fault injection', 200]);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'drop', api: 'notify' })]);
});

it('holds each attempt back by ms under notify_delay, without counting the wait as an attempt', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'notify_delay', ms: 90_000 } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('late');
  const outTradeNo = await pay(name);
  const [stored] = await notificationsOfTrade(outTradeNo);
  await env.clock.advance(90_000 - 1);
  expect(merchant.notifications(name)).toEqual([]);
  await env.clock.advance(1);
  expect(merchant.notifications(name).map((arrival) => arrival.atMs - stored!.createdAtMs)).toEqual([90_000]);
  const after = await storedNotification(stored!.id);
  expect(after).toMatchObject({ state: 'acknowledged' });
  expect(after.attempts).toHaveLength(1);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'notify_delay', api: 'notify', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  const prompt = uniqueNo('late-off');
  await pay(prompt);
  expect(merchant.notifications(prompt)).toHaveLength(1);
});

it('applies a drop decided together with a notify_delay when the delayed attempt goes out, firing each rule once', async () => {
  const delayId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'notify_delay', ms: 90_000 }, timesMax: 1 });
  const dropId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'drop' }, timesMax: 1 });
  const mark = await journalMark(env.url);
  const name = uniqueNo('late-drop');
  const outTradeNo = await pay(name);
  const [stored] = await notificationsOfTrade(outTradeNo);
  await env.clock.advance(4 * minuteMs);
  expect(merchant.notifications(name).map((arrival) => arrival.atMs - stored!.createdAtMs)).toEqual([4 * minuteMs]);
  const after = await storedNotification(stored!.id);
  expect(after.attempts.map((attempt) => [attempt.atMs - after.createdAtMs, attempt.error ?? attempt.status])).toEqual([
    [90_000, 'dropped by fault injection'],
    [4 * minuteMs, 200],
  ]);
  expect((await faultEntries(env.url, mark)).map((entry) => entry.ruleId)).toEqual([delayId, dropId]);
});

/** A notify endpoint that answers nobody until `expected` requests are open at once (then all get `success`). */
async function startBarrier(expected: number) {
  const waiting: ServerResponse[] = [];
  const seen = { maxOpen: 0, bodies: [] as string[] };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.bodies.push(body);
      waiting.push(response);
      seen.maxOpen = Math.max(seen.maxOpen, waiting.length);
      if (waiting.length === expected) for (const open of waiting.splice(0)) open.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

it('sends copies + 1 identical notifications at the same virtual instant, all in flight together, under duplicate', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'duplicate', copies: 2 } });
  const mark = await journalMark(env.url);
  const barrier = await startBarrier(3);
  try {
    const outTradeNo = uniqueNo('DUP');
    await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo), notifyUrl: barrier.url }, verified);
    await env.clock.advance(0);
    expect(barrier.seen.maxOpen).toBe(3);
    expect(new Set(barrier.seen.bodies).size).toBe(1);
    const params = Object.fromEntries(new URLSearchParams(barrier.seen.bodies[0]!));
    expect(params).toMatchObject({ out_trade_no: outTradeNo, trade_status: 'TRADE_SUCCESS' });
    expect(sdk.checkNotifySignV2(params)).toBe(true);
    const stored = await storedNotification(params.notify_id!);
    expect(stored.attempts.map((attempt) => [attempt.atMs - stored.createdAtMs, attempt.status, attempt.extra ?? false])).toEqual([
      [0, 200, false],
      [0, 200, true],
      [0, 200, true],
    ]);
    expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'duplicate', api: 'notify', detail: outTradeNo })]);
  } finally {
    await barrier.close();
  }

  await removeFault(env.url, ruleId);
  const single = uniqueNo('dup-off');
  await pay(single);
  expect(merchant.notifications(single)).toHaveLength(1);
});

it('delivers a trade\'s payment notify after its refund notify under reorder', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'reorder' } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('reorder');
  const outTradeNo = await pay(name, '30.00');
  expect(merchant.notifications(name)).toEqual([]);
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'RO1' });
  await env.clock.advance(env.sim.engine.config.refundDelayMs);
  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => [arrival.params.trade_status, arrival.params.out_biz_no ?? null, arrival.params.refund_fee ?? null])).toEqual([
    ['TRADE_SUCCESS', 'RO1', '10.00'],
    ['TRADE_SUCCESS', null, null],
  ]);
  expect(arrivals.every((arrival) => sdk.checkNotifySignV2(arrival.params))).toBe(true);
  expect((await faultEntries(env.url, mark))[0]).toMatchObject({ ruleId, faultType: 'reorder', api: 'notify', detail: outTradeNo });

  await removeFault(env.url, ruleId);
  const inOrder = uniqueNo('reorder-off');
  const other = await pay(inOrder, '30.00');
  await exec('alipay.trade.refund', { outTradeNo: other, refundAmount: '10.00', outRequestNo: 'RO1' });
  await env.clock.advance(env.sim.engine.config.refundDelayMs);
  expect(merchant.notifications(inOrder).map((arrival) => arrival.params.out_biz_no ?? null)).toEqual([null, 'RO1']);
});

it('releases a reordered notification after ten minutes when no other notification of the trade comes', async () => {
  await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'reorder' } });
  const name = uniqueNo('reorder-alone');
  await pay(name);
  await env.clock.advance(10 * minuteMs - 1);
  expect(merchant.notifications(name)).toEqual([]);
  await env.clock.advance(1);
  expect(merchant.notifications(name)).toHaveLength(1);
});

it('keeps the retry schedule of a released reordered notification when a later notification of the trade goes out', async () => {
  await addFault(env.url, { match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'reorder' }, timesMax: 1 });
  const name = uniqueNo('reorder-retry');
  merchant.replyTo(name, (arrival) => (arrival.params.out_biz_no ? 'success' : 'fail'));
  const outTradeNo = await pay(name, '30.00');
  const [stored] = await notificationsOfTrade(outTradeNo);
  await env.clock.advance(30 * minuteMs);
  await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'RR1' });
  await env.clock.advance(60 * minuteMs);
  const payArrivals = merchant.notifications(name).filter((arrival) => !arrival.params.out_biz_no);
  // Held until +10m; the retries then catch up with Alipay's schedule (+4m, +14m, +24m, +84m) and stay on it.
  expect(payArrivals.map((arrival) => (arrival.atMs - stored!.createdAtMs) / minuteMs)).toEqual([10, 10, 14, 24, 84]);
});

it('sends a validly signed notification whose total_amount is the tampered value under tamper_amount', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'tamper_amount', amount: '0.01' } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('tamper');
  const outTradeNo = await pay(name, '66.60');
  const [arrival] = merchant.notifications(name);
  expect(sdk.checkNotifySignV2(arrival!.params)).toBe(true);
  expect(arrival!.params).toMatchObject({ out_trade_no: outTradeNo, total_amount: '0.01', receipt_amount: '0.01', buyer_pay_amount: '0.01' });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ totalAmount: '66.60' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'tamper_amount', api: 'notify' })]);

  await removeFault(env.url, ruleId);
  const honest = uniqueNo('tamper-off');
  await pay(honest, '66.60');
  expect(merchant.notifications(honest)[0]!.params.total_amount).toBe('66.60');
});

it('sends a validly signed notification naming another app under tamper_identity, and the seller given', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'tamper_identity' } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('identity');
  const outTradeNo = await pay(name, '66.60');
  const [arrival] = merchant.notifications(name);
  expect(sdk.checkNotifySignV2(arrival!.params)).toBe(true);
  const appId = sdk.config.appId;
  // The last digit moved on by one: another app of the same shape; the amount is left as it is.
  const other = `${appId.slice(0, -1)}${(Number(appId.at(-1)) + 1) % 10}`;
  expect(arrival!.params).toMatchObject({ out_trade_no: outTradeNo, app_id: other, total_amount: '66.60' });
  expect(arrival!.params.app_id).not.toBe(appId);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'tamper_identity', api: 'notify' })]);
  await removeFault(env.url, ruleId);

  const sellerRule = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'tamper_identity', appId: '2021000000000001', sellerId: '2088000000000001' } });
  const named = uniqueNo('identity-named');
  await pay(named, '66.60');
  const [namedArrival] = merchant.notifications(named);
  expect(sdk.checkNotifySignV2(namedArrival!.params)).toBe(true);
  expect(namedArrival!.params).toMatchObject({ app_id: '2021000000000001', auth_app_id: '2021000000000001', seller_id: '2088000000000001' });
  await removeFault(env.url, sellerRule);

  const honest = uniqueNo('identity-off');
  await pay(honest, '66.60');
  expect(merchant.notifications(honest)[0]!.params.app_id).toBe(appId);
});

it('signs the notification with a key the merchant does not trust under forge_signature', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'forge_signature' } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('forge');
  const outTradeNo = await pay(name, '66.60');
  const [arrival] = merchant.notifications(name);
  expect(arrival!.params).toMatchObject({ out_trade_no: outTradeNo, total_amount: '66.60', trade_status: 'TRADE_SUCCESS', sign_type: 'RSA2' });
  expect(sdk.checkNotifySignV2(arrival!.params)).toBe(false);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'forge_signature', api: 'notify' })]);

  await removeFault(env.url, ruleId);
  const genuine = uniqueNo('forge-off');
  await pay(genuine);
  expect(sdk.checkNotifySignV2(merchant.notifications(genuine)[0]!.params)).toBe(true);
});

it('pays a trade after the merchant closed it under late_success, and notifies TRADE_SUCCESS after TRADE_CLOSED', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'late_success', ms: 5_000 } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('late-success');
  const outTradeNo = uniqueNo('LS');
  await exec('alipay.trade.create', createOrder(outTradeNo, '12.00'), name);
  expect(await exec('alipay.trade.close', { outTradeNo })).toMatchObject({ code: '10000', outTradeNo });
  await env.clock.advance(4_999);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_CLOSED' });
  await env.clock.advance(1);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', totalAmount: '12.00' });
  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => arrival.params.trade_status)).toEqual(['TRADE_CLOSED', 'TRADE_SUCCESS']);
  expect(arrivals.every((arrival) => sdk.checkNotifySignV2(arrival.params))).toBe(true);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'late_success', api: 'notify', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  const stays = uniqueNo('LS');
  await exec('alipay.trade.create', createOrder(stays, '12.00'));
  await exec('alipay.trade.close', { outTradeNo: stays });
  await env.clock.advance(60_000);
  expect(await exec('alipay.trade.query', { outTradeNo: stays })).toMatchObject({ tradeStatus: 'TRADE_CLOSED' });
});

it('delivers the payment notify while alipay.trade.query still says WAIT_BUYER_PAY under early_notify, until the lag passes', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'notify' }, fault: { type: 'early_notify', ms: 30_000 } });
  const mark = await journalMark(env.url);
  const name = uniqueNo('early');
  const outTradeNo = uniqueNo('EN');
  await exec('alipay.trade.create', createOrder(outTradeNo, '15.00'), name);
  const paid = await fetch(`${env.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo }) });
  expect(paid.status).toBe(200);
  await env.clock.advance(0);
  expect(merchant.notifications(name).map((arrival) => arrival.params.trade_status)).toEqual(['TRADE_SUCCESS']);
  const early = await exec('alipay.trade.query', { outTradeNo });
  expect(early).toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY' });
  expect(early).not.toHaveProperty('buyerLogonId');
  await env.clock.advance(30_000 - 1);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY' });
  await env.clock.advance(1);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'early_notify', api: 'notify', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  const prompt = uniqueNo('EN');
  await exec('alipay.trade.create', createOrder(prompt, '15.00'));
  await fetch(`${env.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo: prompt }) });
  expect(await exec('alipay.trade.query', { outTradeNo: prompt })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
});

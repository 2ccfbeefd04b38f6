// The core's WeChat Pay connector against the real simulator on loopback: the connector runs the
// official wechatpay-axios-plugin, the simulator is the other side's independent implementation. What a
// connector must never do: believe an answer that does not verify, read a failure as a refusal, or hand
// reconciliation a bill whose hash does not match; and its bill rows must be the day's payments.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChannelUnavailableError, type Channel, type CreatePaymentRequest } from '../../../core/connectors/channel.ts';
import { createWechatpayChannel, readWechatpayBill, WechatpayRequestRefusedError } from '../../../core/connectors/wechatpay/index.ts';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { connectorOptionsFor } from '../../../scenarios/harness/connect.ts';
import type { WechatpayConnectorOptions } from '../../../core/connectors/wechatpay/index.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { uniqueNo } from '../../support/orders.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let options: WechatpayConnectorOptions;
let wechat: Channel;

beforeAll(async () => {
  env = await startSimulator();
  options = connectorOptionsFor(env.sim, { timeoutMs: 1_500 }).wechatpay as WechatpayConnectorOptions;
  wechat = createWechatpayChannel(options);
});
afterAll(async () => {
  await env.close();
});

function order(overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
  return {
    paymentNo: uniqueNo('P'),
    method: 'wechatpay.native',
    amountFen: 8880,
    subject: '连接器测试订单',
    expiresAtMs: env.clock.now() + 30 * 60_000,
    notifyUrl: 'http://127.0.0.1:9/notify/wechatpay',
    ...overrides,
  };
}

async function buyerPays(paymentNo: string): Promise<void> {
  const response = await fetch(`${env.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'wechatpay', outTradeNo: paymentNo }) });
  expect(response.status).toBe(200);
}

it('creates, queries and refunds an order, every answer verified by the SDK', async () => {
  const request = order();
  expect(await wechat.createPayment(request)).toMatchObject({ kind: 'created', qrCode: expect.any(String) });
  expect(await wechat.queryPayment(request.paymentNo)).toEqual({ kind: 'waiting' });
  await buyerPays(request.paymentNo);
  const paid = await wechat.queryPayment(request.paymentNo);
  expect(paid).toMatchObject({ kind: 'paid', amountFen: 8880, channelTradeNo: expect.stringMatching(/^42000\d{23}$/) });
  const refundNo = uniqueNo('R');
  expect(await wechat.refund({ paymentNo: request.paymentNo, refundNo, amountFen: 1000, paymentAmountFen: 8880 })).toEqual({ kind: 'accepted' });
  expect(await wechat.queryRefund(request.paymentNo, refundNo)).toEqual({ kind: 'processing' });
  await env.clock.advance(5_000);
  expect(await wechat.queryRefund(request.paymentNo, refundNo)).toMatchObject({ kind: 'succeeded', amountFen: 1000 });
  expect(await wechat.queryPayment(request.paymentNo)).toMatchObject({ kind: 'paid', amountFen: 8880 });
});

it('does not believe an answer whose signature does not verify: outcome unknown', async () => {
  const request = order();
  await wechat.createPayment(request);
  const rule = env.sim.engine.faults.add({ match: { channel: 'wechatpay', api: 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}' }, fault: { type: 'bad_signature' }, timesMax: 1 });
  const failure = await wechat.queryPayment(request.paymentNo).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ChannelUnavailableError);
  expect((failure as Error).message).toMatch(/EV3_RES_HEADER_SIGNATURE_DIGEST/);
  env.sim.engine.faults.remove(rule.id);
});

it('reads a 5xx, a reset and a hang as unknown outcomes, never as refusals', async () => {
  const request = order();
  await wechat.createPayment(request);
  for (const fault of [{ type: 'http_error', status: 502 }, { type: 'reset' }, { type: 'hang' }] as const) {
    const rule = env.sim.engine.faults.add({ match: { channel: 'wechatpay', api: 'POST /v3/refund/domestic/refunds' }, fault, timesMax: 1 });
    await expect(wechat.refund({ paymentNo: request.paymentNo, refundNo: uniqueNo('R'), amountFen: 100, paymentAmountFen: 8880 })).rejects.toBeInstanceOf(ChannelUnavailableError);
    env.sim.engine.faults.remove(rule.id);
  }
});

it('names a request refused for its signature (another private key) as a misconfiguration', async () => {
  const foreign = createWechatpayChannel({ ...options, privateKeyPem: fixtureKeys.rogue.privateKeyPem });
  const failure = await foreign.queryPayment(uniqueNo('P')).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WechatpayRequestRefusedError);
  expect((failure as Error).message).toMatch(/HTTP 401 SIGN_ERROR.*check mchid, merchantSerialNo and privateKeyPem/);
});

it("downloads a finished day's bill, checks its SHA1, and reads it as that day's payment and refund rows", async () => {
  const paid = order({ amountFen: 6660 });
  await wechat.createPayment(paid);
  await buyerPays(paid.paymentNo);
  const refundNo = uniqueNo('R');
  await wechat.refund({ paymentNo: paid.paymentNo, refundNo, amountFen: 660, paymentAmountFen: 6660 });
  await env.clock.advance(5_000);
  const billDate = formatBeijingDate(env.clock.now());
  expect(await wechat.downloadBill(billDate)).toEqual({ kind: 'notReady' });

  await env.clock.advance(24 * 60 * 60_000); // the day is over and its bill made (T+1)
  const bill = await wechat.downloadBill(billDate);
  if (bill.kind !== 'ready') throw new Error(`expected the bill, got ${bill.kind}`);
  expect(bill.file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const rows = [];
  for await (const batch of readWechatpayBill(bill.file)) rows.push(...batch);
  expect(rows.filter((row) => row.paymentNo === paid.paymentNo)).toEqual([
    expect.objectContaining({ kind: 'payment', amountFen: 6660, channelTradeNo: expect.stringMatching(/^42000/) }),
    expect.objectContaining({ kind: 'refund', refundNo, amountFen: 660 }),
  ]);

  // A corrupt file keeps the true hash (as WeChat's would): the connector does not hand it on.
  env.sim.engine.faults.add({ match: { channel: 'wechatpay', api: 'bill' }, fault: { type: 'bill_corrupt' } });
  const nextDate = formatBeijingDate(env.clock.now());
  const nextDay = order();
  await wechat.createPayment(nextDay);
  await buyerPays(nextDay.paymentNo);
  await env.clock.advance(24 * 60 * 60_000);
  const corrupt = await wechat.downloadBill(nextDate).catch((error: unknown) => error);
  expect(corrupt).toBeInstanceOf(ChannelUnavailableError);
  expect((corrupt as Error).message).toMatch(/SHA1|does not decompress/);
});

// The core's Alipay connector against the real simulator on loopback: the connector is built on the
// official alipay-sdk, the simulator is the other side's independent implementation, and the buyer
// pays through the simulator's control API. Virtual time drives notifications and refunds.
// alipay.test.ts runs it with the SDK in the event loop, alipay-sdk-thread.test.ts with the SDK's
// signing calls on the SDK thread (the `sdkThread` option): the same tests, both ways.
import { createSign, createVerify, KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChannelUnavailableError, type Channel, type CreatePaymentRequest } from '../../../core/connectors/channel.ts';
import { AlipayRequestRefusedError, createAlipayChannel, type AlipayConnectorOptions } from '../../../core/connectors/alipay/index.ts';
import { resolveOptions } from '../../../core/connectors/alipay/options.ts';
import { createSdk } from '../../../core/connectors/alipay/sdk.ts';
import type { PayMethod } from '../../../core/domain/routing.ts';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { readBillZip } from '../../support/bill-zip.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { startMerchantReceiver, type Arrival, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { uniqueNo } from '../../support/orders.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

export function alipayConnectorTests(sdkThread: boolean): void {
  let env: RunningSimulator;
  let merchant: MerchantReceiver;
  let alipay: Channel;
  let sellerId: string;

  const minuteMs = 60_000;

  function connectorOptions(overrides: Partial<AlipayConnectorOptions> = {}): AlipayConnectorOptions {
    return {
      appId: env.appId,
      privateKeyPem: fixtureKeys.merchant.privateKeyPem,
      alipayPublicKeyPem: fixtureKeys.channel.publicKeyPem,
      gatewayUrl: `${env.url}/gateway.do`,
      endpoint: env.url,
      sellerId,
      ...(sdkThread ? { sdkThread } : {}),
      ...overrides,
    };
  }

  beforeAll(async () => {
    env = await startSimulator();
    merchant = await startMerchantReceiver(() => env.clock.now());
    sellerId = env.sim.engine.apps.get('alipay', env.appId)!.sellerId;
    alipay = createAlipayChannel(connectorOptions());
  });
  afterAll(async () => {
    await env.close();
    await merchant.close();
  });

  function paymentRequest(method: PayMethod, overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
    const paymentNo = overrides.paymentNo ?? uniqueNo('P');
    return {
      paymentNo,
      method,
      amountFen: 8880,
      subject: '连接器测试订单',
      expiresAtMs: env.clock.now() + 30 * minuteMs,
      notifyUrl: merchant.notifyUrl(paymentNo),
      returnUrl: merchant.returnUrl(paymentNo),
      quitUrl: `${merchant.url}/quit/${paymentNo}`,
      ...overrides,
    };
  }

  async function buyerPays(paymentNo: string): Promise<void> {
    const response = await fetch(`${env.url}/_sim/buyer/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'alipay', outTradeNo: paymentNo }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  /** A QR payment, created and paid; its notifications go to the receiver's `/notify/<paymentNo>`. */
  async function paidPayment(amountFen = 10_000): Promise<string> {
    const request = paymentRequest('alipay.qr', { amountFen });
    expect((await alipay.createPayment(request)).kind).toBe('created');
    await buyerPays(request.paymentNo);
    return request.paymentNo;
  }

  /** The first notification that reached the receiver for this payment, after time moved on. */
  async function firstNotification(paymentNo: string): Promise<Arrival> {
    await env.clock.advance(0);
    const [arrival] = merchant.notifications(paymentNo);
    expect(arrival, `no notification arrived for ${paymentNo}`).toBeDefined();
    return arrival!;
  }

  const incoming = (arrival: Arrival, rawBody = arrival.rawBody) => ({ headers: { 'content-type': arrival.contentType ?? '' }, rawBody, receivedAtMs: 0 });

  function simTrade(paymentNo: string) {
    return env.sim.engine.trades.find('alipay', env.appId, { outTradeNo: paymentNo });
  }

  /** A port nothing listens on: bound once, then closed. */
  async function closedPortUrl(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
  }

  /** Signs notification params the way Alipay does (sorted, without sign and sign_type, RSA-SHA256). */
  function signedForm(params: Record<string, string>, privateKeyPem: string): string {
    const { sign: _sign, sign_type: _signType, ...rest } = params;
    const content = Object.keys(rest).sort().map((name) => `${name}=${rest[name]}`).join('&');
    const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
    return new URLSearchParams({ ...rest, sign, sign_type: 'RSA2' }).toString();
  }

  // ---- create and query ----------------------------------------------------------------------------

  it('creates a QR payment with precreate and returns the code the buyer scans', async () => {
    const request = paymentRequest('alipay.qr');
    const created = await alipay.createPayment(request);
    expect(created).toEqual({ kind: 'created', qrCode: expect.stringMatching(/\/cashier\/\S+$/) });
  });

  it('reports notFound for a QR payment nobody has scanned, as Alipay has no trade until then', async () => {
    const request = paymentRequest('alipay.qr');
    await alipay.createPayment(request);
    expect(await alipay.queryPayment(request.paymentNo)).toEqual({ kind: 'notFound' });
  });

  it('reports waiting once the buyer has scanned the code but not paid', async () => {
    const request = paymentRequest('alipay.qr');
    const created = await alipay.createPayment(request);
    if (created.kind !== 'created') throw new Error('expected created');
    expect((await fetch(created.qrCode!)).status).toBe(200);
    expect(await alipay.queryPayment(request.paymentNo)).toEqual({ kind: 'waiting' });
  });

  it('sends time_expire in Beijing time, so the channel stops taking money when the order expires', async () => {
    const expiresAtMs = Math.floor(env.clock.now() / 1000) * 1000 + 17 * minuteMs;
    const request = paymentRequest('alipay.qr', { expiresAtMs });
    await alipay.createPayment(request);
    expect(simTrade(request.paymentNo)?.expiresAtMs).toBe(expiresAtMs);
  });

  it.each([
    ['alipay.page', 'alipay.trade.page.pay', 'FAST_INSTANT_TRADE_PAY'],
    ['alipay.wap', 'alipay.trade.wap.pay', 'QUICK_WAP_WAY'],
  ] as const)('signs a %s URL that the gateway accepts and that opens the cashier', async (method, alipayMethod, productCode) => {
    const request = paymentRequest(method, { amountFen: 1234 });
    const created = await alipay.createPayment(request);
    if (created.kind !== 'created' || !created.payUrl) throw new Error(`expected a pay URL, got ${JSON.stringify(created)}`);
    const url = new URL(created.payUrl);
    expect(url.searchParams.get('method')).toBe(alipayMethod);
    expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({ out_trade_no: request.paymentNo, total_amount: '12.34', product_code: productCode });
    // pageExec made no HTTP call: the trade appears only when the browser opens the URL.
    expect(await alipay.queryPayment(request.paymentNo)).toEqual({ kind: 'notFound' });

    const opened = await fetch(created.payUrl, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toMatch(/^\/cashier\//);
    expect(await alipay.queryPayment(request.paymentNo)).toEqual({ kind: 'waiting' });
    const trade = simTrade(request.paymentNo)!;
    expect(trade.returnUrl).toBe(request.returnUrl);
    expect(trade.notifyUrl).toBe(request.notifyUrl);
    if (method === 'alipay.wap') expect(trade.quitUrl).toBe(request.quitUrl);
  });

  it('reports paid with the trade number, amount in fen, payment time and buyer once the buyer pays', async () => {
    const paymentNo = await paidPayment(6660);
    const trade = simTrade(paymentNo)!;
    const status = await alipay.queryPayment(paymentNo);
    expect(status).toEqual({ kind: 'paid', channelTradeNo: trade.tradeNo, amountFen: 6660, paidAtMs: expect.any(Number), buyerId: trade.buyer!.id });
    // send_pay_date has whole seconds: the payment time is the channel's, to the second.
    if (status.kind === 'paid') expect(status.paidAtMs).toBe(Math.floor(env.clock.now() / 1000) * 1000);
  });

  it('rejects creating a payment again after it was paid with ACQ.TRADE_HAS_SUCCESS', async () => {
    const paymentNo = await paidPayment(500);
    expect(await alipay.createPayment(paymentRequest('alipay.qr', { paymentNo, amountFen: 500 }))).toMatchObject({ kind: 'rejected', code: 'ACQ.TRADE_HAS_SUCCESS' });
  });

  it('rejects reusing a payment number for a different amount with ACQ.CONTEXT_INCONSISTENT', async () => {
    const request = paymentRequest('alipay.qr', { amountFen: 700 });
    await alipay.createPayment(request);
    expect(await alipay.createPayment({ ...request, amountFen: 701 })).toMatchObject({ kind: 'rejected', code: 'ACQ.CONTEXT_INCONSISTENT' });
  });

  it('answers created again for an identical retry of the same payment, so a retry after a timeout is safe', async () => {
    const request = paymentRequest('alipay.qr');
    await alipay.createPayment(request);
    expect(await alipay.createPayment(request)).toMatchObject({ kind: 'created' });
  });

  // ---- close ---------------------------------------------------------------------------------------

  it('closes a waiting payment, after which query reports closed and unpaid', async () => {
    const request = paymentRequest('alipay.qr');
    const created = await alipay.createPayment(request);
    if (created.kind === 'created') await fetch(created.qrCode!);
    expect(await alipay.closePayment(request.paymentNo)).toEqual({ kind: 'closed' });
    expect(await alipay.queryPayment(request.paymentNo)).toMatchObject({ kind: 'closed', wasPaid: false });
  });

  it('reports notFound when closing a payment the buyer never opened', async () => {
    const request = paymentRequest('alipay.qr');
    await alipay.createPayment(request);
    expect(await alipay.closePayment(request.paymentNo)).toEqual({ kind: 'notFound' });
  });

  it('reports alreadyPaid when closing a paid payment, never closed', async () => {
    const paymentNo = await paidPayment();
    expect(await alipay.closePayment(paymentNo)).toEqual({ kind: 'alreadyPaid' });
  });

  it('reports closed again when closing a payment that is already closed unpaid', async () => {
    const request = paymentRequest('alipay.qr');
    const created = await alipay.createPayment(request);
    if (created.kind === 'created') await fetch(created.qrCode!);
    await alipay.closePayment(request.paymentNo);
    expect(await alipay.closePayment(request.paymentNo)).toEqual({ kind: 'closed' });
  });

  // ---- refunds -------------------------------------------------------------------------------------

  it('accepts a refund, reports it processing, then succeeded after the channel completes it', async () => {
    const paymentNo = await paidPayment(10_000);
    const refundNo = uniqueNo('R');
    expect(await alipay.refund({ paymentNo, refundNo, amountFen: 3_000, reason: '退货' })).toEqual({ kind: 'accepted' });
    expect(await alipay.queryRefund(paymentNo, refundNo)).toEqual({ kind: 'processing' });
    await env.clock.advance(env.sim.engine.config.refundDelayMs);
    const done = await alipay.queryRefund(paymentNo, refundNo);
    expect(done).toEqual({ kind: 'succeeded', amountFen: 3_000, succeededAtMs: expect.any(Number) });
    expect(await alipay.queryPayment(paymentNo)).toMatchObject({ kind: 'paid', amountFen: 10_000 });
  });

  it('accepts a replay of the same refund number and amount without refunding twice', async () => {
    const paymentNo = await paidPayment(5_000);
    const refundNo = uniqueNo('R');
    await alipay.refund({ paymentNo, refundNo, amountFen: 1_000 });
    expect(await alipay.refund({ paymentNo, refundNo, amountFen: 1_000 })).toEqual({ kind: 'accepted' });
    expect(simTrade(paymentNo)!.refundAcceptedFen).toBe(1_000);
  });

  it('rejects a refund over the paid amount with ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', async () => {
    const paymentNo = await paidPayment(500);
    expect(await alipay.refund({ paymentNo, refundNo: uniqueNo('R'), amountFen: 501 })).toMatchObject({ kind: 'rejected', code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
  });

  it('rejects the same refund number with a different amount with ACQ.DISCORDANT_REPEAT_REQUEST', async () => {
    const paymentNo = await paidPayment(5_000);
    const refundNo = uniqueNo('R');
    await alipay.refund({ paymentNo, refundNo, amountFen: 1_000 });
    expect(await alipay.refund({ paymentNo, refundNo, amountFen: 1_100 })).toMatchObject({ kind: 'rejected', code: 'ACQ.DISCORDANT_REPEAT_REQUEST' });
  });

  it('rejects refunding a payment that was never paid', async () => {
    const request = paymentRequest('alipay.qr');
    const created = await alipay.createPayment(request);
    if (created.kind === 'created') await fetch(created.qrCode!);
    expect(await alipay.refund({ paymentNo: request.paymentNo, refundNo: uniqueNo('R'), amountFen: 100 })).toMatchObject({ kind: 'rejected', code: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('reports notFound for a refund number the channel never saw, and for a payment it does not know', async () => {
    const paymentNo = await paidPayment();
    expect(await alipay.queryRefund(paymentNo, uniqueNo('R'))).toEqual({ kind: 'notFound' });
    expect(await alipay.queryRefund(uniqueNo('NOPE'), uniqueNo('R'))).toEqual({ kind: 'notFound' });
  });

  it('reports a fully refunded payment as closed and paid', async () => {
    const paymentNo = await paidPayment(2_000);
    await alipay.refund({ paymentNo, refundNo: uniqueNo('R'), amountFen: 2_000 });
    await env.clock.advance(env.sim.engine.config.refundDelayMs);
    expect(await alipay.queryPayment(paymentNo)).toMatchObject({ kind: 'closed', wasPaid: true, amountFen: 2_000 });
    expect(await alipay.closePayment(paymentNo)).toEqual({ kind: 'alreadyPaid' });
  });

  // ---- notifications -------------------------------------------------------------------------------

  it('parses and verifies a real payment notification from the simulator', async () => {
    const paymentNo = await paidPayment(6_660);
    const arrival = await firstNotification(paymentNo);
    const trade = simTrade(paymentNo)!;
    expect(await alipay.verifyNotification(incoming(arrival))).toEqual({
      kind: 'payment',
      paymentNo,
      channelTradeNo: trade.tradeNo,
      appId: env.appId,
      sellerId,
      amountFen: 6_660,
      notificationId: arrival.params.notify_id,
      status: { kind: 'paid', channelTradeNo: trade.tradeNo, amountFen: 6_660, paidAtMs: expect.any(Number), buyerId: trade.buyer!.id },
    });
  });

  it('parses a refund notification as the cumulative refunded amount of that refund number', async () => {
    const paymentNo = await paidPayment(3_000);
    const refundNo = uniqueNo('R');
    await alipay.refund({ paymentNo, refundNo, amountFen: 1_000 });
    await env.clock.advance(env.sim.engine.config.refundDelayMs);
    const refundArrival = merchant.notifications(paymentNo).find((arrival) => arrival.params.out_biz_no === refundNo);
    expect(refundArrival).toBeDefined();
    expect(await alipay.verifyNotification(incoming(refundArrival!))).toEqual({
      kind: 'refund', paymentNo, refundNo, appId: env.appId, sellerId, refundedTotalFen: 1_000, notificationId: refundArrival!.params.notify_id,
    });
  });

  it('answers exactly "success" as text/plain with status 200', () => {
    expect(alipay.notifyReply('acknowledged')).toEqual({ status: 200, body: 'success', contentType: 'text/plain' });
  });

  it('finds a notification with one byte changed invalid, naming the payment to query', async () => {
    const paymentNo = await paidPayment(6_660);
    const arrival = await firstNotification(paymentNo);
    const tampered = arrival.rawBody.replace('total_amount=66.60', 'total_amount=66.61');
    expect(tampered).not.toBe(arrival.rawBody);
    expect(await alipay.verifyNotification(incoming(arrival, tampered))).toMatchObject({ kind: 'invalid', paymentNo, reason: expect.stringMatching(/signature/) });
  });

  it('finds a notification signed with a rogue key invalid, while the same fields signed with the channel key verify', async () => {
    const paymentNo = await paidPayment();
    const arrival = await firstNotification(paymentNo);
    const rogue = signedForm(arrival.params, fixtureKeys.rogue.privateKeyPem);
    const genuine = signedForm(arrival.params, fixtureKeys.channel.privateKeyPem);
    expect(await alipay.verifyNotification(incoming(arrival, rogue))).toMatchObject({ kind: 'invalid', paymentNo });
    expect(await alipay.verifyNotification(incoming(arrival, genuine))).toMatchObject({ kind: 'payment', paymentNo });
  });

  it('finds a verified notification with a malformed amount invalid rather than guessing', async () => {
    const paymentNo = await paidPayment();
    const arrival = await firstNotification(paymentNo);
    const malformed = signedForm({ ...arrival.params, total_amount: '1e3' }, fixtureKeys.channel.privateKeyPem);
    expect(await alipay.verifyNotification(incoming(arrival, malformed))).toMatchObject({ kind: 'invalid', paymentNo, reason: expect.stringMatching(/total_amount/) });
  });

  it.each([
    ['an empty body', ''],
    ['a body without sign', 'out_trade_no=P1&trade_status=TRADE_SUCCESS&total_amount=1.00'],
    ['a JSON body', '{"out_trade_no":"P1"}'],
    ['a body with a stray percent sign', 'out_trade_no=P1&sign=%zz&total_amount=1.00'],
  ])('finds %s invalid without throwing', async (_label, body) => {
    expect(await alipay.verifyNotification({ headers: {}, rawBody: body, receivedAtMs: 0 })).toMatchObject({ kind: 'invalid' });
  });

  it('finds a notification invalid when a parameter appears twice', async () => {
    const paymentNo = await paidPayment();
    const arrival = await firstNotification(paymentNo);
    expect(await alipay.verifyNotification(incoming(arrival, `${arrival.rawBody}&total_amount=0.01`))).toMatchObject({ kind: 'invalid' });
  });

  // ---- failures that leave the outcome unknown -----------------------------------------------------

  it('throws ChannelUnavailableError when nothing listens at the gateway', async () => {
    const deadUrl = await closedPortUrl();
    const dead = createAlipayChannel(connectorOptions({ gatewayUrl: `${deadUrl}/gateway.do`, endpoint: deadUrl, timeoutMs: 1_000 }));
    await expect(dead.queryPayment('P1')).rejects.toBeInstanceOf(ChannelUnavailableError);
    await expect(dead.createPayment(paymentRequest('alipay.qr'))).rejects.toBeInstanceOf(ChannelUnavailableError);
    await expect(dead.refund({ paymentNo: 'P1', refundNo: 'R1', amountFen: 100 })).rejects.toBeInstanceOf(ChannelUnavailableError);
  });

  it('throws ChannelUnavailableError when an answer is signed by someone other than the configured Alipay key', async () => {
    const misled = createAlipayChannel(connectorOptions({ alipayPublicKeyPem: fixtureKeys.rogue.publicKeyPem }));
    await expect(misled.queryPayment(uniqueNo('P'))).rejects.toThrow(ChannelUnavailableError);
  });

  it('throws AlipayRequestRefusedError (a ChannelUnavailableError) naming isv.invalid-signature when our private key is wrong', async () => {
    const wrongKey = createAlipayChannel(connectorOptions({ privateKeyPem: fixtureKeys.rogue.privateKeyPem }));
    const failure = await wrongKey.queryPayment(uniqueNo('P')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AlipayRequestRefusedError);
    expect(failure).toBeInstanceOf(ChannelUnavailableError);
    expect((failure as AlipayRequestRefusedError).subCode).toBe('isv.invalid-signature');
    expect((failure as Error).message).toMatch(/misconfiguration/);
  });

  it('refuses to be built with a PKCS#8 private key or a malformed gateway URL, naming the option', () => {
    expect(() => createAlipayChannel(connectorOptions({ privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }))).toThrow(/privateKeyPem/);
    expect(() => createAlipayChannel(connectorOptions({ gatewayUrl: 'not a url' }))).toThrow(/gatewayUrl/);
    expect(() => createAlipayChannel(connectorOptions({ timeoutMs: 0 }))).toThrow(/timeoutMs/);
  });

  it('throws ChannelUnavailableError when the query answer carries a bad signature', async () => {
    const paymentNo = await paidPayment();
    env.sim.engine.faults.add({ match: { api: 'alipay.trade.query', outTradeNo: paymentNo }, fault: { type: 'bad_signature' }, timesMax: 1 });
    await expect(alipay.queryPayment(paymentNo)).rejects.toThrow(ChannelUnavailableError);
    expect(await alipay.queryPayment(paymentNo)).toMatchObject({ kind: 'paid' });
  });

  it.each([
    ['HTTP 502', { type: 'http_error', status: 502 }, /HTTP/],
    ['a malformed body', { type: 'malformed_body' }, /./],
    ['a connection reset', { type: 'reset' }, /./],
    ['20000 isp.unknow-error', { type: 'business_error', code: 'isp.unknow-error' }, /isp\.unknow-error/],
    ['40004 ACQ.SYSTEM_ERROR', { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' }, /ACQ\.SYSTEM_ERROR/],
    ['40005 rate limiting', { type: 'rate_limit' }, /rate limited/],
  ] as const)('throws ChannelUnavailableError for %s, never reading it as an answer', async (_label, fault, reason) => {
    const paymentNo = await paidPayment();
    // Twice: urllib under the SDK resends once by itself after a socket error (socketErrorRetry 1).
    env.sim.engine.faults.add({ match: { api: 'alipay.trade.query', outTradeNo: paymentNo }, fault, timesMax: 2 });
    const failure = await alipay.queryPayment(paymentNo).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ChannelUnavailableError);
    expect((failure as ChannelUnavailableError).reason).toMatch(reason);
  });

  it('throws ChannelUnavailableError when the gateway hangs past timeoutMs', async () => {
    const paymentNo = await paidPayment();
    const impatient = createAlipayChannel(connectorOptions({ timeoutMs: 300 }));
    env.sim.engine.faults.add({ match: { api: 'alipay.trade.query', outTradeNo: paymentNo }, fault: { type: 'hang' }, timesMax: 1 });
    await expect(impatient.queryPayment(paymentNo)).rejects.toThrow(ChannelUnavailableError);
  });

  it('treats a refund whose answer was lost as unknown, and a retry with the same refund number refunds once', async () => {
    const paymentNo = await paidPayment(4_000);
    const refundNo = uniqueNo('R');
    // Lost twice: the first answer and the SDK's own silent resend of the same request.
    env.sim.engine.faults.add({ match: { api: 'alipay.trade.refund', outTradeNo: paymentNo }, fault: { type: 'response_lost' }, timesMax: 2 });
    await expect(alipay.refund({ paymentNo, refundNo, amountFen: 1_500 })).rejects.toThrow(ChannelUnavailableError);
    expect(simTrade(paymentNo)!.refundAcceptedFen).toBe(1_500);
    expect(await alipay.refund({ paymentNo, refundNo, amountFen: 1_500 })).toEqual({ kind: 'accepted' });
    expect(simTrade(paymentNo)!.refundAcceptedFen).toBe(1_500);
  });

  it('survives one lost refund answer because the SDK resends the same out_request_no, refunding once', async () => {
    const paymentNo = await paidPayment(4_000);
    env.sim.engine.faults.add({ match: { api: 'alipay.trade.refund', outTradeNo: paymentNo }, fault: { type: 'response_lost' }, timesMax: 1 });
    expect(await alipay.refund({ paymentNo, refundNo: uniqueNo('R'), amountFen: 1_500 })).toEqual({ kind: 'accepted' });
    expect(simTrade(paymentNo)!.refundAcceptedFen).toBe(1_500);
  });

  it('throws ChannelUnavailableError for a business code it does not know rather than guessing an outcome', async () => {
    const paymentNo = await paidPayment();
    env.sim.engine.faults.add({ match: { api: 'alipay.trade.refund', outTradeNo: paymentNo }, fault: { type: 'business_error', code: '40004', subCode: 'ACQ.SOMETHING_NEW' }, timesMax: 1 });
    const failure = await alipay.refund({ paymentNo, refundNo: uniqueNo('R'), amountFen: 100 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ChannelUnavailableError);
    expect((failure as ChannelUnavailableError).reason).toMatch(/ACQ\.SOMETHING_NEW/);
  });

  // ---- bills ---------------------------------------------------------------------------------------

  it('downloads the trade bill of a finished day as a zip holding that day\'s payment', async () => {
    const paymentNo = await paidPayment(4_321);
    const billDate = formatBeijingDate(env.clock.now());
    await env.clock.advance(24 * 60 * minuteMs);
    const bill = await alipay.downloadBill(billDate);
    if (bill.kind !== 'ready') throw new Error(`expected a ready bill, got ${bill.kind}`);
    expect(bill.file.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bill.fileName).toMatch(new RegExp(`_${billDate.replaceAll('-', '')}\\.csv\\.zip$`));
    const entries = await readBillZip(bill.file);
    expect(entries.some((entry) => entry.text.includes(paymentNo))).toBe(true);
  });

  it('reports notReady for today\'s bill, which Alipay has not generated yet', async () => {
    expect(await alipay.downloadBill(formatBeijingDate(env.clock.now()))).toEqual({ kind: 'notReady' });
  });

  it('throws ChannelUnavailableError when the bill cannot be fetched', async () => {
    const deadUrl = await closedPortUrl();
    const dead = createAlipayChannel(connectorOptions({ gatewayUrl: `${deadUrl}/gateway.do`, endpoint: deadUrl, timeoutMs: 1_000 }));
    await expect(dead.downloadBill('2025-12-01')).rejects.toThrow(ChannelUnavailableError);
  });

  it('hands the SDK keys parsed once, as KeyObjects, so no signature or verification parses a PEM again', () => {
    const sdk = createSdk(resolveOptions({ appId: '2021000000000001', privateKeyPem: fixtureKeys.merchant.privateKeyPem, alipayPublicKeyPem: fixtureKeys.channel.publicKeyPem, gatewayUrl: 'http://127.0.0.1:9/gateway.do', endpoint: 'http://127.0.0.1:9' }));
    const config = sdk.config as unknown as { privateKey: unknown; alipayPublicKey: unknown };
    expect(config.privateKey).toBeInstanceOf(KeyObject);
    expect(config.alipayPublicKey).toBeInstanceOf(KeyObject);
    // The SDK still signs with them in its own format, and the signature verifies with the app's public key.
    const signed = new URLSearchParams(sdk.sdkExecute('alipay.trade.query', { bizContent: { out_trade_no: 'P1' } }));
    const signature = signed.get('sign')!;
    signed.delete('sign');
    const content = [...signed.entries()].sort(([left], [right]) => (left < right ? -1 : 1)).map(([name, value]) => `${name}=${value}`).join('&');
    expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(fixtureKeys.merchant.publicKeyPem, signature, 'base64')).toBe(true);
  });
}

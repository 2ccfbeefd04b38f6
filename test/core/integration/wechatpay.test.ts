// The core on WeChat Pay end to end, against the real simulator's WeChat Pay dialect on one virtual
// clock: the core's connector runs the official wechatpay-axios-plugin (every answer verified), the
// simulator signs answers and encrypts and signs notifications as WeChat does.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failedChecks, ledgerOf, simNotificationsOf, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

const wechat = { channel: 'wechatpay' } as const;

it('pays a Native order end to end: notification verified and decrypted, confirmed by query, answered 204, ledger posted, business system told once', async () => {
  const { orderNo, paymentNo, pay } = await paysim.orderAndPay('88.80', { method: 'wechatpay.native' });
  expect(pay).toMatchObject({ channel: 'wechatpay', paymentNo });
  expect(pay.qrCode).toEqual(expect.any(String));
  const queries: string[] = [];
  paysim.core.events.on('payment.queried', (event) => queries.push(event.paymentNo));
  expect((await paysim.buyerPays(paymentNo, wechat)).status).toBe(200);
  await paysim.advance(0);

  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', paidAmount: '88.80', paidPaymentNo: paymentNo });
  expect(order.payments[0]).toMatchObject({ channel: 'wechatpay', method: 'wechatpay.native', status: 'SUCCEEDED', settlement: 'credited', fee: '0.53' });
  expect(order.payments[0].channelTradeNo).toMatch(/^42000\d{23}$/);
  expect(queries).toContain(paymentNo);
  const [notification] = simNotificationsOf(paysim, paymentNo);
  expect(notification!.state).toBe('acknowledged');
  expect(notification!.attempts[0]).toMatchObject({ status: 204, acknowledged: true });
  expect(ledgerOf(paysim, paymentNo).map((entry) => entry.id)).toEqual([`payment:${paymentNo}`]);
  expect(paysim.webhook.received).toEqual([expect.objectContaining({ type: 'order.paid', orderNo, amount: '88.80' })]);
  expect(failedChecks(paysim)).toEqual([]);
});

it('pays an H5 order: the pay URL carries the return as redirect_url, and the return page only makes the core ask', async () => {
  paysim.fault({ match: { channel: 'wechatpay', api: 'notify' }, fault: { type: 'drop' } });
  const { orderNo, paymentNo, pay } = await paysim.orderAndPay('18.00', { method: 'wechatpay.h5' });
  const payUrl = new URL(pay.payUrl);
  expect(payUrl.searchParams.get('redirect_url')).toBe(`${paysim.core.url}/return/wechatpay?out_trade_no=${paymentNo}`);
  const trade = paysim.sim.engine.trades.all().find((candidate) => candidate.outTradeNo === paymentNo);
  expect(trade).toMatchObject({ channel: 'wechatpay', product: 'h5', amountFen: 1800 });

  await paysim.buyerPays(paymentNo, wechat);
  // The notification is lost; the buyer's browser comes back and the core asks the channel at once.
  const page = await fetch(payUrl.searchParams.get('redirect_url')!);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('being confirmed');
  await paysim.advance(0);
  expect(await paysim.order(orderNo)).toMatchObject({ status: 'PAID', paidAmount: '18.00' });
  expect(failedChecks(paysim)).toEqual([]);
});

it('refunds part of a WeChat Pay payment: accepted, then completed by the refund notification or the poll', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('50.00', { method: 'wechatpay.native' });
  await paysim.buyerPays(paymentNo, wechat);
  await paysim.advance(0);
  const requested = await paysim.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo: 'WX-R-1', amount: '12.50', reason: 'damaged' });
  expect(requested.status).toBe(201);
  expect(requested.body).toMatchObject({ status: 'PROCESSING', amount: '12.50' });
  const refund = paysim.sim.engine.refunds.all().find((candidate) => candidate.outRequestNo === requested.body.refundNo);
  expect(refund).toMatchObject({ amountFen: 1250 });

  await paysim.advance(5_000);
  expect((await paysim.api('GET', `/api/refunds/${requested.body.refundNo}`)).body).toMatchObject({ status: 'SUCCESS', amount: '12.50' });
  expect(await paysim.order(orderNo)).toMatchObject({ status: 'PAID', refundedAmount: '12.50' });
  // The refund notification went to the core's notify URL and was acknowledged.
  const refundNotices = simNotificationsOf(paysim, paymentNo).filter((notification) => notification.kind === 'refund_succeeded');
  expect(refundNotices.map((notification) => notification.state)).toEqual(['acknowledged']);
  expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.paid', 'refund.succeeded']);
  // The same outRefundNo again is the same refund; more than is left is refused.
  expect((await paysim.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo: 'WX-R-1', amount: '12.50', reason: 'damaged' })).status).toBe(200);
  expect((await paysim.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo: 'WX-R-2', amount: '40.00', reason: 'x' })).body.code).toBe('REFUND_EXCEEDS_PAID');
  expect(failedChecks(paysim)).toEqual([]);
});

it('closes an unpaid WeChat Pay order at the channel first, then locally', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('9.90', { method: 'wechatpay.native' });
  const closed = await paysim.api('POST', `/api/orders/${orderNo}/close`);
  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ status: 'CLOSED' });
  const trade = paysim.sim.engine.trades.all().find((candidate) => candidate.outTradeNo === paymentNo);
  expect(trade?.state.kind).toBe('closed');
  // The buyer can no longer pay it.
  expect((await paysim.buyerPays(paymentNo, wechat)).body).toMatchObject({ code: 'NOT_PAYABLE' });
  await paysim.advance(60_000);
  expect(await paysim.order(orderNo)).toMatchObject({ status: 'CLOSED', paidAmount: '0.00' });
  expect(failedChecks(paysim)).toEqual([]);
});

it('credits nothing on a validly signed notification with a tampered amount, flags it, and leaves the truth to the query', async () => {
  paysim.fault({ match: { channel: 'wechatpay', api: 'notify' }, fault: { type: 'tamper_amount', amount: '0.01' } });
  const queryDown = paysim.sim.engine.faults.add({ match: { channel: 'wechatpay', api: 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}' }, fault: { type: 'http_error', status: 502 } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('88.80', { method: 'wechatpay.native' });
  await paysim.buyerPays(paymentNo, wechat);
  await paysim.advance(0);

  const flagged = await paysim.order(orderNo);
  expect(flagged).toMatchObject({ status: 'PAYING', paidAmount: '0.00' });
  expect(flagged.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.amountMismatch' })]);
  const attempt = simNotificationsOf(paysim, paymentNo)[0]!.attempts[0]!;
  expect(attempt).toMatchObject({ acknowledged: false, status: 400 });
  expect(JSON.parse(attempt.responseBody ?? '{}')).toMatchObject({ code: 'FAIL' });

  paysim.sim.engine.faults.remove(queryDown.id);
  await paysim.advance(60_000);
  expect(await paysim.order(orderNo)).toMatchObject({ status: 'PAID', paidAmount: '88.80' });
});

it('rejects notifications with a forged signature and a hand-made one, changes nothing by them, and asks the channel instead', async () => {
  paysim.fault({ match: { channel: 'wechatpay', api: 'notify' }, fault: { type: 'forge_signature' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('12.00', { method: 'wechatpay.native' });

  // Not WeChat's: no valid signature, no resource our APIv3 key opens. Refused with WeChat's {code, message}.
  const handMade = await fetch(`${paysim.core.url}/notify/wechatpay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'wechatpay-timestamp': '1767225600', 'wechatpay-nonce': 'n', 'wechatpay-serial': 'PUB_KEY_ID_1', 'wechatpay-signature': 'Zm9yZ2Vk' },
    body: JSON.stringify({ id: 'x', event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: paymentNo } }),
  });
  expect(handMade.status).toBe(400);
  expect(await handMade.json()).toMatchObject({ code: 'FAIL', message: expect.any(String) });
  for (const body of ['', 'not json', '{"resource":']) {
    const garbage = await fetch(`${paysim.core.url}/notify/wechatpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(garbage.status).toBe(400);
  }

  await paysim.buyerPays(paymentNo, wechat);
  await paysim.advance(0);
  const attempt = simNotificationsOf(paysim, paymentNo)[0]!.attempts[0]!;
  expect(attempt).toMatchObject({ acknowledged: false, status: 400 });
  const order = await paysim.order(orderNo);
  expect(order.payments[0].alerts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'notify.invalid' })]));
  // The rejected notification makes the core ask: the channel's own answer credits the order.
  expect(order.status).toBe('PAID');
  expect(ledgerOf(paysim, paymentNo)).toHaveLength(1);
});

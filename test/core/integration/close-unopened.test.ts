// A QR code or pay URL the buyer has not opened yet does not exist at the channel (Alipay answers
// ACQ.TRADE_NOT_EXIST to close and query) but stays payable until the payment's own expiry. So a close
// the business asks for cannot be confirmed by "no such trade" before then: it stays pending, the buyer
// who pays meanwhile gets the order (paid, not refunded), and otherwise the order closes at that expiry.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { defaultDomainPolicy } from '../../../core/domain/index.ts';
import { eventually, failedChecks, firedCount, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

const orderExpireInSec = 600;
/** The payment expires at the channel a minute before its order. */
const paymentLifetimeMs = orderExpireInSec * 1000 - 60_000;
/** "No such trade" is trusted this long after the payment's expiry (the channel's clock may lag). */
const { channelClockSkewMs } = defaultDomainPolicy.payment;

async function orderWithPayment(amount: string, method: 'alipay.qr' | 'alipay.wap') {
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `C-${method.replace(".", "-")}-${amount.replace(".", "-")}-${Date.now()}`, amount, subject: 'close test', expireInSec: orderExpireInSec });
  expect(created.status).toBe(201);
  const paid = await paysim.api('POST', `/api/orders/${created.body.orderNo}/pay`, { method });
  expect(paid.status).toBe(200);
  return { orderNo: created.body.orderNo as string, paymentNo: paid.body.paymentNo as string, link: (paid.body.qrCode ?? paid.body.payUrl) as string };
}

/** The buyer opens what the business system handed out, then pays in the cashier. */
async function buyerOpensAndPays(method: 'alipay.qr' | 'alipay.wap', payment: { paymentNo: string; link: string }) {
  // A wap URL is only signed by the core: the trade appears at the channel when the buyer opens it.
  if (method === 'alipay.wap') expect((await fetch(payment.link, { redirect: 'manual' })).status).toBeLessThan(400);
  return paysim.buyerPays(payment.paymentNo);
}

for (const method of ['alipay.qr', 'alipay.wap'] as const) {
  it(`answers ORDER_CLOSE_PENDING for an unopened ${method} payment, and credits a buyer who pays it anyway`, async () => {
    const { orderNo, paymentNo, link } = await orderWithPayment('12.00', method);
    const close = await paysim.api('POST', `/api/orders/${orderNo}/close`);
    expect(close.status).toBe(409);
    expect(close.body.code).toBe('ORDER_CLOSE_PENDING');
    expect(await paysim.order(orderNo)).toMatchObject({ status: 'PAYING', payments: [expect.objectContaining({ paymentNo, status: 'PENDING' })] });

    // No new payment starts, and the open one is not handed out again.
    expect((await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method })).body.code).toBe('ORDER_NOT_PAYABLE');
    expect((await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.page' })).body.code).toBe('ORDER_NOT_PAYABLE');

    expect((await buyerOpensAndPays(method, { paymentNo, link })).status).toBe(200);
    await paysim.advance(0);
    const paid = await paysim.order(orderNo);
    expect(paid).toMatchObject({ status: 'PAID', paidAmount: '12.00', refunds: [] });
    expect(paid.payments).toEqual([expect.objectContaining({ paymentNo, status: 'SUCCEEDED', settlement: 'credited' })]);

    await paysim.advance(orderExpireInSec * 1000); // the pending close comes round and finds it paid
    expect(await paysim.order(orderNo)).toMatchObject({ status: 'PAID', refunds: [] });
    expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.paid']);
    expect(failedChecks(paysim)).toEqual([]);
  });

  it(`closes an order whose unopened ${method} payment the buyer never paid once that payment has expired`, async () => {
    const { orderNo, paymentNo, link } = await orderWithPayment('13.00', method);
    expect((await paysim.api('POST', `/api/orders/${orderNo}/close`)).body.code).toBe('ORDER_CLOSE_PENDING');

    await paysim.advance(paymentLifetimeMs + channelClockSkewMs - 1_000);
    expect((await paysim.order(orderNo)).status).toBe('PAYING');
    await paysim.advance(1_000);
    const order = await paysim.order(orderNo);
    expect(order).toMatchObject({ status: 'CLOSED', closeReason: 'merchant', payments: [expect.objectContaining({ status: 'CLOSED' })] });
    expect(Date.parse(order.closedAt)).toBeLessThan(Date.parse(order.expiresAt));

    // Too late for the buyer now: the channel refuses, so nothing needs giving back.
    if (method === 'alipay.wap') await fetch(link, { redirect: 'manual' });
    expect((await paysim.buyerPays(paymentNo)).status).not.toBe(200);
    await paysim.advance(60_000);
    expect(await paysim.order(orderNo)).toMatchObject({ status: 'CLOSED', paidAmount: '0.00', refunds: [] });
    expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.closed']);
    expect(failedChecks(paysim)).toEqual([]);
  });
}

it('does not hand out a QR code whose create call was in flight when the business closed the order', async () => {
  const slow = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.precreate' }, fault: { type: 'delay', ms: 5_000 }, timesMax: 1 });
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `C-race-${Date.now()}`, amount: '14.00', subject: 'race', expireInSec: orderExpireInSec });
  const orderNo = created.body.orderNo as string;
  const pay = paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  await eventually(() => firedCount(paysim, slow.id) === 1, 'the create call is held at the channel');

  const close = await paysim.api('POST', `/api/orders/${orderNo}/close`);
  expect(close.status).toBe(409);
  expect(close.body.code).toBe('ORDER_CLOSE_PENDING');
  await paysim.advance(5_000); // the channel creates the trade and answers
  const paid = await pay;
  expect(paid.status).toBe(409);
  expect(paid.body.code).toBe('ORDER_NOT_PAYABLE');
  expect(paid.body.qrCode).toBeUndefined();

  await paysim.advance(paymentLifetimeMs + channelClockSkewMs);
  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'CLOSED', payments: [expect.objectContaining({ status: 'CLOSED' })] });
  expect(paysim.sim.engine.trades.all().find((trade) => trade.outTradeNo === order.payments[0].paymentNo)!.state.kind).toBe('closed');
  expect(failedChecks(paysim)).toEqual([]);
});

it('answers ORDER_NOT_PAYABLE, not CHANNEL_ERROR, when a retried create is refused because the order was closed meanwhile', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('15.00');
  // The buyer scans the code and walks away: the trade exists at the channel, so the close is definite.
  expect((await fetch(`${paysim.sim.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo: paymentNo, outcome: 'cancel' }) })).status).toBe(200);
  const slow = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.precreate' }, fault: { type: 'delay', ms: 5_000 }, timesMax: 1 });
  const retried = paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  await eventually(() => firedCount(paysim, slow.id) === 1, 'the retried create call is held at the channel');

  expect((await paysim.api('POST', `/api/orders/${orderNo}/close`)).body.status).toBe('CLOSED');
  await paysim.advance(5_000); // the channel answers ACQ.TRADE_HAS_CLOSE, and the query says closed
  const answer = await retried;
  expect(answer.status).toBe(409);
  expect(answer.body.code).toBe('ORDER_NOT_PAYABLE');
});

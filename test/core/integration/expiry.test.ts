// Unpaid orders are closed at the channel first and then locally; money that still arrives after the
// close is given back by automatic refund and reported to the business system.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failedChecks, ledgerOf, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

async function buyerOpensCashier(paymentNo: string): Promise<void> {
  // The buyer scans the code and walks away: the trade becomes visible at the channel, unpaid.
  const response = await fetch(`${paysim.sim.url}/_sim/buyer/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'alipay', outTradeNo: paymentNo, outcome: 'cancel' }),
  });
  expect(response.status).toBe(200);
}

it('closes an expired unpaid order at the channel, then locally, and tells the business system', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('15.00', { expireInSec: 120 });
  await buyerOpensCashier(paymentNo);
  const closes: string[] = [];
  paysim.sim.engine.events.on('trade.closed', (event) => closes.push(event.outTradeNo));

  await paysim.advance(119_000);
  expect((await paysim.order(orderNo)).status).toBe('PAYING');
  await paysim.advance(1_000);

  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'CLOSED', closeReason: 'expired' });
  expect(order.payments[0].status).toBe('CLOSED');
  expect(closes).toEqual([paymentNo]);
  expect(paysim.sim.engine.trades.all().find((trade) => trade.outTradeNo === paymentNo)!.state.kind).toBe('closed');
  expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.closed']);
  expect(failedChecks(paysim)).toEqual([]);
});

it('refuses to pay an order that has expired', async () => {
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `T-late-${Date.now()}`, amount: '3.00', subject: 'late', expireInSec: 120 });
  await paysim.advance(120_000);
  const pay = await paysim.api('POST', `/api/orders/${created.body.orderNo}/pay`, { method: 'alipay.qr' });
  expect(pay.status).toBe(409);
  expect(pay.body.code).toMatch(/^ORDER_(EXPIRED|NOT_PAYABLE)$/);
});

it('refunds automatically a success that arrives after the order was closed, and reports it', async () => {
  // The channel expires the trade a minute before the order; the buyer's money still goes through 70 s later.
  paysim.fault({ match: { api: 'notify' }, fault: { type: 'late_success', ms: 70_000 } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('66.00', { expireInSec: 120 });
  await buyerOpensCashier(paymentNo);
  await paysim.advance(120_000);
  expect((await paysim.order(orderNo)).status).toBe('CLOSED');

  await paysim.advance(10_000); // the late success and its notify
  const refunding = await paysim.order(orderNo);
  expect(refunding).toMatchObject({ status: 'CLOSED', paidAmount: '0.00' });
  expect(refunding.payments[0]).toMatchObject({ status: 'SUCCEEDED', settlement: 'refundAfterClose' });
  expect(refunding.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'payment.paidAfterClose' })]);
  expect(refunding.refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '66.00', status: 'PROCESSING' })]);

  await paysim.advance(5_000); // the channel completes the refund and notifies it
  const order = await paysim.order(orderNo);
  expect(order.refunds[0].status).toBe('SUCCESS');
  expect(order.refundedAmount).toBe('0.00');
  expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.closed', 'payment.refunded_after_close']);
  expect(ledgerOf(paysim, paymentNo).map((entry) => entry.kind).sort()).toEqual(['lateReceipt', 'refundRequested', 'refundSucceeded']);
  const trade = paysim.sim.engine.trades.all().find((candidate) => candidate.outTradeNo === paymentNo)!;
  expect(trade.refundedFen).toBe(6600);
  expect(failedChecks(paysim)).toEqual([]);
});

it('closes an order at the business system\'s request only after the channel closed its payment', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('9.00');
  await buyerOpensCashier(paymentNo);
  const closed = await paysim.api('POST', `/api/orders/${orderNo}/close`);
  expect(closed.status).toBe(200);
  expect(closed.body.status).toBe('CLOSED');
  expect(paysim.sim.engine.trades.all().find((trade) => trade.outTradeNo === paymentNo)!.state.kind).toBe('closed');
  const again = await paysim.api('POST', `/api/orders/${orderNo}/close`);
  expect(again.status).toBe(200);
  const pay = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  expect(pay.body.code).toBe('ORDER_NOT_PAYABLE');
});

it('answers ORDER_CLOSE_PENDING while the channel cannot close the payment, and closes it once it can', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('9.50');
  await buyerOpensCashier(paymentNo);
  const down = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.close' }, fault: { type: 'http_error', status: 503 } });
  const pending = await paysim.api('POST', `/api/orders/${orderNo}/close`);
  expect(pending.status).toBe(409);
  expect(pending.body.code).toBe('ORDER_CLOSE_PENDING');
  expect((await paysim.order(orderNo)).status).toBe('PAYING');
  paysim.sim.engine.faults.remove(down.id);
  await paysim.advance(60_000);
  expect((await paysim.order(orderNo)).status).toBe('CLOSED');
});

it('refuses to close a paid order: it must be refunded instead', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('9.90');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  const closed = await paysim.api('POST', `/api/orders/${orderNo}/close`);
  expect(closed.status).toBe(409);
  expect(closed.body.code).toBe('ORDER_NOT_CLOSABLE');
});

it('refunds automatically a buyer who pays after the order expired and was closed', async () => {
  paysim.fault({ match: { api: 'buyer' }, fault: { type: 'pay_after_expiry' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('77.00', { expireInSec: 120 });
  await buyerOpensCashier(paymentNo);
  await paysim.advance(120_000);
  expect((await paysim.order(orderNo)).status).toBe('CLOSED');

  expect((await paysim.buyerPays(paymentNo)).status).toBe(200);
  await paysim.advance(5_000);
  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'CLOSED', paidAmount: '0.00' });
  expect(order.payments[0]).toMatchObject({ status: 'SUCCEEDED', settlement: 'refundAfterClose' });
  expect(order.refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '77.00', status: 'SUCCESS' })]);
  expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.closed', 'payment.refunded_after_close']);
  expect(failedChecks(paysim)).toEqual([]);
});

it('refunds automatically the second of two payments a buyer made for one order', async () => {
  paysim.fault({ match: { api: 'buyer' }, fault: { type: 'pay_twice' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('33.00');
  const page = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.page' });
  expect(page.status).toBe(200);
  expect((await fetch(page.body.payUrl, { redirect: 'manual' })).status).toBeLessThan(400); // the buyer opens the page too
  await paysim.buyerPays(paymentNo);
  await paysim.advance(5_000);

  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', paidAmount: '33.00', refundedAmount: '0.00' });
  const settlements = order.payments.map((payment: { settlement: string }) => payment.settlement).sort();
  expect(settlements).toEqual(['credited', 'refundDuplicate']);
  expect(order.refunds).toEqual([expect.objectContaining({ kind: 'duplicatePayment', amount: '33.00', status: 'SUCCESS' })]);
  expect(paysim.webhook.received.filter((message) => message.type === 'order.paid')).toHaveLength(1);
  expect(failedChecks(paysim)).toEqual([]);
});

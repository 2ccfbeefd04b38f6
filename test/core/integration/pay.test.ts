// Creating payments when the channel call goes wrong: the payment is persisted before the call, an
// unknown outcome is resolved by query or by the retried request, never assumed failed; and a
// 0-amount order never reaches the channel at all.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim({ channelTimeoutMs: 1_000 });
});
afterEach(async () => {
  await paysim.close();
});

async function newOrder(amount: string): Promise<string> {
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `T-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, amount, subject: 'pay test' });
  expect(created.status).toBe(201);
  return created.body.orderNo;
}

it('keeps one payment when the create call is processed but its response is lost, and credits it when the buyer pays', async () => {
  // The SDK resends a request whose connection dropped once by itself, so the answer is lost twice.
  paysim.fault({ match: { api: 'alipay.trade.precreate' }, fault: { type: 'response_lost' }, timesMax: 2 });
  const orderNo = await newOrder('45.00');
  const first = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  expect(first.status).toBe(502);
  expect(first.body.code).toBe('CHANNEL_ERROR');

  const pending = await paysim.order(orderNo);
  expect(pending.payments).toHaveLength(1);
  expect(pending.payments[0].status).toBe('PENDING');
  const paymentNo = pending.payments[0].paymentNo;

  // The retried request is the same payment: the channel sees the same out_trade_no again.
  const retried = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ paymentNo, channel: 'alipay' });
  expect(retried.body.qrCode).toMatch(/^http/);

  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  const order = await paysim.order(orderNo);
  expect(order.status).toBe('PAID');
  expect(order.payments).toHaveLength(1);
  expect(paysim.sim.engine.trades.all().filter((trade) => trade.outTradeNo === paymentNo)).toHaveLength(1);
});

it('queries a payment whose create call hung on the slowing schedule, never failing it, until the retried call creates the trade', async () => {
  paysim.fault({ match: { api: 'alipay.trade.precreate' }, fault: { type: 'hang' }, timesMax: 1 });
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `T-hang-${Date.now()}`, amount: '46.00', subject: 'hang', expireInSec: 7_200 });
  const orderNo = created.body.orderNo;
  const first = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  expect(first.body.code).toBe('CHANNEL_ERROR');

  await paysim.advance(10 * 60_000);
  expect((await paysim.order(orderNo)).payments[0]).toMatchObject({ status: 'PENDING', queryAttempts: 10 }); // every minute
  await paysim.advance(50 * 60_000);
  expect((await paysim.order(orderNo)).payments[0]).toMatchObject({ status: 'PENDING', queryAttempts: 15 }); // then every 10 minutes

  const retried = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  expect(retried.status).toBe(200);
  await paysim.buyerPays(retried.body.paymentNo);
  await paysim.advance(0);
  const order = await paysim.order(orderNo);
  expect(order.status).toBe('PAID');
  expect(order.payments).toHaveLength(1);
});

it('credits a payment whose create response was lost when the buyer pays anyway, without any retry', async () => {
  paysim.fault({ match: { api: 'alipay.trade.precreate' }, fault: { type: 'response_lost' }, timesMax: 1 });
  const orderNo = await newOrder('47.00');
  await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  const paymentNo = (await paysim.order(orderNo)).payments[0].paymentNo;
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  expect((await paysim.order(orderNo)).status).toBe('PAID');
});

it('pays a 0-amount order at creation without any channel trade', async () => {
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `T-zero-${Date.now()}`, amount: '0.00', subject: 'free sample' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'PAID', amount: '0.00', paidAmount: '0.00', payments: [] });
  const pay = await paysim.api('POST', `/api/orders/${created.body.orderNo}/pay`, { method: 'alipay.qr' });
  expect(pay.status).toBe(409);
  expect(pay.body.code).toBe('ORDER_NOT_PAYABLE');
  await paysim.advance(0);
  expect(paysim.sim.engine.trades.all()).toHaveLength(0);
  expect(paysim.webhook.received).toEqual([expect.objectContaining({ type: 'order.paid', amount: '0.00' })]);
});

it('sends the channel a payment expiry before the order expiry', async () => {
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `T-exp-${Date.now()}`, amount: '5.00', subject: 'expiry', expireInSec: 600 });
  const paid = await paysim.api('POST', `/api/orders/${created.body.orderNo}/pay`, { method: 'alipay.qr' });
  const trade = paysim.sim.engine.trades.all().find((candidate) => candidate.outTradeNo === paid.body.paymentNo)!;
  expect(trade.expiresAtMs).toBe(paysim.clock.now() + 600_000 - 60_000);
});

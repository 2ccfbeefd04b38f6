// Work that only a close or a payment started survives a restart of the core on its data dir: a
// business close still pending, the closing of a paid order's other payments, and the sending of an
// automatic refund. Each is derived again from the stored records, not kept in memory alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { defaultDomainPolicy } from '../../../core/domain/index.ts';
import { failedChecks, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-core-restart-close-'));
  paysim = await startPaysim({ coreOptions: { memory: false, dataDir } });
});
afterEach(async () => {
  await paysim.close();
  await rm(dataDir, { recursive: true, force: true });
});

const orderExpireInSec = 600;
/** Until the unopened payment has surely expired at the channel: then "no such trade" means closed. */
const untilPaymentExpiredMs = orderExpireInSec * 1000 - 60_000 + defaultDomainPolicy.payment.channelClockSkewMs;

async function createOrder(amount: string): Promise<string> {
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `RC-${amount.replace('.', '-')}-${Date.now()}`, amount, subject: 'restart', expireInSec: orderExpireInSec });
  expect(created.status).toBe(201);
  return created.body.orderNo;
}

it('carries a pending business close over a restart and closes the order when its unopened payment expires', async () => {
  const orderNo = await createOrder('21.00');
  expect((await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' })).status).toBe(200);
  expect((await paysim.api('POST', `/api/orders/${orderNo}/close`)).body.code).toBe('ORDER_CLOSE_PENDING');

  await paysim.restartCore();
  expect((await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.page' })).body.code).toBe('ORDER_NOT_PAYABLE');
  await paysim.advance(untilPaymentExpiredMs);
  expect(await paysim.order(orderNo)).toMatchObject({ status: 'CLOSED', closeReason: 'merchant' });
});

it('keeps closing the other payments of a paid order after a restart', async () => {
  const orderNo = await createOrder('22.00');
  const qr = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  const page = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.page' });
  expect([qr.status, page.status]).toEqual([200, 200]);
  await paysim.buyerPays(qr.body.paymentNo);
  await paysim.advance(0);
  // The page URL was never opened: the channel does not know it, so it stays open until it expires.
  const paid = await paysim.order(orderNo);
  expect(paid.status).toBe('PAID');
  expect(paid.payments.find((payment: { paymentNo: string }) => payment.paymentNo === page.body.paymentNo).status).toBe('PENDING');

  await paysim.restartCore();
  await paysim.advance(untilPaymentExpiredMs);
  const order = await paysim.order(orderNo);
  expect(order.payments.find((payment: { paymentNo: string }) => payment.paymentNo === page.body.paymentNo).status).toBe('CLOSED');
  expect(order).toMatchObject({ status: 'PAID', refunds: [] });
  expect(failedChecks(paysim)).toEqual([]);
});

it('sends an automatic refund after a restart without waiting for its first poll', async () => {
  paysim.fault({ match: { api: 'buyer' }, fault: { type: 'pay_after_expiry' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('23.00', { expireInSec: 120 });
  await fetch(`${paysim.sim.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo: paymentNo, outcome: 'cancel' }) });
  await paysim.advance(120_000);
  expect((await paysim.order(orderNo)).status).toBe('CLOSED');

  // The buyer pays after the close; the automatic refund is stored but the channel refuses the send.
  const refundDown = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.refund' }, fault: { type: 'http_error', status: 503 } });
  expect((await paysim.buyerPays(paymentNo)).status).toBe(200);
  await paysim.advance(0);
  expect((await paysim.order(orderNo)).refunds).toEqual([expect.objectContaining({ kind: 'afterClose', status: 'PROCESSING' })]);
  expect(paysim.sim.engine.refunds.all()).toHaveLength(0);

  paysim.sim.engine.faults.remove(refundDown.id);
  await paysim.restartCore();
  await paysim.advance(5_000); // well before the first poll, a minute after the refund was made
  expect(paysim.sim.engine.refunds.all()).toEqual([expect.objectContaining({ amountFen: 2300 })]);
  await paysim.advance(60_000); // the restarted core listens elsewhere: it learns the outcome by polling
  expect((await paysim.order(orderNo)).refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '23.00', status: 'SUCCESS' })]);
  expect(failedChecks(paysim)).toEqual([]);
});

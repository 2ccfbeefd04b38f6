// Refunds: decided in one atomic check (replay, conflict, what is left), sent after they are stored,
// completed by notify or by polling, never closed by the core while the channel still has them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failedChecks, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

async function paidOrder(amount: string): Promise<{ orderNo: string; paymentNo: string }> {
  const numbers = await paysim.orderAndPay(amount);
  await paysim.buyerPays(numbers.paymentNo);
  await paysim.advance(0);
  expect((await paysim.order(numbers.orderNo)).status).toBe('PAID');
  return numbers;
}

const refund = (orderNo: string, body: unknown) => paysim.api('POST', `/api/orders/${orderNo}/refunds`, body);

it('refunds part of a paid order, completed by the channel\'s notify', async () => {
  const { orderNo } = await paidOrder('100.00');
  const created = await refund(orderNo, { outRefundNo: 'RF-1', amount: '30.00', reason: 'one item returned' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ outRefundNo: 'RF-1', amount: '30.00', status: 'PROCESSING', kind: 'merchant' });

  await paysim.advance(3_000); // the simulator completes refunds after 3 s and notifies
  const done = await paysim.api('GET', `/api/refunds/${created.body.refundNo}`);
  expect(done.body.status).toBe('SUCCESS');
  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', paidAmount: '100.00', refundedAmount: '30.00' });
  expect(paysim.webhook.received.map((message) => message.type)).toEqual(['order.paid', 'refund.succeeded']);
  expect(failedChecks(paysim)).toEqual([]);
});

it('returns the same refund when the same outRefundNo is replayed, and a conflict for another amount', async () => {
  const { orderNo } = await paidOrder('50.00');
  const first = await refund(orderNo, { outRefundNo: 'RF-replay', amount: '20.00', reason: 'size' });
  const replay = await refund(orderNo, { outRefundNo: 'RF-replay', amount: '20.00', reason: 'size' });
  expect(replay.status).toBe(200);
  expect(replay.body.refundNo).toBe(first.body.refundNo);
  const conflict = await refund(orderNo, { outRefundNo: 'RF-replay', amount: '21.00', reason: 'size' });
  expect(conflict.status).toBe(409);
  expect(conflict.body.code).toBe('REFUND_CONFLICT');
  await paysim.advance(3_000);
  expect(paysim.sim.engine.refunds.all()).toHaveLength(1);
  expect((await paysim.order(orderNo)).refundedAmount).toBe('20.00');
});

it('rejects a refund above what is left, counting refunds still in flight', async () => {
  const { orderNo } = await paidOrder('50.00');
  expect((await refund(orderNo, { outRefundNo: 'RF-a', amount: '40.00' })).status).toBe(201);
  const over = await refund(orderNo, { outRefundNo: 'RF-b', amount: '10.01' });
  expect(over.status).toBe(409);
  expect(over.body).toMatchObject({ code: 'REFUND_EXCEEDS_PAID' });
  expect(over.body.message).toContain('10.00');
  expect((await refund(orderNo, { outRefundNo: 'RF-c', amount: '10.00' })).status).toBe(201);
});

it('admits only what is left when refunds race each other', async () => {
  const { orderNo } = await paidOrder('10.00');
  const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => refund(orderNo, { outRefundNo: `RF-race-${index}`, amount: '3.00' })));
  expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3);
  expect(answers.filter((answer) => answer.body.code === 'REFUND_EXCEEDS_PAID')).toHaveLength(5);
});

it('completes a refund by polling when its notify is lost', async () => {
  paysim.fault({ match: { api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'drop' } });
  const { orderNo } = await paidOrder('20.00');
  const created = await refund(orderNo, { outRefundNo: 'RF-poll', amount: '20.00' });
  await paysim.advance(30_000);
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('PROCESSING');
  await paysim.advance(30_000); // the first poll, a minute after the refund was made
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('SUCCESS');
  expect((await paysim.order(orderNo)).refundedAmount).toBe('20.00');
});

it('keeps a refund stuck at the channel PROCESSING, reports it past its SLA, and completes it when the channel does', async () => {
  paysim.fault({ match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: 30 * 3_600_000 } });
  const { orderNo } = await paidOrder('20.00');
  const created = await refund(orderNo, { outRefundNo: 'RF-stuck', amount: '5.00' });
  await paysim.advance(25 * 3_600_000);
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('PROCESSING');
  expect(failedChecks(paysim)).toContain('refundsNotStuck');
  await paysim.advance(6 * 3_600_000);
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('SUCCESS');
  expect((await paysim.order(orderNo)).refundedAmount).toBe('5.00');
});

it('refuses to refund an order that is not paid', async () => {
  const { orderNo } = await paysim.orderAndPay('20.00');
  const answer = await refund(orderNo, { outRefundNo: 'RF-unpaid', amount: '1.00' });
  expect(answer.status).toBe(409);
  expect(answer.body.code).toBe('ORDER_NOT_REFUNDABLE');
  const unknown = await paysim.api('GET', '/api/refunds/R2026010100000000000000');
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('REFUND_NOT_FOUND');
});

it('sends a refund again under the same number when the first call never reached the channel', async () => {
  const { orderNo } = await paidOrder('20.00');
  paysim.fault({ match: { api: 'alipay.trade.refund' }, fault: { type: 'http_error', status: 502 }, timesMax: 1 });
  const created = await refund(orderNo, { outRefundNo: 'RF-resend', amount: '20.00' });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('PROCESSING');
  expect(paysim.sim.engine.refunds.all()).toHaveLength(0);

  await paysim.advance(60_000); // the poll finds no such refund at the channel and sends it again
  expect(paysim.sim.engine.refunds.all().map((channelRefund) => channelRefund.outRequestNo)).toEqual([created.body.refundNo]);
  await paysim.advance(3_000);
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('SUCCESS');
});

it('polls a refund after a restart of the core, from its stored record', async () => {
  await paysim.close();
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-core-refund-'));
  paysim = await startPaysim({ coreOptions: { dataDir, memory: false } });
  try {
    paysim.fault({ match: { api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'drop' } });
    const { orderNo } = await paidOrder('20.00');
    const created = await refund(orderNo, { outRefundNo: 'RF-restart', amount: '7.00' });
    await paysim.restartCore();
    await paysim.advance(60_000);
    expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('SUCCESS');
    expect((await paysim.order(orderNo)).refundedAmount).toBe('7.00');
  } finally {
    await paysim.close();
    paysim = await startPaysim();
    await rm(dataDir, { recursive: true, force: true });
  }
});

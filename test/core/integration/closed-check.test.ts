// A success the channel takes after the core closed the payment, with every notification of it lost:
// the core asks the channel again at set ages of the close (policy.payment.closedCheckAfterMs), finds
// the money and gives it back; a restart re-arms the checks from the stored close time; with the checks
// off, the same money is found by reconciliation and refunded automatically, with nothing left for a person.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { failedChecks, startPaysim, type Paysim, type PaysimOptions } from './paysim.ts';
import { endDay, reconcile, startDay } from '../recon/support.ts';

const minuteMs = 60_000;
let paysim: Paysim | undefined;
afterEach(async () => {
  await paysim?.close();
  paysim = undefined;
});

async function start(options: PaysimOptions = {}): Promise<Paysim> {
  paysim = await startPaysim(options);
  return paysim;
}

/** An order the business closes; the channel still takes the buyer's money a second later, and no notify of it arrives. */
async function closedThenPaidSilently(world: Paysim, amount: string): Promise<{ orderNo: string; paymentNo: string; closedAtMs: number }> {
  const numbers = await world.orderAndPay(amount, { expireInSec: 3_600 });
  expect((await world.buyerPays(numbers.paymentNo, { outcome: 'cancel' })).status).toBe(200);
  world.fault({ match: { api: 'notify' }, fault: { type: 'late_success', ms: 1_000 }, timesMax: 1 });
  world.fault({ match: { api: 'notify' }, fault: { type: 'drop' } });
  const closed = await world.api('POST', `/api/orders/${numbers.orderNo}/close`);
  expect(closed.body.status).toBe('CLOSED');
  const closedAtMs = world.clock.now();
  await world.advance(5_000);
  const trade = world.sim.engine.trades.all().find((candidate) => candidate.outTradeNo === numbers.paymentNo)!;
  expect(trade.state.kind).toBe('paid');
  return { ...numbers, closedAtMs };
}

const channelTrade = (world: Paysim, paymentNo: string) => world.sim.engine.trades.all().find((candidate) => candidate.outTradeNo === paymentNo)!;

it('finds a success after close that no notify told of, at the first check after the close, and refunds it', async () => {
  const world = await start();
  const { orderNo, paymentNo } = await closedThenPaidSilently(world, '42.00');
  await world.advance(9 * minuteMs);
  expect((await world.order(orderNo)).payments[0].status).toBe('CLOSED');

  // 10 minutes after the close: the check finds the money and refunds it; the refund's notify is lost
  // too, so the refund poll (a minute on) learns that it succeeded.
  await world.advance(minuteMs + 5_000);
  expect((await world.order(orderNo)).refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '42.00', status: 'PROCESSING' })]);
  await world.advance(2 * minuteMs);
  const order = await world.order(orderNo);
  expect(order).toMatchObject({ status: 'CLOSED', paidAmount: '0.00' });
  expect(order.payments[0]).toMatchObject({ status: 'SUCCEEDED', settlement: 'refundAfterClose' });
  expect(order.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'payment.paidAfterClose' })]);
  expect(order.refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '42.00', status: 'SUCCESS' })]);
  expect(channelTrade(world, paymentNo).refundedFen).toBe(4200);
  expect(world.webhook.received.map((message) => message.type)).toEqual(['order.closed', 'payment.refunded_after_close']);
  expect(failedChecks(world)).toEqual([]);
});

it('asks again at each configured age and then stops; with the checks off the core never learns of the money', async () => {
  const world = await start({ core: { policy: { payment: { closedCheckAfterMs: [] } } } });
  const { orderNo, paymentNo } = await closedThenPaidSilently(world, '42.00');
  await world.advance(3 * 60 * minuteMs);
  expect((await world.order(orderNo)).payments[0].status).toBe('CLOSED');
  expect(channelTrade(world, paymentNo).refundedFen).toBe(0);
  expect(world.core.context.scheduler.isArmed(`closed-check:${paymentNo}`)).toBe(false);
});

it('re-arms the checks of closed payments from the store after a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-closed-check-'));
  try {
    await restartChecks(await start({ coreOptions: { memory: false, dataDir } }));
  } finally {
    await paysim?.close();
    paysim = undefined;
    await rm(dataDir, { recursive: true, force: true });
  }
});

async function restartChecks(world: Paysim): Promise<void> {
  const { orderNo, paymentNo, closedAtMs } = await closedThenPaidSilently(world, '13.00');
  await world.restartCore();
  expect(world.core.context.scheduler.atMsOf(`closed-check:${paymentNo}`)).toBe(closedAtMs + 10 * minuteMs);
  await world.advance(13 * minuteMs);
  expect((await world.order(orderNo)).refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '13.00', status: 'SUCCESS' })]);
  // The last check (2 h) finds it settled, and nothing is left scheduled for it.
  await world.advance(2 * 60 * minuteMs);
  expect(world.core.context.scheduler.isArmed(`closed-check:${paymentNo}`)).toBe(false);
}

it('with the checks off, reconciliation finds it, refunds it automatically and leaves nothing for a person', async () => {
  const world = await start({ core: { policy: { payment: { closedCheckAfterMs: [] } } } });
  const billDate = await startDay(world);
  const { orderNo, paymentNo } = await closedThenPaidSilently(world, '25.50');
  await endDay(world, billDate);
  expect((await world.order(orderNo)).payments[0].status).toBe('CLOSED');

  const report = await reconcile(world, billDate);
  expect(report.status).toBe(201);
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'CHANNEL_ONLY', kind: 'payment', paymentNo, handling: 'AUTO_FIXED', detail: expect.stringContaining('refunded automatically') }),
  ]);
  await world.advance(3 * minuteMs);
  const order = await world.order(orderNo);
  expect(order.payments[0]).toMatchObject({ status: 'SUCCEEDED', settlement: 'refundAfterClose' });
  expect(order.refunds).toEqual([expect.objectContaining({ kind: 'afterClose', amount: '25.50', status: 'SUCCESS' })]);
  expect(channelTrade(world, paymentNo).refundedFen).toBe(2550);
});

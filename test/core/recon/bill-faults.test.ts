// Each bill fault of the simulator, end to end: the real simulator writes a faulty bill, the real core
// downloads it through the official SDK, reconciles it, and the fault lands in its category with the
// right handling.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaysim, type Paysim } from '../integration/paysim.ts';
import { checkResult, endDay, ledgerEntries, paidOrder, reconcile, refunded, startDay } from './support.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

const dayMs = 86_400_000;
const only = (paymentNo: string) => `^${paymentNo}$`;

it('a missing row is local-only: aging while bills may lag, then a person\'s (MANUAL) after the aging days', async () => {
  const billDate = await startDay(paysim);
  const kept = await paidOrder(paysim, '10.00');
  const lost = await paidOrder(paysim, '25.00');
  paysim.fault({ match: { api: 'bill', outTradeNo: only(lost.paymentNo) }, fault: { type: 'bill_missing_row' } });
  await endDay(paysim, billDate);

  const first = await reconcile(paysim, billDate);
  expect(first.body).toMatchObject({ status: 'MISMATCHED', billRows: 1, localRecords: 2, matched: 1, counts: { LOCAL_ONLY: 1 } });
  expect(first.body.mismatches).toEqual([
    expect.objectContaining({ category: 'LOCAL_ONLY', kind: 'payment', paymentNo: lost.paymentNo, local: { status: 'PAID', amount: '25.00', fee: '0.15' }, handling: 'AGING' }),
  ]);
  expect(first.body.mismatches[0].channel).toBeUndefined();
  expect(kept.paymentNo).not.toBe(lost.paymentNo);
  // Aging is normal lag: the consistency check holds, and the sum check sets the aging record aside.
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(true);
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(true);

  await paysim.advance(3 * dayMs);
  await paysim.core.components.reconciliation.sweepPool();
  expect(checkResult(paysim, 'twoWayConsistency')).toMatchObject({ passed: false, findings: [expect.objectContaining({ subject: `payment:${lost.paymentNo}` })] });
  const again = await reconcile(paysim, billDate, true);
  expect(again.status).toBe(201);
  expect(again.body).toMatchObject({ rerunOf: first.body.id, changes: [`LOCAL_ONLY payment:${lost.paymentNo}: AGING → MANUAL`] });
  expect(again.body.mismatches).toEqual([expect.objectContaining({ category: 'LOCAL_ONLY', paymentNo: lost.paymentNo, handling: 'MANUAL' })]);
});

it('an extra row is channel-only; the channel\'s own query does not confirm it, so it waits for a person and nothing is booked', async () => {
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '10.00');
  paysim.fault({ match: { api: 'bill' }, fault: { type: 'bill_extra_row' }, timesMax: 1 });
  await endDay(paysim, billDate);
  const entries = ledgerEntries(paysim).length;

  const report = await reconcile(paysim, billDate);
  expect(report.body).toMatchObject({ status: 'MISMATCHED', billRows: 2, matched: 1, counts: { CHANNEL_ONLY: 1 } });
  const [extra] = report.body.mismatches;
  expect(extra).toMatchObject({ category: 'CHANNEL_ONLY', kind: 'payment', handling: 'MANUAL', channel: { status: 'PAID' } });
  expect(extra.paymentNo).toMatch(/^UNKNOWN/);
  expect(extra.local).toBeUndefined();
  expect(extra.detail).toContain('does not know it');
  expect(ledgerEntries(paysim).length).toBe(entries);
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(false);
});

it('finds a payment whose notifications were all dropped and whose queries all failed, confirms it by query and credits it exactly once', async () => {
  const billDate = await startDay(paysim);
  // A day-long order, so that its expiry does not start close attempts while the day runs.
  const { orderNo, paymentNo } = await paysim.orderAndPay('66.60', { expireInSec: 86_400 });
  paysim.fault({ match: { api: 'notify', outTradeNo: only(paymentNo) }, fault: { type: 'drop' } });
  const queryFault = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.query', outTradeNo: only(paymentNo) }, fault: { type: 'http_error', status: 502 } }).id;
  await paysim.buyerPays(paymentNo);
  await endDay(paysim, billDate);
  expect((await paysim.order(orderNo)).status).toBe('PAYING');
  const fired = paysim.sim.engine.faults.list().find((rule) => rule.id === queryFault)!.fired;
  expect(fired).toBeGreaterThan(5);

  paysim.sim.engine.faults.remove(queryFault);
  const report = await reconcile(paysim, billDate);
  expect(report.body).toMatchObject({ status: 'MISMATCHED', counts: { CHANNEL_ONLY: 1 } });
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'CHANNEL_ONLY', kind: 'payment', paymentNo, local: { status: 'UNKNOWN', amount: '66.60' }, channel: expect.objectContaining({ status: 'PAID', amount: '66.60' }), handling: 'AUTO_FIXED' }),
  ]);
  await paysim.advance(0);
  expect(await paysim.order(orderNo)).toMatchObject({ status: 'PAID', paidAmount: '66.60' });
  const credited = ledgerEntries(paysim).filter((entry) => entry.paymentNo === paymentNo);
  expect(credited).toEqual([expect.objectContaining({ id: `payment:${paymentNo}`, kind: 'payment' })]);
  expect(credited[0]!.reason).toContain(`reconciliation alipay ${billDate} CHANNEL_ONLY payment:${paymentNo}`);
  expect(paysim.webhook.received.filter((message) => message.orderNo === orderNo).map((message) => message.type)).toEqual(['order.paid']);

  // Again, and again with rerun: the payment is matched now, and nothing is credited twice.
  expect((await reconcile(paysim, billDate)).body).toEqual(report.body);
  const rerun = await reconcile(paysim, billDate, true);
  expect(rerun.body).toMatchObject({ status: 'MATCHED', matched: 1, changes: [`resolved: CHANNEL_ONLY payment:${paymentNo}`] });
  expect(ledgerEntries(paysim).filter((entry) => entry.paymentNo === paymentNo)).toHaveLength(1);
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(true);
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(true);
});

it('an amount mismatch is reported with both sides and which is higher, for a person', async () => {
  const billDate = await startDay(paysim);
  const { paymentNo } = await paidOrder(paysim, '88.80');
  paysim.fault({ match: { api: 'bill', outTradeNo: only(paymentNo) }, fault: { type: 'bill_amount_mismatch', amount: '1.00' } });
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'AMOUNT_MISMATCH', kind: 'payment', paymentNo, local: { status: 'PAID', amount: '88.80', fee: '0.53' }, channel: { status: 'PAID', amount: '1.00', fee: '0.01' }, handling: 'MANUAL' }),
  ]);
  expect(report.body.mismatches[0].detail).toContain('our books is higher by 87.80');
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(false);
});

it('a status mismatch (a payment shown as a refund) is reported with both sides', async () => {
  const billDate = await startDay(paysim);
  const { paymentNo } = await paidOrder(paysim, '30.00');
  paysim.fault({ match: { api: 'bill', outTradeNo: only(paymentNo) }, fault: { type: 'bill_status_mismatch' } });
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body).toMatchObject({ counts: { STATUS_MISMATCH: 1, CHANNEL_ONLY: 0, LOCAL_ONLY: 0 } });
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'STATUS_MISMATCH', kind: 'payment', paymentNo, local: expect.objectContaining({ status: 'PAID', amount: '30.00' }), channel: expect.objectContaining({ status: 'REFUNDED', amount: '30.00' }), handling: 'MANUAL' }),
  ]);
});

it('a refund shown as a payment is a status mismatch too', async () => {
  const billDate = await startDay(paysim);
  const { orderNo, paymentNo } = await paidOrder(paysim, '40.00');
  const refundNo = await refunded(paysim, orderNo, '15.00', 'R-status-1');
  paysim.fault({ match: { api: 'bill', outRequestNo: `^${refundNo}$` }, fault: { type: 'bill_status_mismatch' } });
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'STATUS_MISMATCH', kind: 'refund', paymentNo, refundNo, local: expect.objectContaining({ status: 'REFUNDED', amount: '15.00' }), channel: expect.objectContaining({ status: 'PAID', amount: '15.00' }) }),
  ]);
});

it('a duplicate row is reported as DUPLICATE, the first copy matched', async () => {
  const billDate = await startDay(paysim);
  const { paymentNo } = await paidOrder(paysim, '12.00');
  paysim.fault({ match: { api: 'bill', outTradeNo: only(paymentNo) }, fault: { type: 'bill_duplicate_row' } });
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body).toMatchObject({ billRows: 2, matched: 1, counts: { DUPLICATE: 1 } });
  expect(report.body.mismatches).toEqual([expect.objectContaining({ category: 'DUPLICATE', paymentNo, handling: 'MANUAL' })]);
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(false);
});

it('a bill not ready yet is a BILL_NOT_READY run, retried on the clock and then matched', async () => {
  paysim = await restartWith({ reconciliation: { dailyAt: null, retryMs: 600_000 } });
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '10.00');
  paysim.fault({ match: { api: 'bill' }, fault: { type: 'bill_not_ready' }, timesMax: 1 });
  await endDay(paysim, billDate);

  const first = await reconcile(paysim, billDate);
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ status: 'BILL_NOT_READY', billRows: 0, mismatches: [] });
  expect(first.body.reason).toContain('tried again later');
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(false);

  await paysim.advance(600_000);
  const runs = (await paysim.api('GET', `/api/reconciliations?billDate=${billDate}`)).body.reconciliations;
  expect(runs.map((run: { status: string }) => run.status)).toEqual(['BILL_NOT_READY', 'MATCHED']);
  expect((await reconcile(paysim, billDate)).body).toEqual(runs[1]);
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(true);
});

it('a corrupt bill fails the run and writes nothing but its status and reason', async () => {
  const billDate = await startDay(paysim);
  const { paymentNo } = await paysim.orderAndPay('70.00', { expireInSec: 86_400 });
  paysim.fault({ match: { api: 'notify', outTradeNo: only(paymentNo) }, fault: { type: 'drop' } });
  paysim.fault({ match: { api: 'alipay.trade.query', outTradeNo: only(paymentNo) }, fault: { type: 'http_error', status: 502 } });
  await paysim.buyerPays(paymentNo);
  paysim.fault({ match: { api: 'bill' }, fault: { type: 'bill_corrupt' } });
  await endDay(paysim, billDate);
  const before = snapshot(paysim);

  const report = await reconcile(paysim, billDate);
  expect(report.body).toMatchObject({ status: 'FAILED', billRows: 0, matched: 0, mismatches: [] });
  expect(report.body.reason).toContain('cannot be read');
  const after = snapshot(paysim);
  expect(after.reconciliations - before.reconciliations).toBe(1);
  expect({ ...after, reconciliations: 0, days: 0 }).toEqual({ ...before, reconciliations: 0, days: 0 });
});

it('a fee the channel charged differently is booked as a fee adjustment, after which the clearing account matches the bill', async () => {
  const routing = (await import('../../../core/domain/index.ts')).defaultRoutingTable;
  paysim = await restartWith({ reconciliation: { dailyAt: null }, routing: { ...routing, 'alipay.qr': { ...routing['alipay.qr'], feeBasisPoints: 30 } } });
  const billDate = await startDay(paysim);
  const { paymentNo } = await paidOrder(paysim, '100.00');
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'FEE_MISMATCH', paymentNo, local: { status: 'PAID', amount: '100.00', fee: '0.30' }, channel: { status: 'PAID', amount: '100.00', fee: '0.60' }, handling: 'AUTO_FIXED' }),
  ]);
  const fix = ledgerEntries(paysim).filter((entry) => entry.kind === 'reconciliationFix');
  expect(fix).toEqual([expect.objectContaining({ id: `recon:alipay:${billDate}:FEE_MISMATCH:payment:${paymentNo}`, paymentNo })]);
  expect(fix[0]!.reason).toContain('FEE_MISMATCH');
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(true);
  expect(checkResult(paysim, 'ledgerBalanced').passed).toBe(true);
  await reconcile(paysim, billDate, true);
  expect(ledgerEntries(paysim).filter((entry) => entry.kind === 'reconciliationFix')).toHaveLength(1);
});

it('reconciles the previous day on its own at 10:00 Beijing time, on the virtual clock', async () => {
  paysim = await restartWith({ reconciliation: { dailyAt: '10:00' } });
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '10.00');
  await endDay(paysim, billDate); // 09:30 the next morning
  expect((await paysim.api('GET', `/api/reconciliations?billDate=${billDate}`)).body.reconciliations).toEqual([]);
  await paysim.advance(30 * 60_000);
  // Only that day: the day before the core's first start (when the app did not exist yet) is never asked for.
  const runs = (await paysim.api('GET', '/api/reconciliations')).body.reconciliations;
  // Every channel of the core is reconciled: Alipay's day had the payment; WeChat Pay's had none.
  expect(runs).toEqual([
    expect.objectContaining({ channel: 'alipay', billDate, status: 'MATCHED', matched: 1, ranAt: expect.stringContaining('T10:00:00+08:00') }),
    expect.objectContaining({ channel: 'wechatpay', billDate, status: 'MATCHED', billRows: 0, localRecords: 0, ranAt: expect.stringContaining('T10:00:00+08:00') }),
  ]);
});

async function restartWith(core: Parameters<typeof startPaysim>[0] extends infer O ? O extends { core?: infer C } ? C : never : never): Promise<Paysim> {
  await paysim.close();
  return startPaysim({ core });
}

function snapshot(target: Paysim) {
  const count = (name: string) => target.core.store.count(name);
  return {
    ledger: JSON.stringify(target.core.store.all('ledger')),
    payments: JSON.stringify(target.core.store.all('payments')),
    orders: JSON.stringify(target.core.store.all('orders')),
    pool: count('reconciliation-pool'),
    reconciliations: count('reconciliations'),
    days: count('reconciliation-days'),
  };
}

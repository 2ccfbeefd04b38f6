// Refunds the bill shows and the books do not have as done: one the core had in flight (its notify
// lost, its polls failing) is completed once the channel's query confirms it; one the core never asked
// for (made at the channel directly) is booked to the suspense account. Both are new ledger entries.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CoreConfigError, parseCoreConfig } from '../../../core/config.ts';
import { startPaysim, type Paysim } from '../integration/paysim.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { checkResult, endDay, ledgerEntries, paidOrder, reconcile, startDay } from './support.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

it('completes a refund the core still had in flight, once the channel\'s query confirms it', async () => {
  const billDate = await startDay(paysim);
  const { orderNo, paymentNo } = await paidOrder(paysim, '50.00');
  paysim.fault({ match: { api: 'notify', outTradeNo: `^${paymentNo}$` }, fault: { type: 'drop' } });
  const polls = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.fastpay.refund.query', outTradeNo: `^${paymentNo}$` }, fault: { type: 'http_error', status: 502 } }).id;
  const created = await paysim.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo: 'R-flight', amount: '20.00', reason: 'returned' });
  expect(created.status).toBe(201);
  await endDay(paysim, billDate);
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('PROCESSING');

  paysim.sim.engine.faults.remove(polls);
  const report = await reconcile(paysim, billDate);
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'CHANNEL_ONLY', kind: 'refund', paymentNo, refundNo: created.body.refundNo, local: { status: 'PROCESSING', amount: '20.00' }, handling: 'AUTO_FIXED' }),
  ]);
  expect((await paysim.api('GET', `/api/refunds/${created.body.refundNo}`)).body.status).toBe('SUCCESS');
  expect(await paysim.order(orderNo)).toMatchObject({ refundedAmount: '20.00' });
  const succeeded = ledgerEntries(paysim).filter((entry) => entry.id === `refund:${created.body.refundNo}:succeeded`);
  expect(succeeded).toHaveLength(1);
  expect(succeeded[0]!.reason).toContain('CHANNEL_ONLY');
  await paysim.advance(0);
  expect(paysim.webhook.received.filter((message) => message.orderNo === orderNo).map((message) => message.type)).toEqual(['order.paid', 'refund.succeeded']);
});

it('books a refund made at the channel behind the core\'s back to the suspense account', async () => {
  const billDate = await startDay(paysim);
  const { paymentNo } = await paidOrder(paysim, '80.00');
  const sdk = alipaySdk(paysim.sim.url);
  const refunded = await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo: paymentNo, refundAmount: '30.00', outRequestNo: 'CONSOLE-1' } }, verified);
  expect(refunded).toMatchObject({ code: '10000', fundChange: 'Y' });
  await paysim.advance(paysim.sim.engine.config.refundDelayMs);
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'CHANNEL_ONLY', kind: 'refund', paymentNo, refundNo: 'CONSOLE-1', channel: expect.objectContaining({ status: 'REFUNDED', amount: '30.00' }), handling: 'AUTO_FIXED' }),
  ]);
  expect(report.body.mismatches[0].local).toBeUndefined();
  const fixes = ledgerEntries(paysim).filter((entry) => entry.kind === 'reconciliationFix');
  expect(fixes).toEqual([expect.objectContaining({ id: `recon:alipay:${billDate}:CHANNEL_ONLY:refund:CONSOLE-1`, refundNo: 'CONSOLE-1' })]);
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(true);
  expect(checkResult(paysim, 'ledgerBalanced').passed).toBe(true);
  // A rerun finds the fix already booked and books nothing more.
  await reconcile(paysim, billDate, true);
  expect(ledgerEntries(paysim).filter((entry) => entry.kind === 'reconciliationFix')).toHaveLength(1);
});

it('finds an extra bill row that is a real payment the core never saw (another checkout of the app): channel-only, confirmed by the channel\'s query, auto-fixed into suspense', async () => {
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '10.00');
  // The merchant's other checkout takes a payment at the same app: the channel has it, the core does not.
  const sdk = alipaySdk(paysim.sim.url);
  expect(await sdk.exec('alipay.trade.pay', { bizContent: { outTradeNo: 'COUNTER-7', totalAmount: '66.00', subject: 'shop counter', scene: 'bar_code', authCode: '28763443825664394' } }, verified)).toMatchObject({ code: '10000' });
  await endDay(paysim, billDate);

  const report = await reconcile(paysim, billDate);
  expect(report.body.status).toBe('MISMATCHED');
  expect(report.body.mismatches).toEqual([
    expect.objectContaining({ category: 'CHANNEL_ONLY', kind: 'payment', paymentNo: 'COUNTER-7', channel: expect.objectContaining({ status: 'PAID', amount: '66.00' }), handling: 'AUTO_FIXED', detail: expect.stringContaining("the channel's query confirms a payment of 66.00") }),
  ]);
  const fixes = ledgerEntries(paysim).filter((entry) => entry.kind === 'reconciliationFix');
  expect(fixes).toEqual([expect.objectContaining({ id: `recon:alipay:${billDate}:CHANNEL_ONLY:payment:COUNTER-7`, paymentNo: 'COUNTER-7' })]);
  expect(checkResult(paysim, 'clearingMatchesBill').passed).toBe(true);
  expect(checkResult(paysim, 'ledgerBalanced').passed).toBe(true);
  // Asking again returns the same report and books nothing more.
  const again = await reconcile(paysim, billDate);
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(report.body.id);
  expect(ledgerEntries(paysim).filter((entry) => entry.kind === 'reconciliationFix')).toHaveLength(1);
});

it('refuses reconciliation options that cannot work, naming them', () => {
  expect(() => parseCoreConfig({ reconciliation: { dailyAt: '25:00' } })).toThrow(/reconciliation.dailyAt must be a Beijing time HH:mm/);
  expect(() => parseCoreConfig({ reconciliation: { agingDays: -1 } })).toThrow(CoreConfigError);
  expect(() => parseCoreConfig({ reconciliation: { agingDay: 3 } as never })).toThrow(/unknown reconciliation option\(s\) agingDay; known: dailyAt, agingDays, retryMs, retriesMax/);
  expect(parseCoreConfig({ reconciliation: { dailyAt: null } }).reconciliation).toEqual({ dailyAt: null, agingDays: 3, retryMs: 1_800_000, retriesMax: 48 });
});

// A retry of a bill that was not ready must run even when one advance of the virtual clock spans both the
// daily run and the retry: the virtual clock moves on as soon as a task schedules something, so the retry
// can fall due while the run that armed it is still finishing. (Found by the bill-not-ready scenario.)
import { afterEach, expect, it } from 'vitest';
import { startPaysim, type Paysim } from '../integration/paysim.ts';
import { paidOrder, startDay } from './support.ts';

let paysim: Paysim | undefined;
afterEach(async () => {
  await paysim?.close();
});

it('retries a bill that was not ready at the daily run when a single advance covers the run and the retry', async () => {
  paysim = await startPaysim({ core: { reconciliation: { dailyAt: '10:00', retryMs: 30 * 60_000 } } });
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '12.00');
  paysim.fault({ match: { channel: 'alipay', api: 'bill' }, fault: { type: 'bill_not_ready' }, timesMax: 1 });
  await paysim.advance(26 * 3_600_000); // 09:00 → 11:00 the next day: the 10:00 run and its 10:30 retry
  // The Alipay day's runs (the core reconciles its WeChat Pay day too, in the same daily run).
  const runs = (await paysim.api('GET', `/api/reconciliations?channel=alipay&billDate=${billDate}`)).body.reconciliations;
  expect(runs.map((run: { status: string; ranAt: string }) => [run.status, run.ranAt.slice(11, 16)])).toEqual([
    ['BILL_NOT_READY', '10:00'],
    ['MATCHED', '10:30'],
  ]);
});

it("stamps each channel's daily run at its due time, also when another channel's retry falls due within the same advance", async () => {
  paysim = await startPaysim({ core: { reconciliation: { dailyAt: '10:00', retryMs: 30 * 60_000 } } });
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '12.00');
  // Alipay runs first in the daily run; its failure arms a retry at 10:30, which the virtual clock can
  // reach while the daily run is still on its way to the WeChat Pay day.
  paysim.fault({ match: { channel: 'alipay', api: 'bill' }, fault: { type: 'bill_not_ready' }, timesMax: 1 });
  await paysim.advance(26 * 3_600_000);
  const runs = (await paysim.api('GET', `/api/reconciliations?channel=wechatpay&billDate=${billDate}`)).body.reconciliations;
  expect(runs.map((run: { status: string; ranAt: string }) => [run.status, run.ranAt.slice(11, 16)])).toEqual([['MATCHED', '10:00']]);
});

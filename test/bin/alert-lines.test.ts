// A flood of forged notifications is one stored alert with a count, and now also one log line with a
// count: the first occurrence is printed at once, the repeats are summed up when the interval ends.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertLines, subjectsPerKindMax } from '../../bin/commands/alert-lines.ts';
import { startPaysim, type Paysim } from '../core/integration/paysim.ts';

let paysim: Paysim;
beforeAll(async () => {
  paysim = await startPaysim();
});
afterAll(() => paysim.close());

function forgedNotify(paymentNo: string, index: number): Promise<Response> {
  const fields = { out_trade_no: paymentNo, trade_no: '2026010122001100000000000001', trade_status: 'TRADE_SUCCESS', total_amount: '12.00', app_id: paysim.sim.defaultAppId('alipay'), notify_id: `forged-${index}`, sign_type: 'RSA2', sign: 'Zm9yZ2Vk' };
  return fetch(`${paysim.core.url}/notify/alipay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

it('prints 50 forged notifications of one payment as one line, then one line with the count of the other 49', async () => {
  const written: string[] = [];
  const lines = new AlertLines((line) => written.push(line), 60_000);
  let nowMs = 0;
  paysim.core.events.on('alert.raised', (event) => lines.alert(event, nowMs));
  const { orderNo, paymentNo } = await paysim.orderAndPay('12.00');
  for (let index = 0; index < 50; index++) {
    nowMs = index * 1_000; // all within one 60 s interval
    expect((await forgedNotify(paymentNo, index)).status).toBe(400);
  }
  await paysim.advance(0);
  expect(written).toHaveLength(1);
  expect(written[0]).toMatch(new RegExp(`^paysim core: alert notify\\.invalid ${paymentNo}: `));

  lines.flush(60_000);
  expect(written.slice(1)).toEqual([`paysim core: alert notify.invalid ${paymentNo}: 49 more in the last 60 s (one stored alert, counted)`]);
  const stored = (await paysim.order(orderNo)).payments[0].alerts;
  expect(stored).toEqual([expect.objectContaining({ kind: 'notify.invalid', count: 50 })]);
});

it('prints an alert again in the next interval, and nothing at an interval end without repeats', () => {
  const written: string[] = [];
  const lines = new AlertLines((line) => written.push(line), 60_000);
  lines.alert({ kind: 'notify.invalid', subject: 'P1', detail: 'bad signature' }, 0);
  lines.flush(60_000);
  lines.alert({ kind: 'notify.invalid', subject: 'P1', detail: 'bad signature' }, 61_000);
  lines.alert({ kind: 'notify.invalid', subject: 'P1', detail: 'bad signature' }, 125_000); // a new interval: flushes the one before
  expect(written).toEqual(['paysim core: alert notify.invalid P1: bad signature', 'paysim core: alert notify.invalid P1: bad signature', 'paysim core: alert notify.invalid P1: bad signature']);
});

it(`prints at most ${subjectsPerKindMax} subjects of one kind per interval, and counts the rest`, () => {
  const written: string[] = [];
  const lines = new AlertLines((line) => written.push(line), 60_000);
  for (let index = 0; index < 500; index++) lines.alert({ kind: 'notify.invalid', subject: `P${index % 100}`, detail: 'bad signature' }, index * 10);
  expect(written).toHaveLength(subjectsPerKindMax);
  lines.flush(5_000);
  const summaries = written.slice(subjectsPerKindMax);
  expect(summaries).toHaveLength(subjectsPerKindMax + 1);
  expect(summaries[0]).toBe('paysim core: alert notify.invalid P0: 4 more in the last 5 s (one stored alert, counted)');
  expect(summaries.at(-1)).toBe('paysim core: alert notify.invalid: 400 more on 80 other subjects in the last 5 s; the orders\' alerts show each');
});

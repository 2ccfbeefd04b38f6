// A day whose bill agrees with the books both ways: MATCHED, zero mismatches, the sum check holds;
// asking again gives the same report and books nothing.
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

it('reports a clean day as MATCHED with zero mismatches, both checks passing', async () => {
  const billDate = await startDay(paysim);
  const first = await paidOrder(paysim, '88.80');
  await paidOrder(paysim, '19.99');
  await refunded(paysim, first.orderNo, '12.50', 'R-clean-1');
  await endDay(paysim, billDate);

  const answer = await reconcile(paysim, billDate);
  expect(answer.status).toBe(201);
  expect(answer.body).toMatchObject({
    channel: 'alipay', billDate, status: 'MATCHED', billRows: 3, localRecords: 3, matched: 3,
    counts: { CHANNEL_ONLY: 0, LOCAL_ONLY: 0, STATUS_MISMATCH: 0, AMOUNT_MISMATCH: 0, FEE_MISMATCH: 0, DUPLICATE: 0 },
    mismatches: [],
  });
  // 88.80 - 0.53 + 19.99 - 0.12 - (12.50 - 0.07): payments less fees, the refund less the fee it gave back.
  expect(answer.body.totals).toEqual({ channelNet: '95.71', localNet: '95.71', fees: '0.58' });
  expect(checkResult(paysim, 'twoWayConsistency').passed).toBe(true);
  expect(checkResult(paysim, 'clearingMatchesBill')).toMatchObject({ passed: true, findings: [] });
});

it('returns the same report for the same day, and books nothing the second time', async () => {
  const billDate = await startDay(paysim);
  await paidOrder(paysim, '50.00');
  await endDay(paysim, billDate);

  const first = await reconcile(paysim, billDate);
  const entries = ledgerEntries(paysim).length;
  const again = await reconcile(paysim, billDate);
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
  expect(ledgerEntries(paysim).length).toBe(entries);
  const byId = await paysim.api('GET', `/api/reconciliations/${first.body.id}`);
  expect(byId.body).toEqual(first.body);
  const listed = await paysim.api('GET', `/api/reconciliations?channel=alipay&billDate=${billDate}`);
  expect(listed.body.reconciliations).toEqual([first.body]);
});

it('refuses a day that has not ended, a malformed request and an unknown run with {code, message}', async () => {
  const billDate = await startDay(paysim);
  expect(await reconcile(paysim, billDate)).toMatchObject({ status: 409, body: { code: 'RECONCILIATION_DAY_NOT_OVER' } });
  expect(await paysim.api('POST', '/api/reconciliations', { channel: 'alipay', billDate: '2026-02-30' })).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER' } });
  expect(await paysim.api('POST', '/api/reconciliations', { channel: 'balance', billDate })).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER' } });
  expect(await paysim.api('POST', '/api/reconciliations', { channel: 'alipay', billDate, force: true })).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER' } });
  expect(await paysim.api('GET', '/api/reconciliations/alipay-1999-01-01-1')).toMatchObject({ status: 404, body: { code: 'RECONCILIATION_NOT_FOUND' } });
  expect(await paysim.api('GET', '/api/reconciliations?day=1')).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER' } });
});

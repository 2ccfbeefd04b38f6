// The two-way matcher on its own: each kind of disagreement between bill rows and local records lands
// in its category, and the day's totals are the bill's and the books' nets.
import { expect, it } from 'vitest';
import type { BillRow } from '../../../core/connectors/channel.ts';
import { LocalIndex } from '../../../core/recon/local-index.ts';
import { matchBill } from '../../../core/recon/match.ts';
import type { LocalRecord } from '../../../core/recon/types.ts';

const row = (paymentNo: string, amountFen: number, extra: Partial<BillRow> = {}): BillRow => ({ kind: 'payment', paymentNo, channelTradeNo: `T-${paymentNo}`, amountFen, feeFen: 6, atMs: 0, ...extra });
const record = (paymentNo: string, amountFen: number, extra: Partial<LocalRecord> = {}): LocalRecord => ({ kind: 'payment', paymentNo, amountFen, feeFen: 6, ...extra });
async function* batches(...rows: BillRow[]) {
  yield rows;
}

it('puts each disagreement in its category and matches the rest', async () => {
  const local = LocalIndex.of([
    record('P-ok', 1000),
    record('P-amount', 1000),
    record('P-fee', 1000),
    record('P-dup', 500),
    record('P-local', 700),
    record('P-status', 300),
    record('P-ok', 200, { kind: 'refund', refundNo: 'R-ok', feeFen: -1 }),
  ]);
  const result = await matchBill(
    batches(
      row('P-ok', 1000),
      row('P-amount', 999),
      row('P-fee', 1000, { feeFen: 7 }),
      row('P-dup', 500),
      row('P-dup', 500),
      row('P-channel', 800),
      row('P-status', 300, { kind: 'refund', refundNo: 'P-status' }),
      row('P-ok', 200, { kind: 'refund', refundNo: 'R-ok', feeFen: -1 }),
    ),
    local,
  );
  expect(result.findings.map((finding) => [finding.category, 'row' in finding ? finding.row.paymentNo : finding.local.paymentNo])).toEqual([
    ['AMOUNT_MISMATCH', 'P-amount'],
    ['FEE_MISMATCH', 'P-fee'],
    ['DUPLICATE', 'P-dup'],
    ['CHANNEL_ONLY', 'P-channel'],
    ['STATUS_MISMATCH', 'P-status'],
    ['LOCAL_ONLY', 'P-local'],
  ]);
  expect(result).toMatchObject({ billRows: 8, localRecords: 7, matched: 3 });
  // Bill: payments less fees (the duplicate counted twice); refunds out, less the fee they gave back.
  expect(result.channelNetFen).toBe(994 + 993 + 993 + 494 + 494 + 794 - (300 + 6) - (200 - 1));
  expect(result.localNetFen).toBe(994 * 3 + 494 + 694 + 294 - 199);
});

it('matches a row to an earlier day\'s record from the aging pool, once', async () => {
  const result = await matchBill(batches(row('P-late', 900), row('P-new', 100)), new LocalIndex(), {
    pooled: (key) => (key === 'payment:P-late' ? { amountFen: 900 } : undefined),
  });
  expect(result.lateMatchKeys).toEqual(['payment:P-late']);
  expect(result.findings.map((finding) => finding.category)).toEqual(['CHANNEL_ONLY']);
  expect(result.matched).toBe(1);
});

it('keeps payments and refunds of the same number apart, across a thousand records', async () => {
  const records = Array.from({ length: 1000 }, (_, index) => record(`N-${index}`, index + 1));
  const refunds = Array.from({ length: 1000 }, (_, index) => record(`N-${index}`, index + 1, { kind: 'refund', refundNo: `N-${index}` }));
  const local = LocalIndex.of([...records, ...refunds]);
  expect(local.positionOf({ kind: 'payment', paymentNo: 'N-7' })).toBe(7);
  expect(local.positionOf({ kind: 'refund', paymentNo: 'x', refundNo: 'N-7' })).toBe(1007);
  expect(local.positionOf({ kind: 'payment', paymentNo: 'N-1000' })).toBeUndefined();
  expect(() => local.add(record('N-3', 1))).toThrow(/two local records/);
});

it('compares a row the channel lists as not completed with the status of our record, outside the net', async () => {
  const refund = (refundNo: string, state: 'processing' | 'failed', channelStatus: string): BillRow =>
    row('P-r', 500, { kind: 'refund', refundNo, feeFen: -3, incomplete: { state, channelStatus } });
  const ours: Record<string, { status: 'PROCESSING' | 'SUCCESS' | 'FAILED'; paymentNo: string; amountFen: number }> = {
    'R-flight': { status: 'PROCESSING', paymentNo: 'P-r', amountFen: 500 },
    'R-failed': { status: 'FAILED', paymentNo: 'P-r', amountFen: 500 },
    'R-still': { status: 'PROCESSING', paymentNo: 'P-r', amountFen: 500 },
  };
  const result = await matchBill(
    batches(
      row('P-revoked', 1000, { incomplete: { state: 'reversed', channelStatus: 'REVOKED' } }),
      row('P-gone', 400, { incomplete: { state: 'reversed', channelStatus: 'REVOKED' } }),
      refund('R-flight', 'processing', 'PROCESSING'),
      refund('R-failed', 'failed', 'ABNORMAL'),
      refund('R-still', 'failed', 'ABNORMAL'),
      refund('R-done', 'failed', 'ABNORMAL'),
      refund('R-unknown', 'processing', 'PROCESSING'),
    ),
    LocalIndex.of([record('P-revoked', 1000), record('P-r', 500, { kind: 'refund', refundNo: 'R-done', feeFen: -3 })]),
    { refundOf: (refundNo) => ours[refundNo] },
  );
  expect(result.findings.map((finding) => [finding.category, 'row' in finding ? (finding.row.refundNo ?? finding.row.paymentNo) : finding.local.paymentNo, 'local' in finding && finding.local ? (finding.local.status ?? 'success') : null])).toEqual([
    // Ours is a success that day, the bill says REVOKED / ABNORMAL.
    ['STATUS_MISMATCH', 'P-revoked', 'success'],
    // Ours is still in flight, the bill says it failed.
    ['STATUS_MISMATCH', 'R-still', 'PROCESSING'],
    ['STATUS_MISMATCH', 'R-done', 'success'],
    ['CHANNEL_ONLY', 'R-unknown', null],
  ]);
  // A revoked payment we have no success of, a refund in flight on both sides, failed on both: agreed.
  expect(result).toMatchObject({ billRows: 7, matched: 3, channelNetFen: 0, feesFen: 0 });
});

it("matches a refund an earlier day's bill listed in flight on the day it succeeds, in that day's net", async () => {
  const flight = row('P-r', 500, { kind: 'refund', refundNo: 'R-slow', feeFen: -3, incomplete: { state: 'processing', channelStatus: 'PROCESSING' } });
  const first = await matchBill(batches(flight), new LocalIndex(), { refundOf: () => ({ status: 'PROCESSING', paymentNo: 'P-r', amountFen: 500 }) });
  expect(first).toMatchObject({ matched: 1, findings: [], inFlightKeys: ['refund:R-slow'], channelNetFen: 0 });
  // Two days later it succeeds; that day's bill does not list it again.
  const succeeded = LocalIndex.of([record('P-r', 500, { kind: 'refund', refundNo: 'R-slow', feeFen: -3 }), record('P-other', 100, { kind: 'refund', refundNo: 'R-other', feeFen: 0 })]);
  const later = await matchBill(batches(), succeeded, { shownInFlight: (key) => key === 'refund:R-slow' });
  expect(later.findings.map((finding) => [finding.category, 'local' in finding ? finding.local?.refundNo : undefined])).toEqual([['LOCAL_ONLY', 'R-other']]);
  expect(later).toMatchObject({ matched: 1, channelNetFen: -497, feesFen: -3 });
});

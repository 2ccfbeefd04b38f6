// Two-way matching of one bill against the core's records of the same (channel, day), in one pass over
// the bill's rows: each row finds its record by key (payment number, refund number), and what is left
// over on either side afterwards is the day's difference. Pure: no I/O, no clock; what to do about each
// finding is the service's decision (core/recon/handling.ts).
import type { BillRow } from '../connectors/channel.ts';
import { LocalIndex } from './local-index.ts';
import { netFen, recordKey, type LocalRecord } from './types.ts';

export type Finding =
  /** The row and the record agree on the key but not on the amount (or, amounts equal, on the fee). */
  | { readonly category: 'AMOUNT_MISMATCH' | 'FEE_MISMATCH'; readonly row: BillRow; readonly local: LocalRecord }
  /** A second row under a key that already matched, with the same amount. */
  | { readonly category: 'DUPLICATE'; readonly row: BillRow; readonly local?: LocalRecord }
  /** The same money of the same payment, but a payment on one side and a refund on the other. */
  | { readonly category: 'STATUS_MISMATCH'; readonly row: BillRow; readonly local: LocalRecord }
  | { readonly category: 'CHANNEL_ONLY'; readonly row: BillRow }
  | { readonly category: 'LOCAL_ONLY'; readonly local: LocalRecord };

export interface MatchResult {
  readonly billRows: number;
  readonly localRecords: number;
  readonly matched: number;
  readonly findings: readonly Finding[];
  /** Keys of earlier days' unmatched records that this bill shows after all (bills lag). */
  readonly lateMatchKeys: readonly string[];
  /** Keys of refunds the bill lists in flight, as our books have them: a later day's success of one is matched. */
  readonly inFlightKeys: readonly string[];
  readonly channelNetFen: number;
  readonly localNetFen: number;
  readonly feesFen: number;
}

export interface MatchOptions {
  /** An earlier day's local-only record waiting in the aging pool, by key. */
  readonly pooled?: (key: string) => { readonly amountFen: number } | undefined;
  /** Our refund of this number, whatever its status: what an incomplete refund row is compared with. */
  readonly refundOf?: (refundNo: string) => { readonly status: 'PROCESSING' | 'SUCCESS' | 'FAILED'; readonly paymentNo: string; readonly amountFen: number } | undefined;
  /** Whether an earlier day's bill listed this refund in flight (a bill that lists refunds on the day they were asked for). */
  readonly shownInFlight?: (key: string) => boolean;
  /** Called every `progressEveryRows` rows with the count so far. */
  readonly onProgress?: (rows: number) => void;
  readonly progressEveryRows?: number;
}

export async function matchBill(batches: AsyncIterable<readonly BillRow[]>, local: LocalIndex, options: MatchOptions = {}): Promise<MatchResult> {
  const findings: Finding[] = [];
  const leftoverRows: BillRow[] = [];
  const leftoverFirstAmounts = new Map<string, number>();
  const lateMatchKeys: string[] = [];
  const inFlightKeys: string[] = [];
  const progressEveryRows = options.progressEveryRows ?? 100_000;
  let billRows = 0;
  let matched = 0;
  let channelNetFen = 0;
  let feesFen = 0;

  for await (const batch of batches) {
    for (const row of batch) matchRow(row);
  }

  function matchRow(row: BillRow): void {
    billRows += 1;
    if (options.onProgress && billRows % progressEveryRows === 0) options.onProgress(billRows);
    if (row.incomplete) return matchIncomplete(row);
    channelNetFen += netFen(row);
    feesFen += row.feeFen;
    const at = local.positionOf(row);
    if (at === undefined) {
      const key = recordKey(row);
      const first = leftoverFirstAmounts.get(key);
      if (first === row.amountFen) findings.push({ category: 'DUPLICATE', row });
      else {
        if (first === undefined) leftoverFirstAmounts.set(key, row.amountFen);
        leftoverRows.push(row);
      }
      return;
    }
    if (!local.markSeen(at, row.amountFen)) {
      // The key matched before: the same row again is a duplicate; another amount is a row of its own.
      if (local.firstRowAmountOf(at) === row.amountFen) findings.push({ category: 'DUPLICATE', row, local: local.record(at) });
      else leftoverRows.push(row);
      return;
    }
    if (local.amountOf(at) !== row.amountFen) findings.push({ category: 'AMOUNT_MISMATCH', row, local: local.record(at) });
    else if (local.feeOf(at) !== row.feeFen) findings.push({ category: 'FEE_MISMATCH', row, local: local.record(at) });
    else matched += 1;
  }

  /**
   * A row that is not a completed payment or refund moved no money as the books count it: it is not in
   * the bill's net, and it is compared with the status of our record. A success of ours under its number
   * that day is a status mismatch; a refund in flight on both sides, or failed on both, agrees.
   */
  function matchIncomplete(row: BillRow): void {
    const incomplete = row.incomplete!;
    const at = local.positionOf(row);
    if (at !== undefined) {
      local.markSeen(at, row.amountFen);
      findings.push({ category: 'STATUS_MISMATCH', row, local: local.record(at) });
      return;
    }
    if (row.kind === 'payment') {
      // Not a success of ours that day either: both sides agree nothing was paid that day.
      if (incomplete.state === 'reversed') matched += 1;
      else findings.push({ category: 'CHANNEL_ONLY', row });
      return;
    }
    const ours = row.refundNo ? options.refundOf?.(row.refundNo) : undefined;
    if (!ours) return void findings.push({ category: 'CHANNEL_ONLY', row });
    // In flight at the bill's making: ours is in flight too, or has succeeded since (on a later day).
    const agrees = incomplete.state === 'processing' ? ours.status !== 'FAILED' : incomplete.state === 'failed' && ours.status === 'FAILED';
    if (agrees) {
      matched += 1;
      if (incomplete.state === 'processing') inFlightKeys.push(recordKey(row));
      return;
    }
    findings.push({ category: 'STATUS_MISMATCH', row, local: { kind: 'refund', paymentNo: ours.paymentNo, refundNo: row.refundNo!, amountFen: ours.amountFen, feeFen: 0, status: ours.status } });
  }

  // What neither side matched: first the same money of the same payment under the other kind, then the
  // aging pool of earlier days, then what is truly one-sided.
  const unseenByMoney = new Map<string, LocalRecord[]>();
  for (const record of local.unseen()) {
    const moneyKey = `${record.paymentNo}|${record.amountFen}`;
    unseenByMoney.set(moneyKey, [...(unseenByMoney.get(moneyKey) ?? []), record]);
  }
  for (const row of leftoverRows) {
    const candidates = unseenByMoney.get(`${row.paymentNo}|${row.amountFen}`);
    const index = candidates?.findIndex((record) => record.kind !== row.kind) ?? -1;
    if (candidates && index >= 0) {
      findings.push({ category: 'STATUS_MISMATCH', row, local: candidates[index]! });
      candidates.splice(index, 1);
      continue;
    }
    const pooled = options.pooled?.(recordKey(row));
    if (pooled && pooled.amountFen === row.amountFen) {
      lateMatchKeys.push(recordKey(row));
      matched += 1;
      continue;
    }
    findings.push({ category: 'CHANNEL_ONLY', row });
  }
  for (const records of unseenByMoney.values()) {
    for (const record of records) {
      // A refund an earlier bill listed in flight, completed this day: that bill was its row. Its money
      // moved this day, so it counts in this day's channel net as in our books.
      if (record.kind === 'refund' && options.shownInFlight?.(recordKey(record))) {
        matched += 1;
        channelNetFen += netFen(record);
        feesFen += record.feeFen;
        continue;
      }
      findings.push({ category: 'LOCAL_ONLY', local: record });
    }
  }

  return { billRows, localRecords: local.size, matched, findings, lateMatchKeys, inFlightKeys, channelNetFen, localNetFen: local.netTotalFen(), feesFen };
}

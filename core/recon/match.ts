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
  readonly channelNetFen: number;
  readonly localNetFen: number;
  readonly feesFen: number;
}

export interface MatchOptions {
  /** An earlier day's local-only record waiting in the aging pool, by key. */
  readonly pooled?: (key: string) => { readonly amountFen: number } | undefined;
  /** Called every `progressEveryRows` rows with the count so far. */
  readonly onProgress?: (rows: number) => void;
  readonly progressEveryRows?: number;
}

export async function matchBill(batches: AsyncIterable<readonly BillRow[]>, local: LocalIndex, options: MatchOptions = {}): Promise<MatchResult> {
  const findings: Finding[] = [];
  const leftoverRows: BillRow[] = [];
  const leftoverFirstAmounts = new Map<string, number>();
  const lateMatchKeys: string[] = [];
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
    channelNetFen += netFen(row);
    feesFen += row.feeFen;
    if (options.onProgress && billRows % progressEveryRows === 0) options.onProgress(billRows);
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
  for (const records of unseenByMoney.values()) for (const record of records) findings.push({ category: 'LOCAL_ONLY', local: record });

  return { billRows, localRecords: local.size, matched, findings, lateMatchKeys, channelNetFen, localNetFen: local.netTotalFen(), feesFen };
}

// The shapes of reconciliation (对账): what the core's books say about a day, what the bill says, and
// the report that compares them both ways. Category names are neutral (no channel's vocabulary), so a
// WeChat bill lands in the same categories as an Alipay one.
import type { ChannelName } from '../domain/index.ts';

export type MismatchCategory = 'CHANNEL_ONLY' | 'LOCAL_ONLY' | 'STATUS_MISMATCH' | 'AMOUNT_MISMATCH' | 'FEE_MISMATCH' | 'DUPLICATE';

export const mismatchCategories: readonly MismatchCategory[] = ['CHANNEL_ONLY', 'LOCAL_ONLY', 'STATUS_MISMATCH', 'AMOUNT_MISMATCH', 'FEE_MISMATCH', 'DUPLICATE'];

export type Handling = 'AUTO_FIXED' | 'AGING' | 'MANUAL';

export type RunStatus = 'MATCHED' | 'MISMATCHED' | 'BILL_NOT_READY' | 'FAILED';

/** A success in the core's books, in the bill's terms: amounts positive, fee signed as on a bill row. */
export interface LocalRecord {
  readonly kind: 'payment' | 'refund';
  readonly paymentNo: string;
  readonly refundNo?: string;
  readonly amountFen: number;
  readonly feeFen: number;
  /** A record that is not a success (a refund in flight or failed), met by a bill row of its status: its status. */
  readonly status?: string;
}

/** One side of a mismatch as the report shows it. */
export interface Side {
  readonly status: string;
  readonly amountFen: number;
  readonly feeFen?: number;
}

export interface Mismatch {
  readonly category: MismatchCategory;
  readonly kind: 'payment' | 'refund';
  readonly paymentNo: string;
  readonly refundNo?: string;
  readonly channelTradeNo?: string;
  readonly local?: Side;
  readonly channel?: Side;
  readonly handling: Handling;
  readonly detail: string;
}

export interface ReconciliationReport {
  readonly id: string;
  readonly channel: ChannelName;
  readonly billDate: string;
  readonly status: RunStatus;
  readonly reason?: string;
  readonly ranAtMs: number;
  /** The run this one repeated (`rerun: true`), and what changed since. */
  readonly rerunOf?: string;
  readonly changes?: readonly string[];
  readonly billRows: number;
  readonly localRecords: number;
  readonly matched: number;
  readonly counts: Readonly<Record<MismatchCategory, number>>;
  readonly totals: { readonly channelNetFen: number; readonly localNetFen: number; readonly feesFen: number };
  readonly mismatches: readonly Mismatch[];
}

/** The key a record and a bill row share: a payment by its number, a refund by its own. */
export function recordKey(record: { readonly kind: 'payment' | 'refund'; readonly paymentNo: string; readonly refundNo?: string }): string {
  return record.kind === 'payment' ? `payment:${record.paymentNo}` : `refund:${record.refundNo ?? ''}`;
}

/** What a row or record adds to the channel clearing account: money in less fee, or out less fee returned. */
export function netFen(record: { readonly kind: 'payment' | 'refund'; readonly amountFen: number; readonly feeFen: number }): number {
  return (record.kind === 'payment' ? record.amountFen : -record.amountFen) - record.feeFen;
}

export function emptyCounts(): Record<MismatchCategory, number> {
  return { CHANNEL_ONLY: 0, LOCAL_ONLY: 0, STATUS_MISMATCH: 0, AMOUNT_MISMATCH: 0, FEE_MISMATCH: 0, DUPLICATE: 0 };
}

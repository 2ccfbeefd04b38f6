// Shapes shared by the loss-prevention checks (资损防控): what they read and what they report.
import type { JournalEntry } from './ledger.ts';
import type { MerchantNotification } from './merchant-notification.ts';
import type { Order } from './order.ts';
import type { Payment } from './payment.ts';
import type { Refund } from './refund.ts';

/** Everything the checks look at, read at one instant. */
export interface CheckInput {
  readonly nowMs: number;
  readonly orders: readonly Order[];
  readonly payments: readonly Payment[];
  readonly refunds: readonly Refund[];
  readonly ledger: readonly JournalEntry[];
  readonly notifications: readonly MerchantNotification[];
}

export type CheckCategory = 'sumOfParts' | 'sequence' | 'idempotency' | 'timeliness';

export type CheckName =
  | 'refundsWithinPaid'
  | 'paidOrdersMatchPayments'
  | 'ledgerBalanced'
  | 'ledgerCoversRecords'
  | 'noRefundBeforePay'
  | 'noSuccessKeptAfterClose'
  | 'noDoubleCredit'
  | 'noDuplicateRefund'
  | 'unpaidOrdersClosedInTime'
  | 'paymentsResolved'
  | 'refundsNotStuck'
  | 'notificationsDelivered';

export interface Finding {
  /** What the finding is about, as `kind:number` (order:…, payment:…, refund:…, entry:…, notification:…). */
  readonly subject: string;
  readonly detail: string;
}

export interface CheckResult {
  readonly name: CheckName;
  readonly category: CheckCategory;
  readonly passed: boolean;
  readonly findings: readonly Finding[];
}

/** Groups records by a key, keeping their order. */
export function groupBy<T>(records: readonly T[], keyOf: (record: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const key = keyOf(record);
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return groups;
}

/** Keys that occur more than once, each reported once. */
export function duplicates(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of keys) (seen.has(key) ? repeated : seen).add(key);
  return [...repeated];
}

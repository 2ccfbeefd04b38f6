// Reconciliation's ledger entries. Each fix is a new balanced entry whose id names the run's day, the
// category and the record, so a second run of the same day finds it and books nothing twice; entries
// already written are never edited.
import { clearingAccount, journalEntry, postingsForReconciliationFix, type ChannelName, type JournalEntry } from '../domain/index.ts';
import type { MismatchCategory } from './types.ts';

export interface FixSubject {
  readonly channel: Exclude<ChannelName, 'balance'>;
  readonly billDate: string;
  readonly category: MismatchCategory;
  readonly key: string;
  readonly orderNo?: string;
  readonly paymentNo?: string;
  readonly refundNo?: string;
}

/** The id every fix of this subject carries (`recon:` is added by the ledger). */
export function fixIdOf(subject: FixSubject): string {
  return `${subject.channel}:${subject.billDate}:${subject.category}:${subject.key}`;
}

/** Why an entry exists, in words a person reading the ledger needs. */
export function fixReason(subject: FixSubject, detail: string): string {
  return `reconciliation ${subject.channel} ${subject.billDate} ${subject.category} ${subject.key}: ${detail}`;
}

/** Money the bill shows and no record of ours holds (positive: the channel holds more), into suspense. */
export function suspenseEntry(subject: FixSubject, differenceFen: number, atMs: number, detail: string): JournalEntry[] {
  const ids = { ...(subject.orderNo ? { orderNo: subject.orderNo } : {}), ...(subject.paymentNo ? { paymentNo: subject.paymentNo } : {}), ...(subject.refundNo ? { refundNo: subject.refundNo } : {}) };
  return postingsForReconciliationFix({ fixId: fixIdOf(subject), channel: subject.channel, differenceFen, atMs, ...ids }).map((entry) => ({ ...entry, reason: fixReason(subject, detail) }));
}

/** The channel charged (positive) or gave back (negative) this much more fee than we expected. */
export function feeAdjustmentEntry(subject: FixSubject, extraFeeFen: number, atMs: number, detail: string): JournalEntry[] {
  const amountFen = Math.abs(extraFeeFen);
  const clearing = clearingAccount(subject.channel);
  const postings =
    extraFeeFen > 0
      ? [{ account: 'channel_fees', side: 'debit', amountFen }, { account: clearing, side: 'credit', amountFen }] as const
      : [{ account: clearing, side: 'debit', amountFen }, { account: 'channel_fees', side: 'credit', amountFen }] as const;
  return [
    {
      ...journalEntry({
        id: `recon:${fixIdOf(subject)}`,
        kind: 'reconciliationFix',
        atMs,
        orderNo: subject.orderNo ?? null,
        paymentNo: subject.paymentNo ?? null,
        refundNo: subject.refundNo ?? null,
        postings,
      }),
      reason: fixReason(subject, detail),
    },
  ];
}

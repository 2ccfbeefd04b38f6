// Double-entry ledger in fen, from the merchant's side. Every journal entry balances (debits =
// credits) or is never built: an unbalanced entry can only be a bug, so building one throws.
// Entry ids are derived from what they record, so writing the same fact twice writes the same key.
//
// Accounts:
//   channel_clearing:<channel>  asset: money a channel holds for us until it settles to the bank
//   buyer_balance               liability: buyers' stored value (the `balance` method pays from it)
//   merchant_revenue            income: sales, less merchant refunds
//   channel_fees                expense: channel fees, less fees given back on refunds
//   refunds_payable             liability: refunds accepted and not completed by the channel yet
//   late_receipts               liability: money received that the order must not keep (paid after
//                               close, second payment); it goes back by automatic refund
//   reconciliation_differences  suspense: what the bill says and our records did not, until resolved
import { assertFen } from '../../lib/money.ts';
import { assert, assertNever } from './assert.ts';
import type { Payment } from './payment.ts';
import type { Refund } from './refund.ts';
import type { ChannelName } from './routing.ts';

export type LedgerAccount =
  /** One clearing account per channel (`channel_clearing:alipay` …). */
  | `channel_clearing:${ChannelName}`
  | 'buyer_balance'
  | 'merchant_revenue'
  | 'channel_fees'
  | 'refunds_payable'
  | 'late_receipts'
  | 'reconciliation_differences';

export interface Posting {
  readonly account: LedgerAccount;
  readonly side: 'debit' | 'credit';
  readonly amountFen: number;
}

export type JournalKind = 'payment' | 'lateReceipt' | 'refundRequested' | 'refundSucceeded' | 'refundFailed' | 'reconciliationFix';

export interface JournalEntry {
  readonly id: string;
  readonly kind: JournalKind;
  readonly atMs: number;
  readonly orderNo: string | null;
  readonly paymentNo: string | null;
  readonly refundNo: string | null;
  readonly postings: readonly Posting[];
  /** Why the entry exists, where its kind alone does not say (reconciliation fixes name their mismatch). */
  readonly reason?: string;
}

/** Where a channel's money sits: its clearing account, or the buyers' balance for `balance`. */
export function clearingAccount(channel: ChannelName): LedgerAccount {
  return channel === 'balance' ? 'buyer_balance' : `channel_clearing:${channel}`;
}

const debit = (account: LedgerAccount, amountFen: number): Posting => ({ account, side: 'debit', amountFen });
const credit = (account: LedgerAccount, amountFen: number): Posting => ({ account, side: 'credit', amountFen });

export function sumSide(postings: readonly Posting[], side: Posting['side']): number {
  return postings.filter((posting) => posting.side === side).reduce((sum, posting) => sum + posting.amountFen, 0);
}

/** Builds an entry, dropping 0-fen lines (a fee of 0); throws unless it balances. */
export function journalEntry(entry: Omit<JournalEntry, 'postings'> & { readonly postings: readonly Posting[] }): JournalEntry {
  const postings = entry.postings.filter((posting) => posting.amountFen !== 0);
  for (const posting of postings) {
    assertFen(posting.amountFen);
    assert(posting.amountFen > 0, `entry ${entry.id}: posting to ${posting.account} of ${posting.amountFen} fen is negative`);
  }
  assert(postings.length >= 2, `entry ${entry.id} needs at least two postings`);
  const debitFen = sumSide(postings, 'debit');
  const creditFen = sumSide(postings, 'credit');
  assert(debitFen === creditFen, `entry ${entry.id} does not balance: debits ${debitFen} fen, credits ${creditFen} fen`);
  return { ...entry, postings };
}

function received(payment: Payment, incomeAccount: LedgerAccount): Posting[] {
  return [debit(clearingAccount(payment.channel), payment.amountFen - payment.feeFen), debit('channel_fees', payment.feeFen), credit(incomeAccount, payment.amountFen)];
}

/** A success credited to its order: the channel holds the amount less its fee, the sale is revenue. */
export function postingsForPayment(payment: Payment): JournalEntry[] {
  assert(payment.status === 'SUCCEEDED' && payment.settlement === 'credited', `payment ${payment.paymentNo} was not credited`);
  const ids = { orderNo: payment.orderNo, paymentNo: payment.paymentNo, refundNo: null };
  return [journalEntry({ id: `payment:${payment.paymentNo}`, kind: 'payment', atMs: payment.paidAtMs, ...ids, postings: received(payment, 'merchant_revenue') })];
}

/** The account a refund takes its money from: revenue for a merchant refund, late receipts otherwise. */
function refundSource(refund: Refund): LedgerAccount {
  return refund.kind === 'merchant' ? 'merchant_revenue' : 'late_receipts';
}

/**
 * Every entry the refund's present state implies: accepted (PROCESSING), then completed (SUCCESS) or
 * failed (FAILED). Writing them by id after each step is idempotent: earlier ones come out identical.
 */
export function postingsForRefund(refund: Refund): JournalEntry[] {
  const ids = { orderNo: refund.orderNo, paymentNo: refund.paymentNo, refundNo: refund.refundNo };
  const requested = journalEntry({
    id: `refund:${refund.refundNo}:requested`,
    kind: 'refundRequested',
    atMs: refund.createdAtMs,
    ...ids,
    postings: [debit(refundSource(refund), refund.amountFen), credit('refunds_payable', refund.amountFen)],
  });
  switch (refund.status) {
    case 'PROCESSING':
      return [requested];
    case 'SUCCESS': {
      const clearingFen = refund.amountFen - refund.feeReturnedFen;
      const postings = [debit('refunds_payable', refund.amountFen), credit(clearingAccount(refund.channel), clearingFen), credit('channel_fees', refund.feeReturnedFen)];
      return [requested, journalEntry({ id: `refund:${refund.refundNo}:succeeded`, kind: 'refundSucceeded', atMs: refund.succeededAtMs, ...ids, postings })];
    }
    case 'FAILED': {
      const postings = [debit('refunds_payable', refund.amountFen), credit(refundSource(refund), refund.amountFen)];
      return [requested, journalEntry({ id: `refund:${refund.refundNo}:failed`, kind: 'refundFailed', atMs: refund.failedAtMs, ...ids, postings })];
    }
    default:
      return assertNever(refund, 'refund status');
  }
}

/**
 * A success the order must not keep and its automatic refund: the money comes in as a late receipt
 * (never revenue) and is at once owed back.
 */
export function postingsForAutoRefund(payment: Payment, refund: Refund): JournalEntry[] {
  assert(payment.status === 'SUCCEEDED' && payment.settlement !== 'credited', `payment ${payment.paymentNo} is not a success to give back`);
  assert(refund.paymentNo === payment.paymentNo && refund.kind !== 'merchant', `refund ${refund.refundNo} is not the automatic refund of ${payment.paymentNo}`);
  const ids = { orderNo: payment.orderNo, paymentNo: payment.paymentNo, refundNo: null };
  const receipt = journalEntry({ id: `late-receipt:${payment.paymentNo}`, kind: 'lateReceipt', atMs: payment.paidAtMs, ...ids, postings: received(payment, 'late_receipts') });
  return [receipt, ...postingsForRefund(refund)];
}

/**
 * A reconciliation finding turned into an entry: `differenceFen` is what the channel's bill holds
 * minus what our records hold for that line (positive: the channel has more). Fixes are new
 * entries, never edits; the suspense account keeps them visible until someone resolves them.
 */
export function postingsForReconciliationFix(fix: {
  readonly fixId: string;
  readonly channel: ChannelName;
  readonly differenceFen: number;
  readonly atMs: number;
  readonly orderNo?: string;
  readonly paymentNo?: string;
  readonly refundNo?: string;
}): JournalEntry[] {
  assertFen(fix.differenceFen);
  assert(fix.differenceFen !== 0, `reconciliation fix ${fix.fixId} has no difference`);
  const amountFen = Math.abs(fix.differenceFen);
  const clearing = clearingAccount(fix.channel);
  const postings =
    fix.differenceFen > 0
      ? [debit(clearing, amountFen), credit('reconciliation_differences', amountFen)]
      : [debit('reconciliation_differences', amountFen), credit(clearing, amountFen)];
  const ids = { orderNo: fix.orderNo ?? null, paymentNo: fix.paymentNo ?? null, refundNo: fix.refundNo ?? null };
  return [journalEntry({ id: `recon:${fix.fixId}`, kind: 'reconciliationFix', atMs: fix.atMs, ...ids, postings })];
}

export interface AccountBalance {
  readonly debitFen: number;
  readonly creditFen: number;
  /** Debits minus credits: positive for assets and expenses, negative for liabilities and income. */
  readonly balanceFen: number;
}

export interface TrialBalance {
  readonly accounts: Readonly<Partial<Record<LedgerAccount, AccountBalance>>>;
  readonly debitFen: number;
  readonly creditFen: number;
  readonly balanced: boolean;
  /** Entries that do not balance by themselves (stored records that were corrupted or hand-edited). */
  readonly unbalancedEntryIds: readonly string[];
}

export function trialBalance(entries: readonly JournalEntry[]): TrialBalance {
  const accounts: Partial<Record<LedgerAccount, AccountBalance>> = {};
  const unbalancedEntryIds: string[] = [];
  let debitFen = 0;
  let creditFen = 0;
  for (const entry of entries) {
    if (sumSide(entry.postings, 'debit') !== sumSide(entry.postings, 'credit')) unbalancedEntryIds.push(entry.id);
    for (const posting of entry.postings) {
      const current = accounts[posting.account] ?? { debitFen: 0, creditFen: 0, balanceFen: 0 };
      const isDebit = posting.side === 'debit';
      accounts[posting.account] = {
        debitFen: current.debitFen + (isDebit ? posting.amountFen : 0),
        creditFen: current.creditFen + (isDebit ? 0 : posting.amountFen),
        balanceFen: current.balanceFen + (isDebit ? posting.amountFen : -posting.amountFen),
      };
      if (isDebit) debitFen += posting.amountFen;
      else creditFen += posting.amountFen;
    }
  }
  return { accounts, debitFen, creditFen, balanced: debitFen === creditFen && unbalancedEntryIds.length === 0, unbalancedEntryIds };
}

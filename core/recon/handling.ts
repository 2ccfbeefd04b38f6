// What reconciliation does about each finding, decided in one synchronous block over records read at
// that instant, so that every fix of a run and the run's report go into one commit: a crash leaves the
// whole run or none of it. Channel-only rows were asked about first (core/recon/evidence.ts): only what
// the channel's own query confirms is applied; the rest waits for a person.
import { formatFen } from '../../lib/money.ts';
import type { Mutation } from '../../lib/store/index.ts';
import type { BillRow } from '../connectors/channel.ts';
import { applyChannelSuccess, assertNever, type ChannelName } from '../domain/index.ts';
import type { ComponentDependencies } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { collections, writeLedger } from '../services/records.ts';
import type { Evidence } from './evidence.ts';
import { feeAdjustmentEntry, fixIdOf, fixReason, suspenseEntry, type FixSubject } from './ledger-fixes.ts';
import type { Finding } from './match.ts';
import { poolEntryOf, writePoolEntry, type PoolEntry } from './pool.ts';
import { recordKey, type LocalRecord, type Mismatch, type Side } from './types.ts';

export interface Decisions {
  readonly mismatches: Mismatch[];
  readonly mutations: Mutation[];
  /** Work for after the commit: events, timers, the ordinary paths for what the run does not apply itself. */
  readonly afterCommit: (() => void)[];
}

export interface DecideInput {
  readonly context: ServiceContext;
  readonly components: ComponentDependencies['reconciliation'];
  readonly channel: Exclude<ChannelName, 'balance'>;
  readonly billDate: string;
  /** Whole days since the bill came out (the day after its date): how long a local-only record has waited. */
  readonly ageDays: number;
  readonly findings: readonly Finding[];
  readonly evidence: ReadonlyMap<string, Evidence>;
  readonly pool: ReadonlyMap<string, PoolEntry>;
  readonly runId: string;
}

const yuan = (fen: number) => formatFen(fen);
const rowSide = (row: BillRow): Side => ({ status: row.incomplete?.channelStatus ?? (row.kind === 'payment' ? 'PAID' : 'REFUNDED'), amountFen: row.amountFen, feeFen: row.feeFen });
const localSide = (record: LocalRecord): Side => ({ status: record.status ?? (record.kind === 'payment' ? 'PAID' : 'REFUNDED'), amountFen: record.amountFen, feeFen: record.feeFen });

export function decide(input: DecideInput): Decisions {
  const decisions: Decisions = { mismatches: [], mutations: [], afterCommit: [] };
  for (const finding of input.findings) decisions.mismatches.push(decideOne(input, finding, decisions));
  return decisions;
}

function decideOne(input: DecideInput, finding: Finding, out: Decisions): Mismatch {
  const { context } = input;
  const nowMs = context.clock.now();
  const subjectOf = (record: { kind: 'payment' | 'refund'; paymentNo: string; refundNo?: string }): FixSubject => ({
    channel: input.channel,
    billDate: input.billDate,
    category: finding.category,
    key: recordKey(record),
    paymentNo: record.paymentNo,
    ...(record.refundNo ? { refundNo: record.refundNo } : {}),
    ...(context.records.payment(record.paymentNo) ? { orderNo: context.records.payment(record.paymentNo)!.orderNo } : {}),
  });
  const alreadyBooked = (subject: FixSubject) => context.store.get(collections.ledger, `recon:${fixIdOf(subject)}`) !== undefined;
  const base = (record: { kind: 'payment' | 'refund'; paymentNo: string; refundNo?: string }, row?: BillRow) => ({
    category: finding.category,
    kind: record.kind,
    paymentNo: record.paymentNo,
    ...(record.refundNo ? { refundNo: record.refundNo } : {}),
    ...(row?.channelTradeNo ? { channelTradeNo: row.channelTradeNo } : {}),
  });

  switch (finding.category) {
    case 'AMOUNT_MISMATCH': {
      const { row, local } = finding;
      const higher = row.amountFen > local.amountFen ? 'the channel' : 'our books';
      return { ...base(row, row), local: localSide(local), channel: rowSide(row), handling: 'MANUAL', detail: `the bill shows ${yuan(row.amountFen)}, our books ${yuan(local.amountFen)}: ${higher} is higher by ${yuan(Math.abs(row.amountFen - local.amountFen))}; ask the channel which is right` };
    }
    case 'FEE_MISMATCH': {
      const { row, local } = finding;
      const extraFeeFen = row.feeFen - local.feeFen;
      const subject = subjectOf(row);
      const detail = `the channel's fee is ${yuan(row.feeFen)}, we expected ${yuan(local.feeFen)}; the difference of ${yuan(Math.abs(extraFeeFen))} is booked to channel_fees`;
      if (!alreadyBooked(subject)) out.mutations.push(...writeLedger(feeAdjustmentEntry(subject, extraFeeFen, nowMs, detail)));
      return { ...base(row, row), local: localSide(local), channel: rowSide(row), handling: 'AUTO_FIXED', detail };
    }
    case 'DUPLICATE': {
      const { row, local } = finding;
      return { ...base(row, row), ...(local ? { local: localSide(local) } : {}), channel: rowSide(row), handling: 'MANUAL', detail: `the bill lists this ${row.kind} twice, so its net total counts ${yuan(row.amountFen)} once too often; ask the channel for a corrected bill` };
    }
    case 'STATUS_MISMATCH': {
      const { row, local } = finding;
      const detail = row.incomplete
        ? `our books have ${local.kind} ${local.refundNo ?? local.paymentNo} of ${yuan(local.amountFen)} as ${localSide(local).status}, the bill shows it ${row.incomplete.channelStatus}; ask the channel`
        : `our books have a ${local.kind} of ${yuan(local.amountFen)} on ${local.paymentNo}, the bill shows that money as a ${row.kind}; ask the channel`;
      return { ...base(local, row), local: localSide(local), channel: rowSide(row), handling: 'MANUAL', detail };
    }
    case 'LOCAL_ONLY': {
      const { local } = finding;
      const key = recordKey(local);
      const known = input.pool.get(`${input.channel}|${key}`);
      const waitedDays = input.ageDays;
      const agingDays = context.config.reconciliation.agingDays;
      const handling = waitedDays >= agingDays ? 'MANUAL' : 'AGING';
      out.mutations.push(writePoolEntry(poolEntryOf({ channel: input.channel, key, record: local, billDate: known?.billDate ?? input.billDate, handling, runId: input.runId, atMs: nowMs })));
      const detail = handling === 'AGING'
        ? `not in the bill yet; bills lag, so it waits in the aging pool for ${agingDays} days (${waitedDays} so far) before a person must look`
        : `not in the channel's bill after ${waitedDays} days in the aging pool; a person must find out whether the channel has it`;
      return { ...base(local), local: localSide(local), handling, detail };
    }
    case 'CHANNEL_ONLY':
      return finding.row.kind === 'payment' ? channelOnlyPayment(input, finding.row, out, base, subjectOf) : channelOnlyRefund(input, finding.row, out, base, subjectOf);
    default:
      return assertNever(finding, 'reconciliation finding');
  }
}

type Base = (record: { kind: 'payment' | 'refund'; paymentNo: string; refundNo?: string }, row?: BillRow) => Pick<Mismatch, 'category' | 'kind' | 'paymentNo' | 'refundNo' | 'channelTradeNo'>;

function unconfirmed(evidence: Evidence | undefined, row: BillRow): string {
  if (!evidence) return 'the channel was not asked';
  switch (evidence.kind) {
    case 'unavailable':
      return `the channel could not be asked (${evidence.reason.slice(0, 120)}); run again with rerun: true`;
    case 'notFound':
      return "the channel's own query does not know it";
    case 'paid':
      return `the channel's query says paid ${yuan(evidence.amountFen)}, the bill ${yuan(row.amountFen)}`;
    case 'succeeded':
      return `the channel's query says refunded ${yuan(evidence.amountFen)}, the bill ${yuan(row.amountFen)}`;
    default:
      return `the channel's query says ${evidence.kind}, not ${row.kind === 'payment' ? 'paid' : 'refunded'}`;
  }
}

function channelOnlyPayment(input: DecideInput, row: BillRow, out: Decisions, base: Base, subjectOf: (record: BillRow) => FixSubject): Mismatch {
  const { context, components } = input;
  const nowMs = context.clock.now();
  const evidence = input.evidence.get(recordKey(row));
  const payment = context.records.payment(row.paymentNo);
  const local = payment ? { local: { status: payment.status, amountFen: payment.amountFen } } : {};
  const manual = (detail: string): Mismatch => ({ ...base(row, row), ...local, channel: rowSide(row), handling: 'MANUAL', detail });
  if (evidence?.kind !== 'paid' || evidence.amountFen !== row.amountFen) return manual(`${unconfirmed(evidence, row)}; a person must look`);
  const subject = subjectOf(row);
  if (!payment) {
    const detail = `the channel's query confirms a payment of ${yuan(row.amountFen)} that no order of ours has; its net ${yuan(row.amountFen - row.feeFen)} is booked to reconciliation_differences`;
    if (!context.store.get(collections.ledger, `recon:${fixIdOf(subject)}`)) out.mutations.push(...writeLedger(suspenseEntry(subject, row.amountFen - row.feeFen, nowMs, detail)));
    return { ...base(row, row), channel: rowSide(row), handling: 'AUTO_FIXED', detail };
  }
  const order = context.records.order(payment.orderNo);
  if (!order) return manual(`payment ${payment.paymentNo} has no order ${payment.orderNo}`);
  const outcome = applyChannelSuccess(payment, order, { amountFen: evidence.amountFen, tradeNo: evidence.channelTradeNo, appId: payment.appId, sellerId: payment.sellerId, paidAtMs: evidence.paidAtMs ?? row.atMs }, nowMs);
  switch (outcome.outcome) {
    case 'credited': {
      const detail = `lost payment found: the channel's query confirms it paid ${yuan(row.amountFen)}; order ${order.orderNo} is credited`;
      const credit = components.payments.stageCredit(outcome, { ledgerReason: fixReason(subject, detail) });
      out.mutations.push(...credit.mutations);
      out.afterCommit.push(credit.afterCommit);
      return { ...base(row, row), ...local, channel: rowSide(row), handling: 'AUTO_FIXED', detail };
    }
    case 'paidAfterClose':
    case 'duplicatePayment':
      // Money the order must not keep: the ordinary path records it and refunds it automatically, as
      // scheduled work, so that a failure of it is reported like any task's.
      out.afterCommit.push(() =>
        context.scheduler.arm(`reconciliation-apply:${payment.paymentNo}`, context.clock.now(), async () => {
          await components.payments.apply(payment.paymentNo, evidence, { scheduled: false });
        }),
      );
      // Nothing is left for a person: the refund is tracked like any other, and one that fails is
      // raised by the refund path itself.
      return { ...base(row, row), ...local, channel: rowSide(row), handling: 'AUTO_FIXED', detail: `paid at the channel, but ${outcome.outcome === 'paidAfterClose' ? 'the order was closed' : 'the order was paid by another payment'}: recorded, and refunded automatically` };
    case 'alreadyCredited':
      return manual('recorded as paid under another bill day');
    case 'amountMismatch':
    case 'identityMismatch':
      return manual(`the channel's answer does not fit payment ${payment.paymentNo} (${outcome.outcome})`);
    default:
      return assertNever(outcome, 'channel success outcome');
  }
}

function channelOnlyRefund(input: DecideInput, row: BillRow, out: Decisions, base: Base, subjectOf: (record: BillRow) => FixSubject): Mismatch {
  const { context, components } = input;
  const nowMs = context.clock.now();
  const evidence = input.evidence.get(recordKey(row));
  const refund = row.refundNo ? context.records.refund(row.refundNo) : undefined;
  const local = refund ? { local: { status: refund.status, amountFen: refund.amountFen } } : {};
  const manual = (detail: string): Mismatch => ({ ...base(row, row), ...local, channel: rowSide(row), handling: 'MANUAL', detail });
  if (evidence?.kind !== 'succeeded' || evidence.amountFen !== row.amountFen) return manual(`${unconfirmed(evidence, row)}; a person must look`);
  const subject = subjectOf(row);
  if (!refund) {
    const detail = `the channel's query confirms a refund of ${yuan(row.amountFen)} we never asked for; its net ${yuan(row.amountFen + row.feeFen)} is booked to reconciliation_differences`;
    if (!context.store.get(collections.ledger, `recon:${fixIdOf(subject)}`)) out.mutations.push(...writeLedger(suspenseEntry(subject, -(row.amountFen + row.feeFen), nowMs, detail)));
    return { ...base(row, row), channel: rowSide(row), handling: 'AUTO_FIXED', detail };
  }
  if (refund.status !== 'PROCESSING') return manual(`recorded here as ${refund.status}, the channel refunded it; a person must look`);
  const detail = `the channel's query confirms refund ${refund.refundNo} of ${yuan(row.amountFen)} succeeded; it is completed here`;
  const staged = components.refunds.stageSucceeded(refund, evidence.succeededAtMs ?? row.atMs, { ledgerReason: fixReason(subject, detail) });
  if ('unchanged' in staged) return manual(`the refund cannot be completed here (its payment or order is missing, or it is ${staged.unchanged.status})`);
  out.mutations.push(...staged.mutations);
  out.afterCommit.push(staged.afterCommit);
  return { ...base(row, row), ...local, channel: rowSide(row), handling: 'AUTO_FIXED', detail };
}

/** Whole days from one yyyy-MM-dd to another (Beijing has no daylight saving, so days are 24 h). */
export function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000);
}

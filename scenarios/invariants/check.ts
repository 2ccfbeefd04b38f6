// The invariants of DESIGN.md over what both sides show at the end of a run. Pure: the same
// observation gives the same results. Each result names what broke, so a failing scenario says where.
import { yuanToFen } from '../../lib/money.ts';
import type { NamedResult } from '../report/types.ts';
import type { Observation, OrderView } from '../runner/observe.ts';
import { invariantNames, type InvariantName } from './names.ts';

type Check = (observation: Observation) => string[] | { readonly problems: string[]; readonly note: string };

const findingsMax = 5;

function payments(observation: Observation) {
  return observation.orders.flatMap(({ label, view }) => view.payments.map((payment) => ({ label, order: view, payment })));
}

const wasPaid = (trade: Observation['trades'][number]) => trade.state.paidAtMs !== undefined || trade.state.kind === 'paid';

const channelSuccessEndsAsOnePaidOrder: Check = (observation) => {
  const byPaymentNo = new Map(payments(observation).map((entry) => [entry.payment.paymentNo, entry]));
  const problems: string[] = [];
  for (const trade of observation.trades.filter(wasPaid)) {
    const known = byPaymentNo.get(trade.outTradeNo);
    if (!known) {
      problems.push(`the channel took ${trade.amountFen} fen on trade ${trade.outTradeNo}, which no order of the core knows`);
      continue;
    }
    const { order, label } = known;
    if (order.status === 'PAID' && order.paidPaymentNo === trade.outTradeNo) continue;
    const returned = order.refunds
      .filter((refund) => refund.paymentNo === trade.outTradeNo && refund.kind !== 'merchant' && refund.status === 'SUCCESS')
      .reduce((sum, refund) => sum + yuanToFen(refund.amount), 0);
    if (returned === trade.amountFen) continue;
    problems.push(`order ${label}: the channel took ${trade.amountFen} fen on ${trade.outTradeNo}, yet the order is ${order.status}${order.paidPaymentNo ? ` (paid by ${order.paidPaymentNo})` : ''} and ${returned} fen went back`);
  }
  return problems;
};

const nothingPaidWithoutChannelRecord: Check = (observation) => {
  const trades = new Map(observation.trades.map((trade) => [trade.outTradeNo, trade]));
  const problems: string[] = [];
  for (const { label, view } of observation.orders) {
    if (view.status !== 'PAID' || yuanToFen(view.amount) === 0) continue;
    const trade = view.paidPaymentNo ? trades.get(view.paidPaymentNo) : undefined;
    if (!trade || !wasPaid(trade)) problems.push(`order ${label} is PAID by ${view.paidPaymentNo ?? 'no payment'}, which the channel never took`);
    else if (trade.amountFen !== yuanToFen(view.amount)) problems.push(`order ${label} of ${view.amount} is PAID by a channel trade of ${trade.amountFen} fen`);
  }
  return problems;
};

const committed = (refund: OrderView['refunds'][number]) => refund.status === 'SUCCESS' || refund.status === 'PROCESSING';

const refundsWithinPaid: Check = (observation) => {
  const problems: string[] = [];
  for (const { label, view } of observation.orders) {
    const merchantFen = view.refunds.filter((refund) => refund.kind === 'merchant' && committed(refund)).reduce((sum, refund) => sum + yuanToFen(refund.amount), 0);
    if (merchantFen > yuanToFen(view.paidAmount)) problems.push(`order ${label}: refunds of ${merchantFen} fen, ${view.paidAmount} paid`);
    if (yuanToFen(view.refundedAmount) > yuanToFen(view.paidAmount)) problems.push(`order ${label} shows ${view.refundedAmount} refunded of ${view.paidAmount} paid`);
    for (const payment of view.payments) {
      const paymentFen = view.refunds.filter((refund) => refund.paymentNo === payment.paymentNo && committed(refund)).reduce((sum, refund) => sum + yuanToFen(refund.amount), 0);
      if (paymentFen > yuanToFen(payment.amount)) problems.push(`payment ${payment.paymentNo}: refunds of ${paymentFen} fen exceed its ${payment.amount}`);
    }
  }
  for (const trade of observation.trades) {
    if (trade.refundAcceptedFen > trade.amountFen) problems.push(`the channel accepted refunds of ${trade.refundAcceptedFen} fen on trade ${trade.outTradeNo} of ${trade.amountFen} fen`);
  }
  return problems;
};

const refundsMatchChannel: Check = (observation) => {
  const channel = new Map(observation.channelRefunds.map((refund) => [`${refund.outTradeNo}/${refund.outRequestNo}`, refund]));
  const core = new Map(observation.orders.flatMap(({ view }) => view.refunds).map((refund) => [`${refund.paymentNo}/${refund.refundNo}`, refund]));
  const problems: string[] = [];
  for (const [key, refund] of core) {
    if (refund.status !== 'SUCCESS') continue;
    const theirs = channel.get(key);
    if (!theirs || theirs.state.kind !== 'succeeded') problems.push(`refund ${refund.refundNo} is SUCCESS at the core, ${theirs ? theirs.state.kind : 'unknown'} at the channel`);
    else if (theirs.amountFen !== yuanToFen(refund.amount)) problems.push(`refund ${refund.refundNo}: ${refund.amount} at the core, ${theirs.amountFen} fen at the channel`);
  }
  for (const [key, refund] of channel) {
    const ours = core.get(key);
    if (refund.state.kind === 'succeeded' && ours?.status !== 'SUCCESS') problems.push(`the channel refunded ${refund.amountFen} fen (${key}), the core shows ${ours ? ours.status : 'no such refund'}`);
  }
  return problems;
};

const duplicatesChangeNothing: Check = (observation) => {
  const problems: string[] = [];
  const messages = new Map<string, Set<string>>();
  for (const delivery of observation.deliveries) {
    const key = `${delivery.type} ${delivery.orderNo}${delivery.refundNo ? ` ${delivery.refundNo}` : ''}`;
    const ids = messages.get(key) ?? new Set<string>();
    ids.add(delivery.id);
    messages.set(key, ids);
  }
  for (const [key, ids] of messages) if (ids.size > 1) problems.push(`the business system was told ${key} ${ids.size} times under different ids`);
  for (const { label, view } of observation.orders) {
    if (yuanToFen(view.paidAmount) > yuanToFen(view.amount)) problems.push(`order ${label} paid ${view.paidAmount} for ${view.amount}`);
    const keys = view.refunds.map((refund) => `${refund.paymentNo}/${refund.outRefundNo}`);
    if (new Set(keys).size !== keys.length) problems.push(`order ${label} has two refunds under one outRefundNo`);
  }
  const booked = new Map<string, number>();
  for (const entry of observation.ledger ?? []) {
    if ((entry.kind === 'payment' || entry.kind === 'lateReceipt') && entry.paymentNo) booked.set(entry.paymentNo, (booked.get(entry.paymentNo) ?? 0) + 1);
  }
  for (const [paymentNo, count] of booked) if (count > 1) problems.push(`payment ${paymentNo} is booked ${count} times in the ledger`);
  return problems;
};

const ledgerBalanced: Check = (observation) => {
  if (!observation.ledger) return { problems: [], note: 'the core under test shows no ledger' };
  const problems: string[] = [];
  let debitFen = 0;
  let creditFen = 0;
  for (const entry of observation.ledger) {
    const debit = entry.postings.filter((posting) => posting.side === 'debit').reduce((sum, posting) => sum + posting.amountFen, 0);
    const credit = entry.postings.filter((posting) => posting.side === 'credit').reduce((sum, posting) => sum + posting.amountFen, 0);
    if (debit !== credit) problems.push(`entry ${entry.id}: debits ${debit} fen, credits ${credit} fen`);
    debitFen += debit;
    creditFen += credit;
  }
  if (debitFen !== creditFen) problems.push(`the ledger's debits ${debitFen} fen, credits ${creditFen} fen`);
  return problems;
};

const ledgerMatchesBill: Check = (observation) => {
  if (observation.reconciliations.length === 0) return { problems: [], note: 'no bill day was reconciled' };
  const problems: string[] = [];
  for (const run of observation.reconciliations) {
    if (run.status !== 'MATCHED' && run.status !== 'MISMATCHED') {
      problems.push(`${run.billDate} is ${run.status}`);
      continue;
    }
    for (const mismatch of run.mismatches) {
      if (mismatch.handling === 'MANUAL') problems.push(`${run.billDate} ${mismatch.category} left for a person: ${mismatch.detail}`);
    }
  }
  return problems;
};

const terminalPayment = new Set(['SUCCEEDED', 'FAILED', 'CLOSED']);

const everyOrderTerminal: Check = (observation) => {
  const problems: string[] = [];
  for (const { label, view } of observation.orders) {
    if (view.status !== 'PAID' && view.status !== 'CLOSED') problems.push(`order ${label} is ${view.status}`);
    for (const payment of view.payments) if (!terminalPayment.has(payment.status)) problems.push(`payment ${payment.paymentNo} of order ${label} is ${payment.status}`);
    for (const refund of view.refunds) if (refund.status === 'PROCESSING') problems.push(`refund ${refund.refundNo} of order ${label} is PROCESSING`);
  }
  return problems;
};

const quiesced: Check = (observation) => observation.pendingWork.map((label) => `still scheduled: ${label}`);

const acknowledgedSurvivesCrash: Check = (observation) => {
  if (observation.crashes.length === 0) return { problems: [], note: 'the core did not crash in this run' };
  return observation.crashes.flatMap((crash) => crash.lost);
};

const invariantChecks: Record<InvariantName, Check> = {
  channelSuccessEndsAsOnePaidOrder,
  nothingPaidWithoutChannelRecord,
  refundsWithinPaid,
  refundsMatchChannel,
  duplicatesChangeNothing,
  ledgerBalanced,
  ledgerMatchesBill,
  everyOrderTerminal,
  quiesced,
  acknowledgedSurvivesCrash,
};

/** Every invariant, held or broken, in the order of invariantNames. */
export function checkInvariants(observation: Observation): NamedResult[] {
  return invariantNames.map((name) => {
    const outcome = invariantChecks[name](observation);
    const problems = Array.isArray(outcome) ? outcome : outcome.problems;
    const note = Array.isArray(outcome) ? undefined : outcome.note;
    if (problems.length === 0) return { name, passed: true, ...(note ? { detail: note } : {}) };
    const shown = problems.slice(0, findingsMax).join('; ');
    return { name, passed: false, detail: problems.length > findingsMax ? `${shown}; and ${problems.length - findingsMax} more` : shown };
  });
}

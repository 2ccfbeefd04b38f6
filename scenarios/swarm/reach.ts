// Reachability: which outcomes a swarm case reached, so a swarm that never gets anywhere interesting
// (no payment confirmed by query, no refund after close) is visible in its summary.
import type { TimelineEntry } from '../report/types.ts';
import type { Observation } from '../runner/observe.ts';

const count = (outcomes: Record<string, number>, name: string, by = 1) => {
  if (by > 0) outcomes[name] = (outcomes[name] ?? 0) + by;
};

export function outcomesOf(observation: Observation, timeline: readonly TimelineEntry[]): Record<string, number> {
  const outcomes: Record<string, number> = {};
  // Paid by notify when an acknowledged notify came no later than the business system heard of the payment.
  const paidByNotify = (label: string) => {
    const told = timeline.find((entry) => entry.from === 'core' && entry.to === 'business' && entry.label.startsWith(`order.paid ${label} `));
    return timeline.some((entry) => entry.from === 'channel' && entry.to === 'core' && entry.label.startsWith(`notify trade_paid payment ${label}`) && entry.label.endsWith('success') && (!told || entry.atMs <= told.atMs));
  };
  for (const { label, view } of observation.orders) {
    if (view.status === 'PAID' && view.payments.length === 0) count(outcomes, 'paid at 0.00 without a channel');
    else if (view.status === 'PAID') {
      const fixedByBill = (observation.ledger ?? []).some((entry) => entry.kind === 'reconciliationFix' && entry.orderNo === view.orderNo);
      count(outcomes, fixedByBill ? 'paid by bill' : paidByNotify(label) ? 'paid by notify' : 'paid by query');
    }
    if (view.status === 'CLOSED') count(outcomes, 'closed unpaid');
    for (const refund of view.refunds) {
      if (refund.kind === 'afterClose' && refund.status === 'SUCCESS') count(outcomes, 'refunded after close');
      else if (refund.kind !== 'merchant' && refund.status === 'SUCCESS') count(outcomes, 'second payment refunded');
      else if (refund.status === 'SUCCESS') count(outcomes, refund.amount === view.paidAmount ? 'refunded in full' : 'refunded in part');
      else if (refund.status === 'FAILED') count(outcomes, 'refund failed');
    }
    if (view.payments.some((payment) => payment.alerts.length > 0)) count(outcomes, 'alert raised');
  }
  if (timeline.some((entry) => entry.label.includes('REFUND_EXCEEDS_PAID'))) count(outcomes, 'refund refused: exceeds paid');
  const manual = observation.checks.find((check) => check.name === 'notificationsDelivered');
  if (manual && !manual.passed) count(outcomes, 'manual queue');
  for (const run of observation.reconciliations) count(outcomes, `reconciliation ${run.status}`);
  count(outcomes, 'core crashed and restarted', observation.crashes.length);
  return outcomes;
}

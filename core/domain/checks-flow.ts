// Sequence and timeliness checks: things happened in the right order, and nothing waits forever.
import { groupBy, type CheckInput, type Finding } from './check-types.ts';
import { isPaymentOpen } from './payment.ts';
import { defaultDomainPolicy, type DomainPolicy } from './policy.ts';
import { isRefundStuck } from './refund.ts';

/** Every refund belongs to a recorded success and was created after it. */
export function noRefundBeforePay(input: CheckInput): Finding[] {
  const payments = new Map(input.payments.map((payment) => [payment.paymentNo, payment]));
  const findings: Finding[] = [];
  for (const refund of input.refunds) {
    const subject = `refund:${refund.refundNo}`;
    const payment = payments.get(refund.paymentNo);
    if (!payment) findings.push({ subject, detail: `refunds payment ${refund.paymentNo}, which does not exist` });
    else if (payment.status !== 'SUCCEEDED') findings.push({ subject, detail: `refunds payment ${payment.paymentNo}, which is ${payment.status}` });
    else if (refund.createdAtMs < payment.recordedAtMs) findings.push({ subject, detail: `created before payment ${payment.paymentNo} was recorded as paid` });
  }
  return findings;
}

/**
 * A closed order keeps no money: no payment credits it, none is still open at the channel, and every
 * success that came after the close (or on top of another payment) has an automatic refund that has
 * not failed.
 */
export function noSuccessKeptAfterClose(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const orders = new Map(input.orders.map((order) => [order.orderNo, order]));
  const refundsByPayment = groupBy(input.refunds, (refund) => refund.paymentNo);
  for (const payment of input.payments) {
    const subject = `payment:${payment.paymentNo}`;
    const order = orders.get(payment.orderNo);
    if (order?.status === 'CLOSED') {
      if (payment.status === 'SUCCEEDED' && payment.settlement === 'credited') findings.push({ subject, detail: `credits closed order ${order.orderNo}` });
      if (isPaymentOpen(payment)) findings.push({ subject, detail: `still ${payment.status} at the channel, yet order ${order.orderNo} is closed` });
    }
    if (payment.status !== 'SUCCEEDED' || payment.settlement === 'credited') continue;
    const autoRefunds = (refundsByPayment.get(payment.paymentNo) ?? []).filter((refund) => refund.kind !== 'merchant');
    if (autoRefunds.length === 0) findings.push({ subject, detail: `paid ${payment.amountFen} fen that must go back (${payment.settlement}), with no refund` });
    else if (autoRefunds.every((refund) => refund.status === 'FAILED')) findings.push({ subject, detail: 'its automatic refund failed: the money is still kept' });
  }
  return findings;
}

/** No open order outlives its expiry by more than the grace period: the closer runs. */
export function unpaidOrdersClosedInTime(input: CheckInput, policy: DomainPolicy = defaultDomainPolicy): Finding[] {
  return input.orders
    .filter((order) => (order.status === 'CREATED' || order.status === 'PAYING') && input.nowMs > order.expiresAtMs + policy.checks.unpaidCloseGraceMs)
    .map((order) => ({ subject: `order:${order.orderNo}`, detail: `${order.status} ${input.nowMs - order.expiresAtMs} ms after its expiry` }));
}

/**
 * Every payment with an unknown outcome is being resolved: it has a query planned, or it was flagged
 * UNKNOWN for a person, which is itself reported so that it is not forgotten.
 */
export function paymentsResolved(input: CheckInput, policy: DomainPolicy = defaultDomainPolicy): Finding[] {
  const findings: Finding[] = [];
  for (const payment of input.payments) {
    const subject = `payment:${payment.paymentNo}`;
    if (payment.status === 'UNKNOWN') findings.push({ subject, detail: `outcome unknown after ${payment.queryAttempts} queries; needs a person` });
    else if (isPaymentOpen(payment) && payment.nextQueryAtMs === null && input.nowMs - payment.createdAtMs > policy.checks.overdueGraceMs) {
      findings.push({ subject, detail: `${payment.status} with no query planned` });
    }
  }
  return findings;
}

/** No refund stays PROCESSING past the SLA (it is reported, never closed automatically). */
export function refundsNotStuck(input: CheckInput, policy: DomainPolicy = defaultDomainPolicy): Finding[] {
  return input.refunds
    .filter((refund) => isRefundStuck(refund, input.nowMs, policy.refund))
    .map((refund) => ({ subject: `refund:${refund.refundNo}`, detail: `PROCESSING for ${input.nowMs - refund.createdAtMs} ms, over the SLA of ${policy.refund.processingSlaMs} ms` }));
}

/** Business-system notifications are delivered: none sits in the manual queue, none is overdue for its next attempt. */
export function notificationsDelivered(input: CheckInput, policy: DomainPolicy = defaultDomainPolicy): Finding[] {
  const findings: Finding[] = [];
  for (const notification of input.notifications) {
    const subject = `notification:${notification.id}`;
    if (notification.status === 'MANUAL') findings.push({ subject, detail: `in the manual queue after ${notification.attempts} attempts: ${notification.lastError ?? 'no error recorded'}` });
    if (notification.status === 'PENDING' && input.nowMs - notification.nextAttemptAtMs > policy.checks.overdueGraceMs) {
      findings.push({ subject, detail: `attempt overdue by ${input.nowMs - notification.nextAttemptAtMs} ms` });
    }
  }
  return findings;
}

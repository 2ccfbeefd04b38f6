// Sum-of-parts and idempotency checks: the amounts add up, and nothing was credited or refunded twice.
import { duplicates, groupBy, type CheckInput, type Finding } from './check-types.ts';
import { trialBalance } from './ledger.ts';
import { committedRefundFen } from './refund.ts';

/** Refunds in flight or done never exceed the payment; an order's refunded amount matches its refunds. */
export function refundsWithinPaid(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const refundsByPayment = groupBy(input.refunds, (refund) => refund.paymentNo);
  for (const payment of input.payments) {
    const committedFen = committedRefundFen(refundsByPayment.get(payment.paymentNo) ?? []);
    if (committedFen > payment.amountFen) {
      findings.push({ subject: `payment:${payment.paymentNo}`, detail: `refunds of ${committedFen} fen exceed the payment of ${payment.amountFen} fen` });
    }
  }
  const refundsByOrder = groupBy(input.refunds, (refund) => refund.orderNo);
  for (const order of input.orders) {
    if (order.refundedFen > order.paidFen) {
      findings.push({ subject: `order:${order.orderNo}`, detail: `refunded ${order.refundedFen} fen of ${order.paidFen} fen paid` });
    }
    const succeededFen = (refundsByOrder.get(order.orderNo) ?? [])
      .filter((refund) => refund.kind === 'merchant' && refund.status === 'SUCCESS')
      .reduce((sum, refund) => sum + refund.amountFen, 0);
    if (succeededFen !== order.refundedFen) {
      findings.push({ subject: `order:${order.orderNo}`, detail: `order shows ${order.refundedFen} fen refunded, its refunds add up to ${succeededFen} fen` });
    }
  }
  return findings;
}

/** Every paid order is paid by exactly one credited payment of its own amount (0-amount orders by none). */
export function paidOrdersMatchPayments(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const payments = new Map(input.payments.map((payment) => [payment.paymentNo, payment]));
  for (const order of input.orders) {
    if (order.status !== 'PAID') continue;
    const subject = `order:${order.orderNo}`;
    if (order.paidFen !== order.amountFen) findings.push({ subject, detail: `paid ${order.paidFen} fen for an order of ${order.amountFen} fen` });
    if (order.paidPaymentNo === null) {
      if (order.amountFen !== 0) findings.push({ subject, detail: 'paid without a payment, yet its amount is not 0' });
      continue;
    }
    const payment = payments.get(order.paidPaymentNo);
    if (!payment) findings.push({ subject, detail: `paid by payment ${order.paidPaymentNo}, which does not exist` });
    else if (payment.status !== 'SUCCEEDED' || payment.settlement !== 'credited') {
      findings.push({ subject, detail: `paid by payment ${payment.paymentNo}, which is ${payment.status}, not a credited success` });
    } else if (payment.amountFen !== order.amountFen) {
      findings.push({ subject, detail: `paid by payment ${payment.paymentNo} of ${payment.amountFen} fen` });
    }
  }
  return findings;
}

/** Debits equal credits, overall and in every entry. */
export function ledgerBalanced(input: CheckInput): Finding[] {
  const balance = trialBalance(input.ledger);
  const findings: Finding[] = balance.unbalancedEntryIds.map((id) => ({ subject: `entry:${id}`, detail: 'entry does not balance' }));
  if (balance.debitFen !== balance.creditFen) {
    findings.push({ subject: 'ledger', detail: `debits ${balance.debitFen} fen, credits ${balance.creditFen} fen` });
  }
  return findings;
}

/** The ledger holds exactly the entries the records imply: no success or refund unbooked, none booked twice or without a record. */
export function ledgerCoversRecords(input: CheckInput): Finding[] {
  const expected = new Map<string, string>();
  for (const payment of input.payments) {
    if (payment.status !== 'SUCCEEDED') continue;
    const id = payment.settlement === 'credited' ? `payment:${payment.paymentNo}` : `late-receipt:${payment.paymentNo}`;
    expected.set(id, `payment:${payment.paymentNo}`);
  }
  for (const refund of input.refunds) {
    expected.set(`refund:${refund.refundNo}:requested`, `refund:${refund.refundNo}`);
    if (refund.status === 'SUCCESS') expected.set(`refund:${refund.refundNo}:succeeded`, `refund:${refund.refundNo}`);
    if (refund.status === 'FAILED') expected.set(`refund:${refund.refundNo}:failed`, `refund:${refund.refundNo}`);
  }
  const booked = new Set(input.ledger.map((entry) => entry.id));
  const findings: Finding[] = [];
  for (const [id, subject] of expected) if (!booked.has(id)) findings.push({ subject, detail: `no ledger entry ${id}` });
  for (const entry of input.ledger) {
    if (entry.kind !== 'reconciliationFix' && !expected.has(entry.id)) findings.push({ subject: `entry:${entry.id}`, detail: 'ledger entry without a matching record' });
  }
  return findings;
}

/** No order credited by two payments, no success booked twice, no trade number on two payments. */
export function noDoubleCredit(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const credited = input.payments.filter((payment) => payment.status === 'SUCCEEDED' && payment.settlement === 'credited');
  for (const [orderNo, payments] of groupBy(credited, (payment) => payment.orderNo)) {
    if (payments.length > 1) findings.push({ subject: `order:${orderNo}`, detail: `credited by ${payments.length} payments: ${payments.map((p) => p.paymentNo).join(', ')}` });
  }
  const tradeNos = input.payments.flatMap((payment) => (payment.status === 'SUCCEEDED' ? [`${payment.channel}:${payment.channelTradeNo}`] : []));
  for (const tradeNo of duplicates(tradeNos)) findings.push({ subject: `trade:${tradeNo}`, detail: 'one channel trade recorded on two payments' });
  const paymentEntries = input.ledger.filter((entry) => entry.kind === 'payment' || entry.kind === 'lateReceipt').map((entry) => entry.id);
  for (const id of duplicates(paymentEntries)) findings.push({ subject: `entry:${id}`, detail: 'payment booked twice' });
  return findings;
}

/** No refund key used twice on a payment, no refund number used twice, no refund booked twice. */
export function noDuplicateRefund(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const key of duplicates(input.refunds.map((refund) => `${refund.paymentNo}/${refund.outRefundNo}`))) {
    findings.push({ subject: `refund-key:${key}`, detail: 'two refunds share (paymentNo, outRefundNo)' });
  }
  for (const refundNo of duplicates(input.refunds.map((refund) => refund.refundNo))) {
    findings.push({ subject: `refund:${refundNo}`, detail: 'refundNo used by two refunds' });
  }
  const refundEntries = input.ledger.filter((entry) => entry.refundNo !== null && entry.kind !== 'reconciliationFix').map((entry) => entry.id);
  for (const id of duplicates(refundEntries)) findings.push({ subject: `entry:${id}`, detail: 'refund step booked twice' });
  return findings;
}

import { describe, expect, it } from 'vitest';
import {
  applyChannelSuccess,
  closeOrder,
  configurationLimits,
  createMerchantNotification,
  defaultRiskRules,
  defaultRoutingTable,
  markPaymentClosed,
  markRefundFailed,
  markRefundSucceeded,
  postingsForAutoRefund,
  postingsForPayment,
  postingsForRefund,
  recordAttemptFailed,
  recordDelivered,
  requestAutoRefund,
  requestRefund,
  runChecks,
  type CheckInput,
  type CheckName,
  type MerchantNotification,
  type RoutingTable,
} from '../../../core/domain/index.ts';
import { addPayment, evidenceFor, expectOk, hourMs, minuteMs, newOrder, startMs } from './fixtures.ts';

const nowMs = startMs + 2 * hourMs;

/** A healthy day: a paid order with a completed partial refund, a late success refunded, a closed order. */
function healthy(): CheckInput {
  const paying = addPayment(newOrder('88.80', { orderNo: 'O1', outOrderNo: 'B1' }), 'P1', startMs + minuteMs);
  const credited = applyChannelSuccess(paying.payment, paying.order, evidenceFor(paying.payment), startMs + 2 * minuteMs);
  if (credited.outcome !== 'credited') throw new Error(credited.outcome);
  const asked = requestRefund(credited.order, credited.payment, [], { outRefundNo: 'RF-1', amountFen: 1000, reason: '' }, { refundNo: 'R1', nowMs: startMs + 10 * minuteMs });
  if (asked.outcome !== 'created') throw new Error(asked.outcome);
  const refunded = markRefundSucceeded(asked.refund, { order: credited.order, payment: credited.payment, refunds: [asked.refund] }, { nowMs: startMs + 20 * minuteMs });
  if (!refunded.ok) throw new Error(refunded.reason);

  const late = addPayment(newOrder('10.00', { orderNo: 'O2', outOrderNo: 'B2', expireInSec: 600 }), 'P2', startMs + minuteMs);
  const closedOrder = expectOk(closeOrder(late.order, { nowMs: late.order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
  const lateSuccess = applyChannelSuccess(late.payment, closedOrder, evidenceFor(late.payment), late.order.expiresAtMs + 1000);
  if (lateSuccess.outcome !== 'paidAfterClose') throw new Error(lateSuccess.outcome);
  const autoRefund = requestAutoRefund(lateSuccess.payment, [], { refundNo: 'R2', nowMs: late.order.expiresAtMs + 2000 }).refund;

  const abandoned = addPayment(newOrder('5.00', { orderNo: 'O3', outOrderNo: 'B3', expireInSec: 600 }), 'P3', startMs + minuteMs);
  const abandonedPayment = expectOk(markPaymentClosed(abandoned.payment, abandoned.order.expiresAtMs)).payment;
  const abandonedOrder = expectOk(closeOrder(abandoned.order, { nowMs: abandoned.order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;

  const delivered = expectOk(
    recordDelivered(createMerchantNotification({ type: 'order.paid', orderNo: 'O1', amountFen: 8880, occurredAtMs: startMs + 2 * minuteMs }), startMs + 3 * minuteMs),
  ).notification;

  return {
    nowMs,
    orders: [refunded.order, closedOrder, abandonedOrder],
    payments: [credited.payment, lateSuccess.payment, abandonedPayment],
    refunds: [refunded.refund, autoRefund],
    ledger: [...postingsForPayment(credited.payment), ...postingsForRefund(refunded.refund), ...postingsForAutoRefund(lateSuccess.payment, autoRefund)],
    notifications: [delivered],
  };
}

function failing(input: CheckInput): Partial<Record<CheckName, string[]>> {
  const failed: Partial<Record<CheckName, string[]>> = {};
  for (const result of runChecks(input)) if (!result.passed) failed[result.name] = result.findings.map((finding) => finding.subject);
  return failed;
}

describe('loss-prevention checks', () => {
  it('pass on healthy records and report every check', () => {
    const results = runChecks(healthy());
    expect(results).toHaveLength(12);
    expect(results.filter((result) => !result.passed)).toEqual([]);
    expect(new Set(results.map((result) => result.category))).toEqual(new Set(['sumOfParts', 'sequence', 'idempotency', 'timeliness']));
  });

  it('run only the named checks when asked', () => {
    expect(runChecks(healthy(), undefined, ['ledgerBalanced']).map((result) => result.name)).toEqual(['ledgerBalanced']);
  });

  it('find refunds that exceed the paid amount', () => {
    const input = healthy();
    const extra = { ...input.refunds[0]!, refundNo: 'R9', outRefundNo: 'RF-9', amountFen: 8000, status: 'PROCESSING' as const, nextPollAtMs: nowMs };
    expect(failing({ ...input, refunds: [...input.refunds, extra] }).refundsWithinPaid).toEqual(['payment:P1']);
  });

  it('find an order whose refunded amount disagrees with its refunds', () => {
    const input = healthy();
    const orders = input.orders.map((order) => (order.orderNo === 'O1' ? { ...order, refundedFen: 2000 } : order));
    expect(failing({ ...input, orders }).refundsWithinPaid).toEqual(['order:O1']);
  });

  it('find an order credited twice', () => {
    const input = healthy();
    const twin = { ...input.payments[0]!, paymentNo: 'P1b', channelTradeNo: 'other-trade' };
    const failed = failing({ ...input, payments: [...input.payments, twin], ledger: [...input.ledger, ...postingsForPayment(twin)] });
    expect(failed.noDoubleCredit).toEqual(['order:O1']);
  });

  it('find one channel trade recorded on two payments and a payment booked twice', () => {
    const input = healthy();
    const copy = { ...input.payments[0]!, paymentNo: 'P1c', orderNo: 'O9' };
    expect(failing({ ...input, payments: [...input.payments, copy] }).noDoubleCredit).toContain(`trade:alipay:${evidenceFor(input.payments[0]!).tradeNo}`);
    expect(failing({ ...input, ledger: [...input.ledger, input.ledger[0]!] }).noDoubleCredit).toEqual(['entry:payment:P1']);
  });

  it('find duplicate refunds', () => {
    const input = healthy();
    const duplicate = { ...input.refunds[0]!, refundNo: 'R1-dup' };
    expect(failing({ ...input, refunds: [...input.refunds, duplicate] }).noDuplicateRefund).toEqual([`refund-key:P1/RF-1`]);
  });

  it('find an unbalanced ledger and a ledger missing an entry', () => {
    const input = healthy();
    const [first, ...rest] = input.ledger;
    const tampered = { ...first!, postings: first!.postings.slice(1) };
    expect(failing({ ...input, ledger: [tampered, ...rest] }).ledgerBalanced).toEqual(['entry:payment:P1', 'ledger']);
    expect(failing({ ...input, ledger: rest }).ledgerCoversRecords).toEqual(['payment:P1']);
  });

  it('find a refund created before its payment was recorded', () => {
    const input = healthy();
    const early = { ...input.refunds[0]!, createdAtMs: startMs };
    expect(failing({ ...input, refunds: [early, input.refunds[1]!] }).noRefundBeforePay).toEqual(['refund:R1']);
  });

  it('find a success after close that was kept', () => {
    const input = healthy();
    const withoutAutoRefund = input.refunds.filter((refund) => refund.kind === 'merchant');
    const ledger = input.ledger.filter((entry) => entry.refundNo !== 'R2');
    expect(failing({ ...input, refunds: withoutAutoRefund, ledger }).noSuccessKeptAfterClose).toEqual(['payment:P2']);
    const failedAuto = expectOk(markRefundFailed(input.refunds[1]!, { nowMs, failure: 'ABNORMAL' })).refund;
    expect(failing({ ...input, refunds: [input.refunds[0]!, failedAuto] }).noSuccessKeptAfterClose).toEqual(['payment:P2']);
  });

  it('find a closed order whose payment is still open at the channel', () => {
    const input = healthy();
    const payments = input.payments.map((payment) => (payment.paymentNo === 'P3' ? { ...payment, status: 'PENDING' as const, calledOutAtMs: startMs, nextQueryAtMs: nowMs } : payment));
    expect(failing({ ...input, payments }).noSuccessKeptAfterClose).toEqual(['payment:P3']);
  });

  it('find unpaid orders left open past their expiry', () => {
    const input = healthy();
    const open = newOrder('1.00', { orderNo: 'O4', expireInSec: 600 });
    expect(failing({ ...input, orders: [...input.orders, open] }).unpaidOrdersClosedInTime).toEqual(['order:O4']);
    expect(failing({ ...input, nowMs: open.expiresAtMs + 5 * minuteMs, orders: [...input.orders, open] }).unpaidOrdersClosedInTime).toBeUndefined();
  });

  it('find payments left unresolved', () => {
    const input = healthy();
    const unknown = { ...addPayment(newOrder('1.00', { orderNo: 'O5' }), 'P5', startMs).payment, status: 'UNKNOWN' as const, flaggedAtMs: nowMs, nextQueryAtMs: null };
    const forgotten = { ...addPayment(newOrder('1.00', { orderNo: 'O6' }), 'P6', startMs).payment, nextQueryAtMs: null };
    expect(failing({ ...input, payments: [...input.payments, unknown, forgotten] }).paymentsResolved).toEqual(['payment:P5', 'payment:P6']);
  });

  it('find refunds stuck past the SLA', () => {
    const input = healthy();
    expect(failing({ ...input, nowMs: input.refunds[1]!.createdAtMs + 24 * hourMs + 1 }).refundsNotStuck).toEqual(['refund:R2']);
  });

  it('find notifications in the manual queue or overdue', () => {
    const input = healthy();
    let manual: MerchantNotification = createMerchantNotification({ type: 'order.closed', orderNo: 'O3', amountFen: 500, occurredAtMs: startMs });
    while (manual.status === 'PENDING') manual = expectOk(recordAttemptFailed(manual, { nowMs: manual.nextAttemptAtMs, error: 'HTTP 502' })).notification;
    const overdue = createMerchantNotification({ type: 'order.closed', orderNo: 'O2', amountFen: 1000, occurredAtMs: nowMs - hourMs });
    expect(failing({ ...input, notifications: [...input.notifications, manual, overdue] }).notificationsDelivered).toEqual([
      'notification:order.closed:O3',
      'notification:order.closed:O2',
    ]);
  });

  it('pass a refund that completed and its ledger, but fail once the order forgets it', () => {
    const input = healthy();
    expect(failing(input).refundsWithinPaid).toBeUndefined();
    const forgetful = input.orders.map((order) => ({ ...order, refundedFen: 0 }));
    expect(failing({ ...input, orders: forgetful }).refundsWithinPaid).toEqual(['order:O1']);
  });

  it('find configuration that would lose money on every payment', () => {
    expect(configurationLimits({ routing: defaultRoutingTable, riskRules: defaultRiskRules })).toEqual([]);
    const routing: RoutingTable = {
      ...defaultRoutingTable,
      'alipay.page': { ...defaultRoutingTable['alipay.page'], feeBasisPoints: 600 },
      balance: { ...defaultRoutingTable.balance, feeBasisPoints: 10 },
    };
    const riskRules = [{ kind: 'amountLimit', id: 'oops', amountFenMax: 0, action: 'block' }] as const;
    expect(configurationLimits({ routing, riskRules }).map((finding) => finding.subject)).toEqual(['route:alipay.page', 'route:balance', 'risk-rule:oops']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyChannelSuccess,
  closeOrder,
  createPayment,
  DomainInvariantError,
  isPaymentOpen,
  markCalledOut,
  markPaymentClosed,
  markPaymentFailed,
  paymentExpiresAtMs,
  recordQueryAttempt,
  startPaying,
} from '../../../core/domain/index.ts';
import { addPayment, evidenceFor, expectOk, hourMs, minuteMs, newOrder, paidOrder, payingOrder, startMs } from './fixtures.ts';

describe('payment', () => {
  it('expires a safety margin before its order, on a whole second', () => {
    const orderExpiresAtMs = startMs + 30 * minuteMs + 500;
    expect(paymentExpiresAtMs(orderExpiresAtMs, startMs)).toBe(startMs + 29 * minuteMs);
  });

  it('refuses to create a payment when too little of the order is left', () => {
    const order = expectOk(startPaying(newOrder('88.80', { expireInSec: 600 }), 'P1', startMs)).order;
    const late = order.expiresAtMs - 2 * minuteMs + 1;
    const input = { paymentNo: 'P1', order, channel: 'alipay', method: 'alipay.qr', feeFen: 53, appId: 'a', sellerId: 's', nowMs: late } as const;
    expect(createPayment(input)).toEqual({ ok: false, reason: 'tooCloseToExpiry' });
    expect(createPayment({ ...input, nowMs: order.expiresAtMs - 2 * minuteMs }).ok).toBe(true);
  });

  it('never creates a payment for a 0-amount order', () => {
    const order = newOrder('0.00');
    expect(() => createPayment({ paymentNo: 'P1', order, channel: 'alipay', method: 'alipay.qr', feeFen: 0, appId: 'a', sellerId: 's', nowMs: startMs })).toThrow(
      DomainInvariantError,
    );
  });

  it('is persisted CREATED, becomes PENDING once called out, with its first query a minute after creation', () => {
    const order = expectOk(startPaying(newOrder(), 'P1', startMs)).order;
    const created = expectOk(createPayment({ paymentNo: 'P1', order, channel: 'wechatpay', method: 'wechatpay.native', feeFen: 53, appId: 'wx', sellerId: '19', nowMs: startMs })).payment;
    expect(created).toMatchObject({ status: 'CREATED', amountFen: 8880, nextQueryAtMs: null });
    const pending = expectOk(markCalledOut(created, startMs + 200)).payment;
    expect(pending).toMatchObject({ status: 'PENDING', calledOutAtMs: startMs + 200, nextQueryAtMs: startMs + minuteMs });
    expect(markCalledOut(pending, startMs + 300)).toMatchObject({ ok: false, reason: 'notCreated' });
  });

  it('credits the order when a verified success arrives', () => {
    const { order, payment } = payingOrder();
    const result = applyChannelSuccess(payment, order, evidenceFor(payment), startMs + 3 * minuteMs);
    expect(result).toMatchObject({
      outcome: 'credited',
      payment: { status: 'SUCCEEDED', settlement: 'credited', channelTradeNo: evidenceFor(payment).tradeNo, nextQueryAtMs: null },
      order: { status: 'PAID', paidFen: 8880, paidPaymentNo: payment.paymentNo },
    });
  });

  it('credits once when the same success arrives twice', () => {
    const { order, payment } = paidOrder();
    const again = applyChannelSuccess(payment, order, evidenceFor(payment), startMs + 4 * minuteMs);
    expect(again).toEqual({ outcome: 'alreadyCredited', payment, order });
  });

  it('flags an amount mismatch and does not credit', () => {
    const { order, payment } = payingOrder();
    const result = applyChannelSuccess(payment, order, evidenceFor(payment, { amountFen: 1 }), startMs + 3 * minuteMs);
    expect(result).toEqual({ outcome: 'amountMismatch', expectedFen: 8880, receivedFen: 1 });
  });

  it('flags a tampered amount even on a duplicate of a credited success', () => {
    const { order, payment } = paidOrder();
    expect(applyChannelSuccess(payment, order, evidenceFor(payment, { amountFen: 8881 }), startMs)).toMatchObject({ outcome: 'amountMismatch' });
  });

  it('flags evidence for another app, merchant or trade and does not credit', () => {
    const { order, payment } = payingOrder();
    expect(applyChannelSuccess(payment, order, evidenceFor(payment, { appId: 'other-app' }), startMs)).toMatchObject({
      outcome: 'identityMismatch',
      field: 'appId',
      received: 'other-app',
    });
    expect(applyChannelSuccess(payment, order, evidenceFor(payment, { sellerId: '2088999' }), startMs)).toMatchObject({ outcome: 'identityMismatch', field: 'sellerId' });
    const paid = paidOrder();
    expect(applyChannelSuccess(paid.payment, paid.order, evidenceFor(paid.payment, { tradeNo: 'another-trade' }), startMs)).toMatchObject({
      outcome: 'identityMismatch',
      field: 'tradeNo',
    });
  });

  it('asks for an automatic refund when success arrives after close', () => {
    const { order, payment } = payingOrder();
    const closedPayment = expectOk(markPaymentClosed(payment, order.expiresAtMs)).payment;
    const closedOrder = expectOk(closeOrder(order, { nowMs: order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
    const result = applyChannelSuccess(closedPayment, closedOrder, evidenceFor(payment, { paidAtMs: order.expiresAtMs + 1 }), order.expiresAtMs + 2);
    expect(result).toMatchObject({ outcome: 'paidAfterClose', payment: { status: 'SUCCEEDED', settlement: 'refundAfterClose' }, order: { status: 'CLOSED' } });
  });

  it('records the late success only once when it is repeated', () => {
    const { order, payment } = payingOrder();
    const closedOrder = expectOk(closeOrder(order, { nowMs: order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
    const first = applyChannelSuccess(payment, closedOrder, evidenceFor(payment), order.expiresAtMs + 1);
    if (first.outcome !== 'paidAfterClose') throw new Error(first.outcome);
    expect(applyChannelSuccess(first.payment, closedOrder, evidenceFor(payment), order.expiresAtMs + 2)).toMatchObject({ outcome: 'alreadyCredited' });
  });

  it('asks for an automatic refund when a second payment of a paid order succeeds', () => {
    const { order: paying, payment: first } = payingOrder();
    const { order: withSecond, payment: second } = addPayment(paying, 'P2026010100000000000002', startMs + 2 * minuteMs, 'wechatpay');
    const credited = applyChannelSuccess(first, withSecond, evidenceFor(first), startMs + 3 * minuteMs);
    if (credited.outcome !== 'credited') throw new Error(credited.outcome);
    const result = applyChannelSuccess(second, credited.order, evidenceFor(second), startMs + 4 * minuteMs);
    expect(result).toMatchObject({ outcome: 'duplicatePayment', payment: { status: 'SUCCEEDED', settlement: 'refundDuplicate' }, order: { paidPaymentNo: first.paymentNo } });
  });

  it('credits a success for a payment we had closed while its order is still open: the money is real', () => {
    const { order, payment } = payingOrder();
    const closedPayment = expectOk(markPaymentClosed(payment, startMs + 5 * minuteMs)).payment;
    const result = applyChannelSuccess(closedPayment, order, evidenceFor(payment), startMs + 6 * minuteMs);
    expect(result).toMatchObject({ outcome: 'credited', order: { status: 'PAID' } });
  });

  it('accepts a success for a payment flagged UNKNOWN', () => {
    const { order, payment } = payingOrder();
    let flagged = payment;
    for (let attempts = 0; attempts < 40 && flagged.status !== 'UNKNOWN'; attempts++) {
      flagged = expectOk(recordQueryAttempt(flagged, (flagged.nextQueryAtMs ?? startMs) + 1)).payment;
    }
    expect(flagged).toMatchObject({ status: 'UNKNOWN', nextQueryAtMs: null });
    expect(applyChannelSuccess(flagged, order, evidenceFor(payment), startMs + 25 * hourMs)).toMatchObject({ outcome: 'credited' });
  });

  it('treats a success applied to another order as a bug', () => {
    const { payment } = payingOrder();
    const other = newOrder('88.80', { orderNo: 'O-other' });
    expect(() => applyChannelSuccess(payment, other, evidenceFor(payment), startMs)).toThrow(DomainInvariantError);
  });

  it('counts queries and moves to UNKNOWN, never FAILED, when the schedule runs out', () => {
    const { payment } = payingOrder();
    const queried = expectOk(recordQueryAttempt(payment, payment.createdAtMs + minuteMs)).payment;
    expect(queried).toMatchObject({ status: 'PENDING', queryAttempts: 1, nextQueryAtMs: payment.createdAtMs + 2 * minuteMs });
    const late = expectOk(recordQueryAttempt(queried, payment.createdAtMs + 24 * hourMs)).payment;
    expect(late).toMatchObject({ status: 'UNKNOWN', flaggedAtMs: payment.createdAtMs + 24 * hourMs, nextQueryAtMs: null });
    expect(isPaymentOpen(late)).toBe(true);
  });

  it('does not count queries on a finished payment', () => {
    const { payment } = paidOrder();
    expect(recordQueryAttempt(payment, startMs)).toMatchObject({ ok: false, reason: 'notOpen' });
  });

  it('closes an open payment and reports a paid one instead of closing it', () => {
    const { payment } = payingOrder();
    const closed = expectOk(markPaymentClosed(payment, startMs + 10 * minuteMs)).payment;
    expect(closed).toMatchObject({ status: 'CLOSED', closedAtMs: startMs + 10 * minuteMs, nextQueryAtMs: null });
    expect(markPaymentClosed(closed, startMs)).toMatchObject({ ok: false, reason: 'alreadyClosed' });
    expect(markPaymentClosed(paidOrder().payment, startMs)).toMatchObject({ ok: false, reason: 'succeeded' });
  });

  it('fails only an open payment', () => {
    const { payment } = payingOrder();
    const failed = expectOk(markPaymentFailed(payment, 'ACQ.TRADE_HAS_CLOSE', startMs)).payment;
    expect(failed).toMatchObject({ status: 'FAILED', failure: 'ACQ.TRADE_HAS_CLOSE' });
    expect(markPaymentFailed(failed, 'again', startMs)).toMatchObject({ ok: false, reason: 'notOpen' });
    expect(markPaymentFailed(paidOrder().payment, 'late', startMs)).toMatchObject({ ok: false, reason: 'notOpen' });
  });
});

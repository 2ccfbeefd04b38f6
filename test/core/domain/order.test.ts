import { describe, expect, it } from 'vitest';
import {
  addRefunded,
  closeOrder,
  DomainInvariantError,
  isDueForClose,
  markOrderPaid,
  openOrder,
  startPaying,
  validateOrderRequest,
  type OrderRequest,
} from '../../../core/domain/index.ts';
import { expectOk, minuteMs, newOrder, paidOrder, payingOrder, startMs } from './fixtures.ts';

const request = (overrides: Record<string, unknown> = {}): OrderRequest =>
  expectOk(validateOrderRequest({ outOrderNo: 'BIZ-1', amount: '88.80', subject: 'A cup of tea', expireInSec: 1800, ...overrides })).request;

describe('order', () => {
  it('creates an order in CREATED with its expiry from expireInSec', () => {
    const order = newOrder('88.80', { expireInSec: 900 });
    expect(order).toMatchObject({ status: 'CREATED', amountFen: 8880, paidFen: 0, refundedFen: 0, paymentNos: [] });
    expect(order.expiresAtMs - order.createdAtMs).toBe(900_000);
  });

  it('pays a 0-amount order at creation without any payment', () => {
    const order = newOrder('0.00');
    expect(order).toMatchObject({ status: 'PAID', paidFen: 0, paidPaymentNo: null, paidAtMs: startMs });
  });

  it('returns the existing order when the same outOrderNo is sent again with the same content', () => {
    const first = openOrder(undefined, request(), { orderNo: 'O1', nowMs: startMs });
    const again = openOrder(first.order, request(), { orderNo: 'O2', nowMs: startMs + 5000 });
    expect(again).toEqual({ outcome: 'exists', order: first.order });
  });

  it('reports a conflict when the same outOrderNo comes with a different amount', () => {
    const first = openOrder(undefined, request(), { orderNo: 'O1', nowMs: startMs });
    const again = openOrder(first.order, request({ amount: '88.81' }), { orderNo: 'O2', nowMs: startMs });
    expect(again).toMatchObject({ outcome: 'conflict', field: 'amount', order: { orderNo: 'O1' } });
    expect(openOrder(first.order, request({ subject: 'Coffee' }), { orderNo: 'O2', nowMs: startMs })).toMatchObject({ outcome: 'conflict', field: 'subject' });
  });

  it('moves to PAYING when a payment starts and records the payment once', () => {
    const order = newOrder();
    const paying = expectOk(startPaying(order, 'P1', startMs + minuteMs)).order;
    expect(paying).toMatchObject({ status: 'PAYING', paymentNos: ['P1'] });
    expect(expectOk(startPaying(paying, 'P1', startMs + minuteMs)).order.paymentNos).toEqual(['P1']);
    expect(expectOk(startPaying(paying, 'P2', startMs + minuteMs)).order.paymentNos).toEqual(['P1', 'P2']);
  });

  it('refuses to start a payment on an expired order', () => {
    const order = newOrder('88.80', { expireInSec: 600 });
    expect(startPaying(order, 'P1', order.expiresAtMs)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses more payment attempts than the limit', () => {
    let order = newOrder();
    for (let index = 0; index < 10; index++) order = expectOk(startPaying(order, `P${index}`, startMs)).order;
    expect(startPaying(order, 'P10', startMs)).toMatchObject({ ok: false, reason: 'tooManyPayments' });
  });

  it('refuses to start a payment on a paid or closed order', () => {
    expect(startPaying(paidOrder().order, 'P9', startMs)).toMatchObject({ ok: false, reason: 'alreadyPaid' });
    const closed = expectOk(closeOrder(newOrder(), { nowMs: startMs, reason: 'merchant', openPaymentNos: [] })).order;
    expect(startPaying(closed, 'P9', startMs)).toMatchObject({ ok: false, reason: 'closed' });
  });

  it('is paid by its payment even after its expiry time while it is not closed', () => {
    const { order, payment } = payingOrder();
    const paid = markOrderPaid(order, payment, order.expiresAtMs + minuteMs);
    expect(paid).toMatchObject({ ok: true, order: { status: 'PAID', paidFen: 8880, paidPaymentNo: payment.paymentNo } });
  });

  it('never goes back from PAID: a second payment is reported, not applied', () => {
    const { order, payment } = paidOrder();
    expect(markOrderPaid(order, payment, startMs)).toMatchObject({ ok: false, reason: 'alreadyPaid' });
    expect(markOrderPaid(order, { paymentNo: 'P-other', amountFen: 8880 }, startMs)).toMatchObject({ ok: false, reason: 'paidByOtherPayment' });
    expect(closeOrder(order, { nowMs: startMs, reason: 'merchant', openPaymentNos: [] })).toMatchObject({ ok: false, reason: 'alreadyPaid' });
  });

  it('reports a payment on a closed order instead of re-opening it', () => {
    const { order, payment } = payingOrder();
    const closed = expectOk(closeOrder(order, { nowMs: order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
    expect(markOrderPaid(closed, payment, closed.expiresAtMs + 1)).toMatchObject({ ok: false, reason: 'closed', order: { status: 'CLOSED' } });
  });

  it('treats an unknown payment as a bug', () => {
    const { order } = payingOrder();
    expect(() => markOrderPaid(order, { paymentNo: 'P-unknown', amountFen: 8880 }, startMs)).toThrow(DomainInvariantError);
  });

  it('closes only after every payment is closed at the channel', () => {
    const { order, payment } = payingOrder();
    expect(closeOrder(order, { nowMs: startMs, reason: 'merchant', openPaymentNos: [payment.paymentNo] })).toMatchObject({ ok: false, reason: 'paymentsOpen' });
    const closed = closeOrder(order, { nowMs: startMs + 1, reason: 'merchant', openPaymentNos: [] });
    expect(closed).toMatchObject({ ok: true, order: { status: 'CLOSED', closedAtMs: startMs + 1, closeReason: 'merchant' } });
    expect(closeOrder(expectOk(closed).order, { nowMs: startMs + 2, reason: 'merchant', openPaymentNos: [] })).toMatchObject({ ok: false, reason: 'alreadyClosed' });
  });

  it('is due for close once expired and unpaid, never when paid', () => {
    const order = newOrder('88.80', { expireInSec: 600 });
    expect(isDueForClose(order, order.expiresAtMs - 1)).toBe(false);
    expect(isDueForClose(order, order.expiresAtMs)).toBe(true);
    expect(isDueForClose(paidOrder().order, startMs + 2 * 86_400_000)).toBe(false);
  });

  it('adds completed refunds and treats going past the paid amount as a bug', () => {
    const { order } = paidOrder();
    const refunded = addRefunded(order, 880);
    expect(refunded.refundedFen).toBe(880);
    expect(() => addRefunded(refunded, 8001)).toThrow(DomainInvariantError);
    expect(() => addRefunded(newOrder(), 1)).toThrow(DomainInvariantError);
  });

  it('does not change the order it was given', () => {
    const order = newOrder();
    const snapshot = structuredClone(order);
    startPaying(order, 'P1', startMs);
    closeOrder(order, { nowMs: startMs, reason: 'merchant', openPaymentNos: [] });
    expect(order).toEqual(snapshot);
  });
});

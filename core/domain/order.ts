// The merchant order: what the business system sells. It is paid at most once, by exactly one
// payment; PAID never goes back; a CLOSED order that the channel still reports as paid is an explicit
// outcome (the money goes back by automatic refund), never a silent re-open.
import { assertFen } from '../../lib/money.ts';
import { assert, assertNever } from './assert.ts';
import type { OrderItem, OrderRequest } from './order-request.ts';
import { defaultDomainPolicy, type OrderPolicy } from './policy.ts';

export type OrderStatus = 'CREATED' | 'PAYING' | 'PAID' | 'CLOSED';
export type OrderCloseReason = 'expired' | 'merchant';

interface OrderFields {
  readonly orderNo: string;
  readonly outOrderNo: string;
  readonly amountFen: number;
  readonly currency: 'CNY';
  readonly subject: string;
  readonly items: readonly OrderItem[];
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  /** Credited by the one payment that paid the order (0 until then). */
  readonly paidFen: number;
  /** Merchant refunds that completed; refunds in flight are counted on the refunds themselves. */
  readonly refundedFen: number;
  /** Every payment attempt made for this order, oldest first. */
  readonly paymentNos: readonly string[];
  /**
   * When the business system asked to close the order, if it did while a payment could still be paid:
   * stored, so the close is retried after a restart, and no new payment is started meanwhile.
   */
  readonly closeRequestedAtMs?: number;
}

export type Order = OrderFields &
  (
    | { readonly status: 'CREATED' }
    | { readonly status: 'PAYING' }
    /** `paidPaymentNo` is null only for a 0-amount order, which never reaches a channel. */
    | { readonly status: 'PAID'; readonly paidAtMs: number; readonly paidPaymentNo: string | null }
    | { readonly status: 'CLOSED'; readonly closedAtMs: number; readonly closeReason: OrderCloseReason }
  );

export type OrderChange<Reason extends string> =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly reason: Reason; readonly order: Order };

function fieldsOf(order: Order): OrderFields {
  const { orderNo, outOrderNo, amountFen, currency, subject, items, createdAtMs, expiresAtMs, paidFen, refundedFen, paymentNos, closeRequestedAtMs } = order;
  return {
    orderNo, outOrderNo, amountFen, currency, subject, items, createdAtMs, expiresAtMs, paidFen, refundedFen, paymentNos,
    ...(closeRequestedAtMs !== undefined ? { closeRequestedAtMs } : {}),
  };
}

/** A new order. A 0-amount order is paid at creation: there is nothing for a channel to collect. */
export function createOrder(request: OrderRequest, ids: { readonly orderNo: string; readonly nowMs: number }): Order {
  assertFen(request.amountFen);
  assert(request.amountFen >= 0, `order amount ${request.amountFen} is negative`);
  const fields: OrderFields = {
    orderNo: ids.orderNo,
    outOrderNo: request.outOrderNo,
    amountFen: request.amountFen,
    currency: request.currency,
    subject: request.subject,
    items: request.items,
    createdAtMs: ids.nowMs,
    expiresAtMs: ids.nowMs + request.expireInSec * 1000,
    paidFen: 0,
    refundedFen: 0,
    paymentNos: [],
  };
  if (request.amountFen === 0) return { ...fields, status: 'PAID', paidAtMs: ids.nowMs, paidPaymentNo: null };
  return { ...fields, status: 'CREATED' };
}

export type OpenOrderOutcome =
  | { readonly outcome: 'created'; readonly order: Order }
  | { readonly outcome: 'exists'; readonly order: Order }
  | { readonly outcome: 'conflict'; readonly order: Order; readonly field: string };

/**
 * Idempotent order creation keyed by outOrderNo: the same request again returns the existing order
 * (whatever its state now); the same outOrderNo with different content is a conflict.
 */
export function openOrder(
  existing: Order | undefined,
  request: OrderRequest,
  ids: { readonly orderNo: string; readonly nowMs: number },
): OpenOrderOutcome {
  if (existing === undefined) return { outcome: 'created', order: createOrder(request, ids) };
  assert(existing.outOrderNo === request.outOrderNo, 'openOrder was given an order with another outOrderNo');
  const field = differingField(existing, request);
  return field === undefined ? { outcome: 'exists', order: existing } : { outcome: 'conflict', order: existing, field };
}

function differingField(order: Order, request: OrderRequest): string | undefined {
  if (order.amountFen !== request.amountFen) return 'amount';
  if (order.currency !== request.currency) return 'currency';
  if (order.subject !== request.subject) return 'subject';
  if (order.expiresAtMs - order.createdAtMs !== request.expireInSec * 1000) return 'expireInSec';
  if (JSON.stringify(order.items) !== JSON.stringify(request.items)) return 'items';
  return undefined;
}

export function isExpired(order: Order, nowMs: number): boolean {
  return nowMs >= order.expiresAtMs;
}

/** Open orders (not paid, not closed) past their expiry: the closer's work list. */
export function isDueForClose(order: Order, nowMs: number): boolean {
  return (order.status === 'CREATED' || order.status === 'PAYING') && isExpired(order, nowMs);
}

/** Records a new payment attempt. Re-recording the same paymentNo is a no-op (a retried request). */
export function startPaying(
  order: Order,
  paymentNo: string,
  nowMs: number,
  policy: OrderPolicy = defaultDomainPolicy.order,
): OrderChange<'alreadyPaid' | 'closed' | 'expired' | 'tooManyPayments'> {
  switch (order.status) {
    case 'PAID':
      return { ok: false, reason: 'alreadyPaid', order };
    case 'CLOSED':
      return { ok: false, reason: 'closed', order };
    case 'CREATED':
    case 'PAYING': {
      if (order.paymentNos.includes(paymentNo)) return { ok: true, order };
      // The business system asked to close it: the close waits only for payments already started.
      if (order.closeRequestedAtMs !== undefined) return { ok: false, reason: 'closed', order };
      if (isExpired(order, nowMs)) return { ok: false, reason: 'expired', order };
      if (order.paymentNos.length >= policy.paymentsPerOrderMax) return { ok: false, reason: 'tooManyPayments', order };
      return { ok: true, order: { ...fieldsOf(order), status: 'PAYING', paymentNos: [...order.paymentNos, paymentNo] } };
    }
    default:
      return assertNever(order, 'order status');
  }
}

/**
 * The order is paid by `paymentNo`. Accepted from CREATED or PAYING even past the expiry time: while
 * the order is not closed locally the money is the buyer's real payment for it. The outcomes that are
 * not a transition tell the caller what the money is instead: a duplicate (already paid by this
 * payment), a second payment (paid by another one: refund this one), or a payment after close.
 */
export function markOrderPaid(
  order: Order,
  payment: { readonly paymentNo: string; readonly amountFen: number },
  nowMs: number,
): OrderChange<'alreadyPaid' | 'paidByOtherPayment' | 'closed'> {
  switch (order.status) {
    case 'PAID':
      return { ok: false, reason: order.paidPaymentNo === payment.paymentNo ? 'alreadyPaid' : 'paidByOtherPayment', order };
    case 'CLOSED':
      return { ok: false, reason: 'closed', order };
    case 'CREATED':
    case 'PAYING':
      // A payment is recorded on its order when it is created, for the order's amount.
      assert(order.paymentNos.includes(payment.paymentNo), `payment ${payment.paymentNo} is not one of order ${order.orderNo}'s`);
      assert(payment.amountFen === order.amountFen, `payment ${payment.paymentNo} amount differs from order ${order.orderNo}`);
      return {
        ok: true,
        order: { ...fieldsOf(order), status: 'PAID', paidFen: payment.amountFen, paidAtMs: nowMs, paidPaymentNo: payment.paymentNo },
      };
    default:
      return assertNever(order, 'order status');
  }
}

/**
 * The business system asked to close the order while some of its payments may still be paid: the request
 * is recorded (once: the first time is kept) so that it outlives a restart and no new payment starts.
 */
export function requestClose(order: Order, nowMs: number): OrderChange<'alreadyClosed' | 'alreadyPaid' | 'alreadyRequested'> {
  switch (order.status) {
    case 'CLOSED':
      return { ok: false, reason: 'alreadyClosed', order };
    case 'PAID':
      return { ok: false, reason: 'alreadyPaid', order };
    case 'CREATED':
    case 'PAYING':
      if (order.closeRequestedAtMs !== undefined) return { ok: false, reason: 'alreadyRequested', order };
      return { ok: true, order: { ...order, closeRequestedAtMs: nowMs } };
    default:
      return assertNever(order, 'order status');
  }
}

/** Whether a new or retried payment may still be handed to the buyer. */
export function isOrderPayable(order: Order): boolean {
  return (order.status === 'CREATED' || order.status === 'PAYING') && order.closeRequestedAtMs === undefined;
}

/**
 * Closes an unpaid order. Every payment must already be closed (or failed) at the channel, listed in
 * `openPaymentNos` otherwise: the channel is closed first, so no buyer can pay what the core has closed.
 */
export function closeOrder(
  order: Order,
  input: { readonly nowMs: number; readonly reason: OrderCloseReason; readonly openPaymentNos: readonly string[] },
): OrderChange<'alreadyClosed' | 'alreadyPaid' | 'paymentsOpen'> {
  switch (order.status) {
    case 'CLOSED':
      return { ok: false, reason: 'alreadyClosed', order };
    case 'PAID':
      return { ok: false, reason: 'alreadyPaid', order };
    case 'CREATED':
    case 'PAYING':
      if (input.openPaymentNos.length > 0) return { ok: false, reason: 'paymentsOpen', order };
      return { ok: true, order: { ...fieldsOf(order), status: 'CLOSED', closedAtMs: input.nowMs, closeReason: input.reason } };
    default:
      return assertNever(order, 'order status');
  }
}

/**
 * Adds a completed merchant refund to the order. The refund was admitted against the refundable
 * amount (in-flight refunds counted), so going past the paid amount here can only be a bug.
 */
export function addRefunded(order: Order, amountFen: number): Order {
  assertFen(amountFen);
  assert(amountFen > 0, `refund amount ${amountFen} must be positive`);
  assert(order.status === 'PAID', `refund completed for order ${order.orderNo} in status ${order.status}`);
  assert(order.refundedFen + amountFen <= order.paidFen, `refunds of order ${order.orderNo} would exceed its paid amount`);
  return { ...order, refundedFen: order.refundedFen + amountFen };
}

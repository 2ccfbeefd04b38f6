// A refund: an application to give money back on one payment. The channel completes it later; the
// core learns by notify or by polling, and never closes one in flight by itself. Its unique key is
// (paymentNo, outRefundNo): a replay of the same request is the same refund.
import { assertFen } from '../../lib/money.ts';
import { assert } from './assert.ts';
import { addRefunded, type Order } from './order.ts';
import type { Payment } from './payment.ts';
import { defaultDomainPolicy, type RefundPolicy } from './policy.ts';
import type { RefundRequest } from './refund-request.ts';
import { refundFeeReturnFen, type ChannelName } from './routing.ts';

/** merchant: asked for by the business; the others give back money the order must not keep. */
export type RefundKind = 'merchant' | 'afterClose' | 'duplicatePayment';

export type RefundState =
  | { readonly status: 'PROCESSING' }
  | { readonly status: 'SUCCESS'; readonly succeededAtMs: number; readonly feeReturnedFen: number }
  | { readonly status: 'FAILED'; readonly failedAtMs: number; readonly failure: string };

export interface RefundFields {
  /** What the channel sees (Alipay out_request_no, WeChat out_refund_no). */
  readonly refundNo: string;
  readonly paymentNo: string;
  readonly orderNo: string;
  readonly channel: ChannelName;
  /** The business system's idempotency key, unique per payment. */
  readonly outRefundNo: string;
  readonly amountFen: number;
  readonly reason: string;
  readonly kind: RefundKind;
  readonly createdAtMs: number;
  readonly pollAttempts: number;
  readonly nextPollAtMs: number | null;
  readonly channelRefundNo: string | null;
}

export type Refund = RefundFields & RefundState;

function fieldsOfRefund(refund: Refund): RefundFields {
  const { refundNo, paymentNo, orderNo, channel, outRefundNo, amountFen, reason, kind, createdAtMs, pollAttempts, nextPollAtMs, channelRefundNo } = refund;
  return { refundNo, paymentNo, orderNo, channel, outRefundNo, amountFen, reason, kind, createdAtMs, pollAttempts, nextPollAtMs, channelRefundNo };
}

/** Refunds that hold money: in flight or done. FAILED ones gave nothing back and free their amount. */
export function committedRefundFen(refunds: readonly Refund[]): number {
  return refunds.filter((refund) => refund.status !== 'FAILED').reduce((sum, refund) => sum + refund.amountFen, 0);
}

export function succeededRefundFen(refunds: readonly Refund[]): number {
  return refunds.filter((refund) => refund.status === 'SUCCESS').reduce((sum, refund) => sum + refund.amountFen, 0);
}

export type RefundRequestOutcome =
  | { readonly outcome: 'created'; readonly refund: Refund }
  | { readonly outcome: 'replay'; readonly refund: Refund }
  | { readonly outcome: 'conflict'; readonly refund: Refund }
  | { readonly outcome: 'exceedsRefundable'; readonly refundableFen: number }
  | { readonly outcome: 'notRefundable'; readonly reason: 'orderNotPaid' | 'paymentNotCredited' }
  | { readonly outcome: 'tooManyRefunds'; readonly refundsMax: number };

/**
 * Decides a merchant refund of the payment that paid `order`. `existingRefunds` must be every refund
 * of that payment, read in the same synchronous block as the commit of the result, so two requests
 * cannot both pass the refundable check. Idempotency comes first: a replay answers with the refund it
 * created whatever has happened since.
 */
export function requestRefund(
  order: Order,
  payment: Payment,
  existingRefunds: readonly Refund[],
  request: RefundRequest,
  ids: { readonly refundNo: string; readonly nowMs: number },
  policy: RefundPolicy = defaultDomainPolicy.refund,
): RefundRequestOutcome {
  assert(payment.orderNo === order.orderNo, `payment ${payment.paymentNo} is not of order ${order.orderNo}`);
  assert(existingRefunds.every((refund) => refund.paymentNo === payment.paymentNo), 'existingRefunds must all be of the payment');
  assertFen(request.amountFen);
  assert(request.amountFen > 0, `refund amount ${request.amountFen} must be positive`);

  const previous = existingRefunds.find((refund) => refund.outRefundNo === request.outRefundNo);
  if (previous) return previous.amountFen === request.amountFen ? { outcome: 'replay', refund: previous } : { outcome: 'conflict', refund: previous };

  if (order.status !== 'PAID' || order.paidPaymentNo !== payment.paymentNo) return { outcome: 'notRefundable', reason: 'orderNotPaid' };
  if (payment.status !== 'SUCCEEDED' || payment.settlement !== 'credited') return { outcome: 'notRefundable', reason: 'paymentNotCredited' };
  if (existingRefunds.length >= policy.refundsPerPaymentMax) return { outcome: 'tooManyRefunds', refundsMax: policy.refundsPerPaymentMax };
  const refundableFen = payment.amountFen - committedRefundFen(existingRefunds);
  if (request.amountFen > refundableFen) return { outcome: 'exceedsRefundable', refundableFen };

  return { outcome: 'created', refund: newRefund(payment, { ...request, kind: 'merchant' }, ids, policy) };
}

/** The key of the one automatic refund a payment can have. */
export function autoRefundKey(paymentNo: string): string {
  return `auto-${paymentNo}`;
}

/**
 * The automatic refund of a success that must not be kept (paid after close, or a second payment of
 * a paid order): the whole amount, under a fixed key, so asking again is a replay.
 */
export function requestAutoRefund(
  payment: Payment,
  existingRefunds: readonly Refund[],
  ids: { readonly refundNo: string; readonly nowMs: number },
  policy: RefundPolicy = defaultDomainPolicy.refund,
): { readonly outcome: 'created' | 'replay'; readonly refund: Refund } {
  assert(payment.status === 'SUCCEEDED' && payment.settlement !== 'credited', `payment ${payment.paymentNo} is not a success to give back`);
  assert(existingRefunds.every((refund) => refund.paymentNo === payment.paymentNo), 'existingRefunds must all be of the payment');
  const outRefundNo = autoRefundKey(payment.paymentNo);
  const previous = existingRefunds.find((refund) => refund.outRefundNo === outRefundNo);
  if (previous) return { outcome: 'replay', refund: previous };
  assert(committedRefundFen(existingRefunds) === 0, `payment ${payment.paymentNo} to give back already has other refunds`);
  const kind: RefundKind = payment.settlement === 'refundAfterClose' ? 'afterClose' : 'duplicatePayment';
  const reason = kind === 'afterClose' ? 'paid after the order was closed' : 'order already paid by another payment';
  return { outcome: 'created', refund: newRefund(payment, { outRefundNo, amountFen: payment.amountFen, reason, kind }, ids, policy) };
}

function newRefund(
  payment: Payment,
  request: RefundRequest & { readonly kind: RefundKind },
  ids: { readonly refundNo: string; readonly nowMs: number },
  policy: RefundPolicy,
): Refund {
  return {
    refundNo: ids.refundNo,
    paymentNo: payment.paymentNo,
    orderNo: payment.orderNo,
    channel: payment.channel,
    outRefundNo: request.outRefundNo,
    amountFen: request.amountFen,
    reason: request.reason,
    kind: request.kind,
    createdAtMs: ids.nowMs,
    pollAttempts: 0,
    nextPollAtMs: ids.nowMs + policy.pollFirstDelayMs,
    channelRefundNo: null,
    status: 'PROCESSING',
  };
}

export type RefundChange<Reason extends string> =
  | { readonly ok: true; readonly refund: Refund }
  | { readonly ok: false; readonly reason: Reason; readonly refund: Refund };

export type RefundSuccessChange =
  | { readonly ok: true; readonly refund: Refund; readonly order: Order }
  | { readonly ok: false; readonly reason: 'alreadySucceeded' | 'wasFailed'; readonly refund: Refund };

/**
 * The channel completed the refund. A merchant refund also adds to the order's refunded amount; the
 * fee given back is the payment fee's share of this refund. A success after we recorded a failure is
 * a contradiction for a person (`wasFailed`), not something to resolve here.
 */
export function markRefundSucceeded(
  refund: Refund,
  context: { readonly order: Order; readonly payment: Payment; readonly refunds: readonly Refund[] },
  input: { readonly nowMs: number; readonly channelRefundNo?: string },
): RefundSuccessChange {
  if (refund.status === 'SUCCESS') return { ok: false, reason: 'alreadySucceeded', refund };
  if (refund.status === 'FAILED') return { ok: false, reason: 'wasFailed', refund };
  const { order, payment, refunds } = context;
  assert(payment.paymentNo === refund.paymentNo && order.orderNo === refund.orderNo, `refund ${refund.refundNo} given the wrong payment or order`);
  const feeReturnedFen = refundFeeReturnFen({
    paymentAmountFen: payment.amountFen,
    paymentFeeFen: payment.feeFen,
    refundedBeforeFen: succeededRefundFen(refunds.filter((other) => other.refundNo !== refund.refundNo)),
    refundFen: refund.amountFen,
  });
  const succeeded: Refund = {
    ...fieldsOfRefund(refund),
    nextPollAtMs: null,
    channelRefundNo: input.channelRefundNo ?? refund.channelRefundNo,
    status: 'SUCCESS',
    succeededAtMs: input.nowMs,
    feeReturnedFen,
  };
  return { ok: true, refund: succeeded, order: refund.kind === 'merchant' ? addRefunded(order, refund.amountFen) : order };
}

/** The channel definitively failed the refund (WeChat ABNORMAL or CLOSED, a final business error). */
export function markRefundFailed(refund: Refund, input: { readonly nowMs: number; readonly failure: string }): RefundChange<'alreadyFailed' | 'wasSucceeded'> {
  if (refund.status === 'FAILED') return { ok: false, reason: 'alreadyFailed', refund };
  if (refund.status === 'SUCCESS') return { ok: false, reason: 'wasSucceeded', refund };
  return { ok: true, refund: { ...fieldsOfRefund(refund), nextPollAtMs: null, status: 'FAILED', failedAtMs: input.nowMs, failure: input.failure } };
}

/** Polling delay after `attempts` polls: doubling from the first delay, capped; it never stops by itself. */
export function refundPollDelayMs(attempts: number, policy: RefundPolicy = defaultDomainPolicy.refund): number {
  assert(Number.isInteger(attempts) && attempts >= 0, `poll attempts must be a count, got ${attempts}`);
  // 2 ** 40 minutes is far past any cap; bounding the exponent keeps the number finite.
  return Math.min(policy.pollFirstDelayMs * 2 ** Math.min(attempts, 40), policy.pollDelayMaxMs);
}

/** A poll found the refund still in flight: count it and plan the next one. */
export function recordRefundPoll(refund: Refund, nowMs: number, policy: RefundPolicy = defaultDomainPolicy.refund): Refund {
  if (refund.status !== 'PROCESSING') return refund;
  const pollAttempts = refund.pollAttempts + 1;
  return { ...refund, pollAttempts, nextPollAtMs: nowMs + refundPollDelayMs(pollAttempts, policy) };
}

export function isRefundStuck(refund: Refund, nowMs: number, policy: RefundPolicy = defaultDomainPolicy.refund): boolean {
  return refund.status === 'PROCESSING' && nowMs - refund.createdAtMs > policy.processingSlaMs;
}

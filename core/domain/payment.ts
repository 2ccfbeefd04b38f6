// A payment: one attempt to collect an order's amount through one channel. Its paymentNo is the
// out_trade_no the channel sees. It is persisted (CREATED) before the channel is called, so every
// call-out has a record to be found by; after the call it is PENDING until the channel says more.
import { assertFen } from '../../lib/money.ts';
import { assert, assertNever, DomainInvariantError } from './assert.ts';
import { markOrderPaid, type Order } from './order.ts';
import { defaultDomainPolicy, type PaymentPolicy } from './policy.ts';
import type { ChannelName, PayMethod } from './routing.ts';

/** What a recorded success does with the money: credit the order, or give it back. */
export type PaymentSettlement = 'credited' | 'refundAfterClose' | 'refundDuplicate';

export type PaymentState =
  | { readonly status: 'CREATED' }
  /** Called out; the outcome is not known yet (awaiting the buyer, a notify or a query). */
  | { readonly status: 'PENDING'; readonly calledOutAtMs: number }
  /** The query schedule ran out without an answer: flagged for a person; a success is still accepted. */
  | { readonly status: 'UNKNOWN'; readonly flaggedAtMs: number }
  | {
      readonly status: 'SUCCEEDED';
      readonly channelTradeNo: string;
      readonly paidAtMs: number;
      readonly recordedAtMs: number;
      readonly settlement: PaymentSettlement;
    }
  /** The channel definitively refused it (never inferred from silence or a timeout). */
  | { readonly status: 'FAILED'; readonly failedAtMs: number; readonly failure: string }
  /** Closed at the channel: no buyer can pay it any more. */
  | { readonly status: 'CLOSED'; readonly closedAtMs: number };

export type PaymentStatus = PaymentState['status'];

export interface PaymentFields {
  readonly paymentNo: string;
  readonly orderNo: string;
  readonly channel: ChannelName;
  readonly method: PayMethod;
  readonly amountFen: number;
  /** The channel fee expected for this payment by the routing table. */
  readonly feeFen: number;
  /** Who must be named in the channel's evidence: Alipay app_id / seller_id, WeChat appid / mchid. */
  readonly appId: string;
  readonly sellerId: string;
  readonly createdAtMs: number;
  /** Sent to the channel as time_expire: before the order's own expiry, by a safety margin. */
  readonly expiresAtMs: number;
  readonly queryAttempts: number;
  /** Null when nothing is scheduled (terminal, or the schedule ran out). */
  readonly nextQueryAtMs: number | null;
}

export type Payment = PaymentFields & PaymentState;

export function isPaymentOpen(payment: Payment): boolean {
  switch (payment.status) {
    case 'CREATED':
    case 'PENDING':
    case 'UNKNOWN':
      return true;
    case 'SUCCEEDED':
    case 'FAILED':
    case 'CLOSED':
      return false;
    default:
      return assertNever(payment, 'payment status');
  }
}

export function fieldsOfPayment(payment: Payment): PaymentFields {
  const { paymentNo, orderNo, channel, method, amountFen, feeFen, appId, sellerId, createdAtMs, expiresAtMs, queryAttempts, nextQueryAtMs } =
    payment;
  return { paymentNo, orderNo, channel, method, amountFen, feeFen, appId, sellerId, createdAtMs, expiresAtMs, queryAttempts, nextQueryAtMs };
}

/**
 * The payment's expiry: the order's expiry less the safety margin, down to a whole second (channels
 * take seconds, and rounding must never push it later). Undefined when too little time is left to
 * be worth sending to a channel: the order is as good as expired.
 */
export function paymentExpiresAtMs(orderExpiresAtMs: number, nowMs: number, policy: PaymentPolicy = defaultDomainPolicy.payment): number | undefined {
  const expiresAtMs = Math.floor((orderExpiresAtMs - policy.expirySafetyMarginMs) / 1000) * 1000;
  return expiresAtMs - nowMs >= policy.channelExpiryMinMs ? expiresAtMs : undefined;
}

export type CreatePaymentOutcome = { readonly ok: true; readonly payment: Payment } | { readonly ok: false; readonly reason: 'tooCloseToExpiry' };

export function createPayment(
  input: {
    readonly paymentNo: string;
    readonly order: Order;
    readonly channel: ChannelName;
    readonly method: PayMethod;
    readonly feeFen: number;
    readonly appId: string;
    readonly sellerId: string;
    readonly nowMs: number;
  },
  policy: PaymentPolicy = defaultDomainPolicy.payment,
): CreatePaymentOutcome {
  const { order, nowMs } = input;
  assertFen(input.feeFen);
  assert(order.amountFen > 0, `order ${order.orderNo} has nothing to collect: a 0-amount order never reaches a channel`);
  assert(input.feeFen >= 0 && input.feeFen <= order.amountFen, `fee ${input.feeFen} outside 0..${order.amountFen}`);
  const expiresAtMs = paymentExpiresAtMs(order.expiresAtMs, nowMs, policy);
  if (expiresAtMs === undefined) return { ok: false, reason: 'tooCloseToExpiry' };
  return {
    ok: true,
    payment: {
      paymentNo: input.paymentNo,
      orderNo: order.orderNo,
      channel: input.channel,
      method: input.method,
      amountFen: order.amountFen,
      feeFen: input.feeFen,
      appId: input.appId,
      sellerId: input.sellerId,
      createdAtMs: nowMs,
      expiresAtMs,
      queryAttempts: 0,
      nextQueryAtMs: null,
      status: 'CREATED',
    },
  };
}


/** What the channel says about a success, after its signature was verified and a query confirmed it. */
export interface ChannelSuccessEvidence {
  readonly amountFen: number;
  readonly tradeNo: string;
  readonly appId: string;
  readonly sellerId: string;
  readonly paidAtMs: number;
}

export type ChannelSuccessOutcome =
  /** Payment SUCCEEDED and the order PAID: commit both, post the ledger, notify the business. */
  | { readonly outcome: 'credited'; readonly payment: Payment; readonly order: Order }
  /** The same success again (duplicate or reordered notify, or a query after a notify): change nothing. */
  | { readonly outcome: 'alreadyCredited'; readonly payment: Payment; readonly order: Order }
  /** The channel's amount is not the payment's: credit nothing, raise an alert. */
  | { readonly outcome: 'amountMismatch'; readonly expectedFen: number; readonly receivedFen: number }
  /** The evidence names another app, merchant or trade: credit nothing, raise an alert. */
  | { readonly outcome: 'identityMismatch'; readonly field: 'appId' | 'sellerId' | 'tradeNo'; readonly expected: string; readonly received: string }
  /** Paid, but the order was closed first: payment recorded as SUCCEEDED, the money must go back (automatic refund). */
  | { readonly outcome: 'paidAfterClose'; readonly payment: Payment; readonly order: Order }
  /** Paid, but the order was already paid by another payment: the money must go back (automatic refund). */
  | { readonly outcome: 'duplicatePayment'; readonly payment: Payment; readonly order: Order };

/**
 * Applies a confirmed channel success. The evidence is checked before anything else, even before the
 * duplicate test, because answering "duplicate" acknowledges the message. A success moves a payment
 * from an open state only, except that money the channel really took is never ignored: a success for
 * a payment we had closed or failed is recorded and sent back (or credits the order if it is still open).
 */
export function applyChannelSuccess(
  payment: Payment,
  order: Order,
  evidence: ChannelSuccessEvidence,
  nowMs: number,
): ChannelSuccessOutcome {
  assert(payment.orderNo === order.orderNo, `payment ${payment.paymentNo} belongs to order ${payment.orderNo}, not ${order.orderNo}`);
  assertFen(evidence.amountFen);
  if (evidence.appId !== payment.appId) return { outcome: 'identityMismatch', field: 'appId', expected: payment.appId, received: evidence.appId };
  if (evidence.sellerId !== payment.sellerId) {
    return { outcome: 'identityMismatch', field: 'sellerId', expected: payment.sellerId, received: evidence.sellerId };
  }
  if (payment.status === 'SUCCEEDED' && evidence.tradeNo !== payment.channelTradeNo) {
    return { outcome: 'identityMismatch', field: 'tradeNo', expected: payment.channelTradeNo, received: evidence.tradeNo };
  }
  if (evidence.amountFen !== payment.amountFen) return { outcome: 'amountMismatch', expectedFen: payment.amountFen, receivedFen: evidence.amountFen };
  if (payment.status === 'SUCCEEDED') return { outcome: 'alreadyCredited', payment, order };

  const succeeded = (settlement: PaymentSettlement): Payment => ({
    ...fieldsOfPayment(payment),
    nextQueryAtMs: null,
    status: 'SUCCEEDED',
    channelTradeNo: evidence.tradeNo,
    paidAtMs: evidence.paidAtMs,
    recordedAtMs: nowMs,
    settlement,
  });
  const paid = markOrderPaid(order, payment, evidence.paidAtMs);
  if (paid.ok) return { outcome: 'credited', payment: succeeded('credited'), order: paid.order };
  switch (paid.reason) {
    case 'closed':
      return { outcome: 'paidAfterClose', payment: succeeded('refundAfterClose'), order };
    case 'paidByOtherPayment':
      return { outcome: 'duplicatePayment', payment: succeeded('refundDuplicate'), order };
    case 'alreadyPaid':
      // The order names this payment as its payer, yet the payment is not SUCCEEDED: records disagree.
      throw new DomainInvariantError(`order ${order.orderNo} is paid by ${payment.paymentNo}, which is ${payment.status}`);
    default:
      return assertNever(paid.reason, 'order payment outcome');
  }
}

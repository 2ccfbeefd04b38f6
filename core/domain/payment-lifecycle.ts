// The life of a payment short of success: called out, queried, closed at the channel, refused.
// Success is in payment.ts (applyChannelSuccess), because it also decides what happens to the order.
import { assertNever } from './assert.ts';
import { fieldsOfPayment, isPaymentOpen, type Payment } from './payment.ts';
import { defaultDomainPolicy, type PaymentPolicy } from './policy.ts';
import { nextQueryAtMs } from './query-schedule.ts';

export type PaymentChange<Reason extends string> =
  | { readonly ok: true; readonly payment: Payment }
  | { readonly ok: false; readonly reason: Reason; readonly payment: Payment };

/** The channel was called (whatever it answered short of a definitive refusal): start the query schedule. */
export function markCalledOut(payment: Payment, nowMs: number, policy: PaymentPolicy = defaultDomainPolicy.payment): PaymentChange<'notCreated'> {
  if (payment.status !== 'CREATED') return { ok: false, reason: 'notCreated', payment };
  const plan = nextQueryAtMs(payment.createdAtMs, payment.queryAttempts, nowMs, policy.querySteps);
  return {
    ok: true,
    payment: { ...fieldsOfPayment(payment), status: 'PENDING', calledOutAtMs: nowMs, nextQueryAtMs: plan.outcome === 'queryAt' ? plan.atMs : null },
  };
}

/**
 * A query found no final answer (not paid yet, trade not found yet): count it and plan the next.
 * When the schedule runs out the payment becomes UNKNOWN (flagged), never FAILED.
 */
export function recordQueryAttempt(payment: Payment, nowMs: number, policy: PaymentPolicy = defaultDomainPolicy.payment): PaymentChange<'notOpen'> {
  if (!isPaymentOpen(payment)) return { ok: false, reason: 'notOpen', payment };
  const queryAttempts = payment.queryAttempts + 1;
  const plan = nextQueryAtMs(payment.createdAtMs, queryAttempts, nowMs, policy.querySteps);
  const fields = { ...fieldsOfPayment(payment), queryAttempts };
  if (plan.outcome === 'queryAt') return { ok: true, payment: { ...payment, ...fields, nextQueryAtMs: plan.atMs } };
  if (payment.status === 'UNKNOWN') return { ok: true, payment: { ...payment, ...fields, nextQueryAtMs: null } };
  return { ok: true, payment: { ...fields, nextQueryAtMs: null, status: 'UNKNOWN', flaggedAtMs: nowMs } };
}

/** The channel confirmed the trade closed (our close call, or its own expiry). */
export function markPaymentClosed(payment: Payment, nowMs: number): PaymentChange<'alreadyClosed' | 'succeeded' | 'failed'> {
  switch (payment.status) {
    case 'CLOSED':
      return { ok: false, reason: 'alreadyClosed', payment };
    case 'SUCCEEDED':
      return { ok: false, reason: 'succeeded', payment };
    case 'FAILED':
      return { ok: false, reason: 'failed', payment };
    case 'CREATED':
    case 'PENDING':
    case 'UNKNOWN':
      return { ok: true, payment: { ...fieldsOfPayment(payment), nextQueryAtMs: null, status: 'CLOSED', closedAtMs: nowMs } };
    default:
      return assertNever(payment, 'payment status');
  }
}

/** The channel definitively refused the payment (a business error on create, not a timeout or 5xx). */
export function markPaymentFailed(payment: Payment, failure: string, nowMs: number): PaymentChange<'notOpen'> {
  if (!isPaymentOpen(payment)) return { ok: false, reason: 'notOpen', payment };
  return { ok: true, payment: { ...fieldsOfPayment(payment), nextQueryAtMs: null, status: 'FAILED', failedAtMs: nowMs, failure } };
}

/**
 * Whether the channel may still take the buyer's money for this payment even though it answers that
 * it has no such trade: a QR code or pay URL the buyer has not opened yet does not exist at the channel
 * (Alipay answers ACQ.TRADE_NOT_EXIST to close and query) but stays payable until the payment's own
 * expiry, which the channel was given. Only after that (and the channel's clock skew) is "no such
 * trade" as good as closed.
 */
export function mayStillBePaid(payment: Payment, nowMs: number, policy: PaymentPolicy = defaultDomainPolicy.payment): boolean {
  return isPaymentOpen(payment) && nowMs < noLongerPayableAtMs(payment, policy);
}

/** From when the channel surely refuses to create or pay this payment's trade. */
export function noLongerPayableAtMs(payment: Payment, policy: PaymentPolicy = defaultDomainPolicy.payment): number {
  return payment.expiresAtMs + policy.channelClockSkewMs;
}

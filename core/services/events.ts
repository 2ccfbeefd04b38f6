// The core's typed events. Services emit them; logs, the CLI, scenario timelines and tests listen.
import type { ChannelName } from '../domain/index.ts';

export type AlertKind =
  | 'notify.invalid'
  | 'notify.identityMismatch'
  | 'notify.amountMismatch'
  | 'notify.unknownPayment'
  | 'notify.unknownRefund'
  | 'query.amountMismatch'
  | 'query.identityMismatch'
  | 'query.unrecognized'
  | 'query.closedAfterPayment'
  | 'payment.paidAfterClose'
  | 'payment.duplicate'
  | 'payment.unknown'
  | 'refund.amountMismatch'
  | 'refund.contradiction'
  | 'refund.autoFailed'
  /** A bug of the core surfaced (an assertion, an unexpected exception): a person must look at the log. */
  | 'core.bug';

export type CoreEvent =
  | { readonly type: 'order.created'; readonly atMs: number; readonly orderNo: string; readonly amountFen: number }
  | { readonly type: 'order.paid'; readonly atMs: number; readonly orderNo: string; readonly paymentNo: string | null }
  | { readonly type: 'order.closed'; readonly atMs: number; readonly orderNo: string; readonly reason: string }
  | { readonly type: 'payment.created'; readonly atMs: number; readonly paymentNo: string; readonly orderNo: string; readonly channel: ChannelName }
  | { readonly type: 'payment.calledOut'; readonly atMs: number; readonly paymentNo: string; readonly outcome: 'created' | 'rejected' | 'unknown' }
  | { readonly type: 'payment.queried'; readonly atMs: number; readonly paymentNo: string; readonly answer: string }
  | { readonly type: 'payment.changed'; readonly atMs: number; readonly paymentNo: string; readonly status: string }
  | { readonly type: 'notify.received'; readonly atMs: number; readonly channel: ChannelName; readonly kind: string; readonly paymentNo?: string }
  | { readonly type: 'notify.answered'; readonly atMs: number; readonly channel: ChannelName; readonly acknowledged: boolean; readonly reason: string }
  | { readonly type: 'refund.changed'; readonly atMs: number; readonly refundNo: string; readonly status: string }
  | { readonly type: 'notification.attempted'; readonly atMs: number; readonly id: string; readonly delivered: boolean; readonly error?: string }
  | { readonly type: 'alert.raised'; readonly atMs: number; readonly kind: AlertKind; readonly subject: string; readonly detail: string }
  | { readonly type: 'checks.ran'; readonly atMs: number; readonly failed: readonly string[] }
  | { readonly type: 'task.failed'; readonly atMs: number; readonly label: string; readonly error: string }
  /** A request failed on a bug (not on the channel): answered 500 INTERNAL_ERROR, never turned into a retry. */
  | { readonly type: 'bug.reported'; readonly atMs: number; readonly where: string; readonly error: string };

// Messages to the business system: best effort with growing intervals, then a manual queue that a
// person works through. One event is one notification with one id, resent until acknowledged, so the
// receiver can deduplicate by id.
import { assertFen, formatFen } from '../../lib/money.ts';
import { formatBeijingDateTime } from '../../lib/time-format.ts';
import { assert, assertNever } from './assert.ts';
import { defaultDomainPolicy, type NotificationPolicy } from './policy.ts';

export const merchantNotificationTypes = ['order.paid', 'order.closed', 'refund.succeeded', 'refund.failed', 'payment.refunded_after_close'] as const;
export type MerchantNotificationType = (typeof merchantNotificationTypes)[number];

export type MerchantNotificationState =
  | { readonly status: 'PENDING'; readonly nextAttemptAtMs: number }
  | { readonly status: 'DELIVERED'; readonly deliveredAtMs: number }
  /** Every scheduled attempt failed: waiting in the manual queue for a person to resend it. */
  | { readonly status: 'MANUAL'; readonly movedAtMs: number };

export interface MerchantNotificationFields {
  readonly id: string;
  readonly type: MerchantNotificationType;
  readonly orderNo: string;
  readonly refundNo: string | null;
  readonly paymentNo: string | null;
  readonly amountFen: number;
  readonly occurredAtMs: number;
  /** Attempts since the notification was created or last resent from the manual queue. */
  readonly attempts: number;
  readonly lastAttemptAtMs: number | null;
  readonly lastError: string | null;
  readonly manualResends: number;
}

export type MerchantNotification = MerchantNotificationFields & MerchantNotificationState;

/**
 * The id is derived from the event (an order is paid once; a refund succeeds once), so emitting the
 * same event twice yields the same notification: the second write is a no-op, not a second message.
 */
export function notificationId(type: MerchantNotificationType, subject: { orderNo: string; refundNo?: string; paymentNo?: string }): string {
  switch (type) {
    case 'order.paid':
    case 'order.closed':
      return `${type}:${subject.orderNo}`;
    case 'refund.succeeded':
    case 'refund.failed':
      assert(subject.refundNo !== undefined, `${type} needs a refundNo`);
      return `${type}:${subject.refundNo}`;
    case 'payment.refunded_after_close':
      assert(subject.paymentNo !== undefined, `${type} needs a paymentNo`);
      return `${type}:${subject.paymentNo}`;
    default:
      return assertNever(type, 'notification type');
  }
}

export function createMerchantNotification(event: {
  readonly type: MerchantNotificationType;
  readonly orderNo: string;
  readonly refundNo?: string;
  readonly paymentNo?: string;
  readonly amountFen: number;
  readonly occurredAtMs: number;
}): MerchantNotification {
  assertFen(event.amountFen);
  return {
    id: notificationId(event.type, event),
    type: event.type,
    orderNo: event.orderNo,
    refundNo: event.refundNo ?? null,
    paymentNo: event.paymentNo ?? null,
    amountFen: event.amountFen,
    occurredAtMs: event.occurredAtMs,
    attempts: 0,
    lastAttemptAtMs: null,
    lastError: null,
    manualResends: 0,
    status: 'PENDING',
    nextAttemptAtMs: event.occurredAtMs,
  };
}

export interface MerchantNotificationBody {
  readonly id: string;
  readonly type: MerchantNotificationType;
  readonly orderNo: string;
  readonly refundNo?: string;
  readonly amount: string;
  readonly occurredAt: string;
}

/** The JSON posted to the business system; times are RFC 3339 in Beijing time, as WeChat Pay sends them. */
export function notificationBody(notification: MerchantNotification): MerchantNotificationBody {
  return {
    id: notification.id,
    type: notification.type,
    orderNo: notification.orderNo,
    ...(notification.refundNo === null ? {} : { refundNo: notification.refundNo }),
    amount: formatFen(notification.amountFen),
    occurredAt: `${formatBeijingDateTime(notification.occurredAtMs).replace(' ', 'T')}+08:00`,
  };
}

/** The receiver acknowledges with HTTP 200 and the body `success`; anything else is a failed attempt. */
export function isAcknowledgement(httpStatus: number, body: string): boolean {
  return httpStatus === 200 && body.trim() === 'success';
}

export type NextAttempt = { readonly outcome: 'retryAt'; readonly atMs: number } | { readonly outcome: 'manual' };

/** After `attempts` failed attempts, the last at `lastAttemptAtMs`: when to try again, or give up to the manual queue. */
export function nextAttemptAtMs(attempts: number, lastAttemptAtMs: number, policy: NotificationPolicy = defaultDomainPolicy.notification): NextAttempt {
  assert(Number.isInteger(attempts) && attempts >= 1, `a retry follows at least one attempt, got ${attempts}`);
  const delayMs = policy.retryDelaysMs[attempts - 1];
  return delayMs === undefined ? { outcome: 'manual' } : { outcome: 'retryAt', atMs: lastAttemptAtMs + delayMs };
}

export type NotificationChange =
  | { readonly ok: true; readonly notification: MerchantNotification }
  | { readonly ok: false; readonly reason: 'notPending' | 'notManual'; readonly notification: MerchantNotification };

function fieldsOf(notification: MerchantNotification): MerchantNotificationFields {
  const { id, type, orderNo, refundNo, paymentNo, amountFen, occurredAtMs, attempts, lastAttemptAtMs, lastError, manualResends } = notification;
  return { id, type, orderNo, refundNo, paymentNo, amountFen, occurredAtMs, attempts, lastAttemptAtMs, lastError, manualResends };
}

export function recordDelivered(notification: MerchantNotification, nowMs: number): NotificationChange {
  if (notification.status !== 'PENDING') return { ok: false, reason: 'notPending', notification };
  const fields = fieldsOf(notification);
  return { ok: true, notification: { ...fields, attempts: fields.attempts + 1, lastAttemptAtMs: nowMs, lastError: null, status: 'DELIVERED', deliveredAtMs: nowMs } };
}

export function recordAttemptFailed(
  notification: MerchantNotification,
  failure: { readonly nowMs: number; readonly error: string },
  policy: NotificationPolicy = defaultDomainPolicy.notification,
): NotificationChange {
  if (notification.status !== 'PENDING') return { ok: false, reason: 'notPending', notification };
  const previous = fieldsOf(notification);
  const fields = { ...previous, attempts: previous.attempts + 1, lastAttemptAtMs: failure.nowMs, lastError: failure.error.slice(0, 500) };
  const next = nextAttemptAtMs(fields.attempts, failure.nowMs, policy);
  if (next.outcome === 'manual') return { ok: true, notification: { ...fields, status: 'MANUAL', movedAtMs: failure.nowMs } };
  return { ok: true, notification: { ...fields, status: 'PENDING', nextAttemptAtMs: next.atMs } };
}

/** A person resends from the manual queue: the same id, a fresh schedule. */
export function resendFromManual(notification: MerchantNotification, nowMs: number): NotificationChange {
  if (notification.status !== 'MANUAL') return { ok: false, reason: 'notManual', notification };
  const fields = fieldsOf(notification);
  return { ok: true, notification: { ...fields, attempts: 0, manualResends: fields.manualResends + 1, status: 'PENDING', nextAttemptAtMs: nowMs } };
}

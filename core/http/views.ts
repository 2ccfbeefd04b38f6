// What the API shows of the core's records: yuan strings for amounts, RFC 3339 Beijing times, and no
// internal fields a client could come to depend on by accident.
import { formatFen } from '../../lib/money.ts';
import { formatBeijingDateTime } from '../../lib/time-format.ts';
import type { MerchantNotification, Order, Payment, Refund } from '../domain/index.ts';
import type { CheckReport } from '../services/checks.ts';
import type { Alert, Records } from '../services/records.ts';

export function formatTime(epochMs: number): string {
  return `${formatBeijingDateTime(epochMs).replace(' ', 'T')}+08:00`;
}

const optionalTime = (name: string, epochMs: number | null | undefined) => (epochMs === null || epochMs === undefined ? {} : { [name]: formatTime(epochMs) });

export function orderView(order: Order, records: Records) {
  const payments = records.paymentsOf(order);
  return {
    orderNo: order.orderNo,
    outOrderNo: order.outOrderNo,
    status: order.status,
    amount: formatFen(order.amountFen),
    paidAmount: formatFen(order.paidFen),
    refundedAmount: formatFen(order.refundedFen),
    currency: order.currency,
    subject: order.subject,
    items: order.items.map((item) => ({ name: item.name, quantity: item.quantity, ...(item.unitPriceFen !== undefined ? { unitPrice: formatFen(item.unitPriceFen) } : {}) })),
    createdAt: formatTime(order.createdAtMs),
    expiresAt: formatTime(order.expiresAtMs),
    ...(order.status === 'PAID' ? { paidAt: formatTime(order.paidAtMs), paidPaymentNo: order.paidPaymentNo } : {}),
    ...(order.status === 'CLOSED' ? { closedAt: formatTime(order.closedAtMs), closeReason: order.closeReason } : {}),
    payments: payments.map((payment) => paymentView(payment, records)),
    refunds: payments.flatMap((payment) => records.refundsOf(payment.paymentNo)).map(refundView),
  };
}

export function paymentView(payment: Payment, records: Records) {
  return {
    paymentNo: payment.paymentNo,
    channel: payment.channel,
    method: payment.method,
    status: payment.status,
    amount: formatFen(payment.amountFen),
    fee: formatFen(payment.feeFen),
    createdAt: formatTime(payment.createdAtMs),
    expiresAt: formatTime(payment.expiresAtMs),
    queryAttempts: payment.queryAttempts,
    ...optionalTime('nextQueryAt', payment.nextQueryAtMs),
    ...(payment.status === 'SUCCEEDED'
      ? { channelTradeNo: payment.channelTradeNo, paidAt: formatTime(payment.paidAtMs), settlement: payment.settlement }
      : {}),
    ...(payment.status === 'FAILED' ? { failure: payment.failure } : {}),
    ...(payment.status === 'CLOSED' ? { closedAt: formatTime(payment.closedAtMs) } : {}),
    alerts: records.alertsOf(payment.paymentNo).map(alertView),
  };
}

export function refundView(refund: Refund) {
  return {
    refundNo: refund.refundNo,
    orderNo: refund.orderNo,
    paymentNo: refund.paymentNo,
    outRefundNo: refund.outRefundNo,
    kind: refund.kind,
    status: refund.status,
    amount: formatFen(refund.amountFen),
    reason: refund.reason,
    createdAt: formatTime(refund.createdAtMs),
    ...(refund.status === 'SUCCESS' ? { succeededAt: formatTime(refund.succeededAtMs) } : {}),
    ...(refund.status === 'FAILED' ? { failedAt: formatTime(refund.failedAtMs), failure: refund.failure } : {}),
  };
}

export function alertView(alert: Alert) {
  return { kind: alert.kind, detail: alert.detail, count: alert.count, firstAt: formatTime(alert.firstAtMs), lastAt: formatTime(alert.lastAtMs) };
}

export function notificationView(notification: MerchantNotification) {
  return {
    id: notification.id,
    type: notification.type,
    orderNo: notification.orderNo,
    ...(notification.refundNo !== null ? { refundNo: notification.refundNo } : {}),
    amount: formatFen(notification.amountFen),
    occurredAt: formatTime(notification.occurredAtMs),
    status: notification.status,
    attempts: notification.attempts,
    manualResends: notification.manualResends,
    ...optionalTime('lastAttemptAt', notification.lastAttemptAtMs),
    ...(notification.lastError !== null ? { lastError: notification.lastError } : {}),
    ...(notification.status === 'PENDING' ? { nextAttemptAt: formatTime(notification.nextAttemptAtMs) } : {}),
    ...(notification.status === 'MANUAL' ? { movedAt: formatTime(notification.movedAtMs) } : {}),
    ...(notification.status === 'DELIVERED' ? { deliveredAt: formatTime(notification.deliveredAtMs) } : {}),
  };
}

export function checkReportView(report: CheckReport) {
  return { ranAt: formatTime(report.ranAtMs), passed: report.passed, checks: report.results };
}

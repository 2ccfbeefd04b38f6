import { describe, expect, it } from 'vitest';
import {
  createMerchantNotification,
  DomainInvariantError,
  isAcknowledgement,
  nextAttemptAtMs,
  notificationBody,
  recordAttemptFailed,
  recordDelivered,
  resendFromManual,
  type MerchantNotification,
} from '../../../core/domain/index.ts';
import { expectOk, minuteMs, startMs } from './fixtures.ts';

const paid = () => createMerchantNotification({ type: 'order.paid', orderNo: 'O1', amountFen: 8880, occurredAtMs: startMs });

function failUntilManual(notification: MerchantNotification): { notification: MerchantNotification; attemptTimes: number[] } {
  const attemptTimes: number[] = [];
  let current = notification;
  while (current.status === 'PENDING') {
    attemptTimes.push(current.nextAttemptAtMs);
    current = expectOk(recordAttemptFailed(current, { nowMs: current.nextAttemptAtMs, error: 'HTTP 500' })).notification;
  }
  return { notification: current, attemptTimes };
}

describe('merchant notification', () => {
  it('is due at once and has an id derived from its event', () => {
    expect(paid()).toMatchObject({ id: 'order.paid:O1', status: 'PENDING', nextAttemptAtMs: startMs, attempts: 0 });
    expect(createMerchantNotification({ type: 'refund.succeeded', orderNo: 'O1', refundNo: 'R1', amountFen: 1, occurredAtMs: 0 }).id).toBe('refund.succeeded:R1');
    expect(createMerchantNotification({ type: 'payment.refunded_after_close', orderNo: 'O1', paymentNo: 'P1', amountFen: 1, occurredAtMs: 0 }).id).toBe(
      'payment.refunded_after_close:P1',
    );
  });

  it('needs a refundNo for refund events', () => {
    expect(() => createMerchantNotification({ type: 'refund.failed', orderNo: 'O1', amountFen: 1, occurredAtMs: 0 })).toThrow(DomainInvariantError);
  });

  it('posts the amount as a yuan string and the time in Beijing time', () => {
    expect(notificationBody(paid())).toEqual({ id: 'order.paid:O1', type: 'order.paid', orderNo: 'O1', amount: '88.80', occurredAt: '2026-01-01T00:00:00+08:00' });
    const refund = createMerchantNotification({ type: 'refund.succeeded', orderNo: 'O1', refundNo: 'R1', amountFen: 5, occurredAtMs: startMs });
    expect(notificationBody(refund)).toMatchObject({ refundNo: 'R1', amount: '0.05' });
  });

  it('counts only HTTP 200 with the body success as an acknowledgement', () => {
    expect(isAcknowledgement(200, 'success')).toBe(true);
    expect(isAcknowledgement(200, 'success\n')).toBe(true);
    expect(isAcknowledgement(200, 'SUCCESS')).toBe(false);
    expect(isAcknowledgement(200, '')).toBe(false);
    expect(isAcknowledgement(204, 'success')).toBe(false);
    expect(isAcknowledgement(500, 'success')).toBe(false);
  });

  it('retries on the WeChat Pay schedule, then moves to the manual queue', () => {
    const { notification, attemptTimes } = failUntilManual(paid());
    const gapsSec = attemptTimes.slice(1).map((atMs, index) => (atMs - attemptTimes[index]!) / 1000);
    expect(gapsSec).toEqual([15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10_800, 10_800, 10_800, 21_600, 21_600]);
    expect(attemptTimes.at(-1)! - startMs).toBe((24 * 60 + 4) * minuteMs);
    expect(notification).toMatchObject({ status: 'MANUAL', attempts: 16, lastError: 'HTTP 500', movedAtMs: attemptTimes.at(-1) });
  });

  it('gives the next attempt time from the attempt count', () => {
    expect(nextAttemptAtMs(1, startMs)).toEqual({ outcome: 'retryAt', atMs: startMs + 15_000 });
    expect(nextAttemptAtMs(4, startMs)).toEqual({ outcome: 'retryAt', atMs: startMs + 3 * minuteMs });
    expect(nextAttemptAtMs(15, startMs)).toEqual({ outcome: 'retryAt', atMs: startMs + 6 * 60 * minuteMs });
    expect(nextAttemptAtMs(16, startMs)).toEqual({ outcome: 'manual' });
    expect(() => nextAttemptAtMs(0, startMs)).toThrow(DomainInvariantError);
  });

  it('stops at the first acknowledgement and ignores later results', () => {
    const failed = expectOk(recordAttemptFailed(paid(), { nowMs: startMs, error: 'timeout' })).notification;
    const delivered = expectOk(recordDelivered(failed, startMs + 15_000)).notification;
    expect(delivered).toMatchObject({ status: 'DELIVERED', deliveredAtMs: startMs + 15_000, attempts: 2, lastError: null });
    expect(recordDelivered(delivered, startMs + 20_000)).toMatchObject({ ok: false, reason: 'notPending' });
    expect(recordAttemptFailed(delivered, { nowMs: startMs, error: 'late' })).toMatchObject({ ok: false, reason: 'notPending' });
  });

  it('resends from the manual queue under the same id with a fresh schedule', () => {
    const { notification } = failUntilManual(paid());
    const resent = expectOk(resendFromManual(notification, startMs + 48 * 60 * minuteMs)).notification;
    expect(resent).toMatchObject({ id: 'order.paid:O1', status: 'PENDING', attempts: 0, manualResends: 1, nextAttemptAtMs: startMs + 48 * 60 * minuteMs });
    expect(resendFromManual(resent, startMs)).toMatchObject({ ok: false, reason: 'notManual' });
  });
});

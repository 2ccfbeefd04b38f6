import { describe, expect, it } from 'vitest';
import {
  coreError,
  coreErrors,
  errorForClose,
  errorForPayRefusal,
  errorForRefund,
  errorForRisk,
  errorForRoute,
  httpStatusOf,
  isCoreErrorCode,
  routePayment,
} from '../../../core/domain/index.ts';
import { paidOrder } from './fixtures.ts';

describe('core error codes', () => {
  it('include the codes the business system relies on', () => {
    for (const code of [
      'INVALID_AMOUNT',
      'INVALID_PARAMETER',
      'ORDER_NOT_FOUND',
      'ORDER_EXISTS_DIFFERENT',
      'ORDER_NOT_PAYABLE',
      'ORDER_EXPIRED',
      'RISK_BLOCKED',
      'METHOD_UNAVAILABLE',
      'REFUND_CONFLICT',
      'REFUND_EXCEEDS_PAID',
      'REFUND_NOT_FOUND',
      'ORDER_NOT_REFUNDABLE',
    ]) {
      expect(isCoreErrorCode(code), code).toBe(true);
    }
    expect(isCoreErrorCode('toString')).toBe(false);
  });

  it('give each code an error status and a one-line meaning', () => {
    for (const [code, definition] of Object.entries(coreErrors)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(definition.httpStatus).toBeGreaterThanOrEqual(400);
      expect(definition.httpStatus).toBeLessThan(600);
      expect(definition.meaning).not.toContain('\n');
      expect(definition.meaning.length).toBeGreaterThan(10);
    }
  });

  it('build {code, message} with the meaning as the default message', () => {
    expect(coreError('ORDER_NOT_FOUND')).toEqual({ code: 'ORDER_NOT_FOUND', message: coreErrors.ORDER_NOT_FOUND.meaning });
    expect(httpStatusOf('REFUND_CONFLICT')).toBe(409);
  });

  it('map refused payments to codes', () => {
    expect(errorForPayRefusal('alreadyPaid', 'O1').code).toBe('ORDER_NOT_PAYABLE');
    expect(errorForPayRefusal('closed', 'O1').code).toBe('ORDER_NOT_PAYABLE');
    expect(errorForPayRefusal('expired', 'O1').code).toBe('ORDER_EXPIRED');
    expect(errorForPayRefusal('tooCloseToExpiry', 'O1').code).toBe('ORDER_EXPIRED');
    expect(errorForPayRefusal('tooManyPayments', 'O1').code).toBe('PAYMENT_LIMIT_REACHED');
  });

  it('map routing and risk refusals to codes', () => {
    const unknown = routePayment('paypal', 100);
    if (unknown.outcome === 'routed') throw new Error('routed');
    expect(errorForRoute(unknown).code).toBe('INVALID_PARAMETER');
    const zero = routePayment('alipay.qr', 0);
    if (zero.outcome === 'routed') throw new Error('routed');
    expect(errorForRoute(zero)).toEqual({ code: 'METHOD_UNAVAILABLE', message: 'method alipay.qr takes 0.01 to 100000000.00' });
    expect(errorForRisk({ decision: 'block', ruleId: 'r1', reason: 'blocklist' })).toEqual({ code: 'RISK_BLOCKED', message: 'refused by risk rule r1: blocklist' });
    expect(errorForRisk({ decision: 'stepUp', ruleId: 'r2', reason: 'big' }).code).toBe('RISK_STEP_UP_REQUIRED');
  });

  it('treat closing a closed order again as success and map the other refusals', () => {
    expect(errorForClose('alreadyClosed', 'O1')).toBeUndefined();
    expect(errorForClose('alreadyPaid', 'O1')?.code).toBe('ORDER_NOT_CLOSABLE');
    expect(errorForClose('paymentsOpen', 'O1')?.code).toBe('ORDER_CLOSE_PENDING');
  });

  it('map refund refusals to codes, with what is left in yuan', () => {
    const { payment } = paidOrder();
    expect(errorForRefund({ outcome: 'exceedsRefundable', refundableFen: 880 })).toEqual({
      code: 'REFUND_EXCEEDS_PAID',
      message: 'at most 8.80 can still be refunded, counting refunds in flight',
    });
    expect(errorForRefund({ outcome: 'notRefundable', reason: 'orderNotPaid' }).code).toBe('ORDER_NOT_REFUNDABLE');
    expect(errorForRefund({ outcome: 'tooManyRefunds', refundsMax: 50 }).code).toBe('REFUND_LIMIT_REACHED');
    const refund = {
      refundNo: 'R1', paymentNo: payment.paymentNo, orderNo: payment.orderNo, channel: 'alipay', outRefundNo: 'RF-1', amountFen: 100, reason: '',
      kind: 'merchant', createdAtMs: 0, pollAttempts: 0, nextPollAtMs: 0, channelRefundNo: null, status: 'PROCESSING',
    } as const;
    expect(errorForRefund({ outcome: 'conflict', refund }).code).toBe('REFUND_CONFLICT');
  });
});

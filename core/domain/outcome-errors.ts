// Domain outcomes that refuse a caller's request, turned into the core's `{code, message}`. One
// exhaustive switch per outcome type, so a new outcome cannot reach the wire without a code.
import { formatFen } from '../../lib/money.ts';
import { assertNever } from './assert.ts';
import { coreError, type CoreError } from './errors.ts';
import type { OrderRequestCheck } from './order-request.ts';
import type { RefundRequestCheck } from './refund-request.ts';
import type { RefundRequestOutcome } from './refund.ts';
import type { RiskDecision } from './risk.ts';
import type { RouteOutcome } from './routing.ts';

export function errorForInvalidRequest(check: Extract<OrderRequestCheck | RefundRequestCheck, { ok: false }>): CoreError {
  return coreError(check.code, check.reason);
}

export function errorForOrderConflict(outOrderNo: string, field: string): CoreError {
  return coreError('ORDER_EXISTS_DIFFERENT', `order ${outOrderNo} exists with a different ${field}; resend the original request or use a new outOrderNo`);
}

export type PayRefusal = 'alreadyPaid' | 'closed' | 'expired' | 'tooManyPayments' | 'tooCloseToExpiry';

export function errorForPayRefusal(reason: PayRefusal, orderNo: string): CoreError {
  switch (reason) {
    case 'alreadyPaid':
      return coreError('ORDER_NOT_PAYABLE', `order ${orderNo} is already paid`);
    case 'closed':
      return coreError('ORDER_NOT_PAYABLE', `order ${orderNo} is closed`);
    case 'expired':
      return coreError('ORDER_EXPIRED', `order ${orderNo} has expired`);
    case 'tooCloseToExpiry':
      return coreError('ORDER_EXPIRED', `order ${orderNo} expires too soon to be paid safely`);
    case 'tooManyPayments':
      return coreError('PAYMENT_LIMIT_REACHED', `order ${orderNo} has had the most payment attempts allowed`);
    default:
      return assertNever(reason, 'pay refusal');
  }
}

export function errorForRoute(outcome: Exclude<RouteOutcome, { outcome: 'routed' }>): CoreError {
  switch (outcome.outcome) {
    case 'unknownMethod':
      return coreError('INVALID_PARAMETER', `method "${outcome.method.slice(0, 40)}" is not one of ${outcome.known.join(', ')}`);
    case 'disabled':
      return coreError('METHOD_UNAVAILABLE', `method ${outcome.method} is disabled`);
    case 'channelUnavailable':
      return coreError('METHOD_UNAVAILABLE', `channel ${outcome.channel} is unavailable now; try another method or later`);
    case 'amountOutOfRange':
      return coreError('METHOD_UNAVAILABLE', `method ${outcome.method} takes ${formatFen(outcome.amountFenMin)} to ${formatFen(outcome.amountFenMax)}`);
    default:
      return assertNever(outcome, 'route outcome');
  }
}

export function errorForRisk(decision: Exclude<RiskDecision, { decision: 'pass' }>): CoreError {
  switch (decision.decision) {
    case 'block':
      return coreError('RISK_BLOCKED', `refused by risk rule ${decision.ruleId}: ${decision.reason}`);
    case 'stepUp':
      return coreError('RISK_STEP_UP_REQUIRED', `risk rule ${decision.ruleId} requires verification: ${decision.reason}`);
    default:
      return assertNever(decision, 'risk decision');
  }
}

/** Undefined for `alreadyClosed`: closing a closed order again is a success (idempotent). */
export function errorForClose(reason: 'alreadyClosed' | 'alreadyPaid' | 'paymentsOpen', orderNo: string): CoreError | undefined {
  switch (reason) {
    case 'alreadyClosed':
      return undefined;
    case 'alreadyPaid':
      return coreError('ORDER_NOT_CLOSABLE', `order ${orderNo} is paid; refund it instead`);
    case 'paymentsOpen':
      return coreError('ORDER_CLOSE_PENDING', `a payment of order ${orderNo} is not closed at the channel yet; the close is retried`);
    default:
      return assertNever(reason, 'close refusal');
  }
}

export function errorForRefund(outcome: Exclude<RefundRequestOutcome, { outcome: 'created' | 'replay' }>): CoreError {
  switch (outcome.outcome) {
    case 'conflict':
      return coreError('REFUND_CONFLICT', `outRefundNo ${outcome.refund.outRefundNo} was used for ${formatFen(outcome.refund.amountFen)}; use a new outRefundNo`);
    case 'exceedsRefundable':
      return coreError('REFUND_EXCEEDS_PAID', `at most ${formatFen(outcome.refundableFen)} can still be refunded, counting refunds in flight`);
    case 'notRefundable':
      return coreError('ORDER_NOT_REFUNDABLE', outcome.reason === 'orderNotPaid' ? 'the order is not paid' : 'the payment is not a credited success');
    case 'tooManyRefunds':
      return coreError('REFUND_LIMIT_REACHED', `a payment can have at most ${outcome.refundsMax} refunds`);
    default:
      return assertNever(outcome, 'refund outcome');
  }
}

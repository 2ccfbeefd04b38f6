// Validation of `POST /api/orders/:orderNo/refunds {outRefundNo, amount, reason}`.
import { parseYuan } from '../../lib/money.ts';
import { defaultDomainPolicy, type RefundPolicy } from './policy.ts';
import { identifierProblem, isPlainObject, textProblem, unknownField } from './validate.ts';

export interface RefundRequest {
  readonly outRefundNo: string;
  readonly amountFen: number;
  readonly reason: string;
}

export type RefundRequestCheck =
  | { readonly ok: true; readonly request: RefundRequest }
  | { readonly ok: false; readonly code: 'INVALID_AMOUNT' | 'INVALID_PARAMETER'; readonly field: string; readonly reason: string };

const refundFields = ['outRefundNo', 'amount', 'reason'] as const;

export function validateRefundRequest(body: unknown, policy: RefundPolicy = defaultDomainPolicy.refund): RefundRequestCheck {
  if (!isPlainObject(body)) return { ok: false, code: 'INVALID_PARAMETER', field: 'body', reason: 'the body must be a JSON object' };
  const extra = unknownField(body, refundFields);
  if (extra !== undefined) {
    return { ok: false, code: 'INVALID_PARAMETER', field: extra, reason: `unknown field "${extra.slice(0, 40)}"; allowed: ${refundFields.join(', ')}` };
  }
  const outRefundNoProblem = identifierProblem(body.outRefundNo, 'outRefundNo', policy.outRefundNoLengthMax);
  if (outRefundNoProblem) return { ok: false, code: 'INVALID_PARAMETER', field: 'outRefundNo', reason: outRefundNoProblem };

  if (typeof body.amount !== 'string') {
    return { ok: false, code: 'INVALID_AMOUNT', field: 'amount', reason: 'amount is required, as a yuan string such as "10.00"' };
  }
  const amount = parseYuan(body.amount);
  if (!amount.ok) return { ok: false, code: 'INVALID_AMOUNT', field: 'amount', reason: amount.reason };
  if (amount.fen === 0) return { ok: false, code: 'INVALID_AMOUNT', field: 'amount', reason: 'a refund must be at least 0.01' };

  // The reason is optional (channels accept none); when given it is shown to the buyer, so it is checked.
  const reason = body.reason ?? '';
  if (typeof reason !== 'string') return { ok: false, code: 'INVALID_PARAMETER', field: 'reason', reason: 'reason must be a string' };
  const reasonProblem = reason === '' ? undefined : textProblem(reason, 'reason', policy.reasonLengthMax);
  if (reasonProblem) return { ok: false, code: 'INVALID_PARAMETER', field: 'reason', reason: reasonProblem };
  return { ok: true, request: { outRefundNo: body.outRefundNo as string, amountFen: amount.fen, reason } };
}

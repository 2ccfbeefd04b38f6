// The core's stable error codes, as the business system sees them: `{code, message}` with the HTTP
// status below. README quotes this list; a code once published keeps its meaning. The message is
// for people and may change; programs branch on the code.

export interface CoreErrorDefinition {
  readonly httpStatus: number;
  /** One line: what happened, from the caller's side. */
  readonly meaning: string;
}

export const coreErrors = {
  INVALID_PARAMETER: { httpStatus: 400, meaning: 'A field is missing, malformed, too long, unknown, or out of its range; the message names it.' },
  INVALID_AMOUNT: { httpStatus: 400, meaning: 'An amount is not a yuan string with at most 2 decimals within limits, or parts do not add up to the total.' },
  ORDER_NOT_FOUND: { httpStatus: 404, meaning: 'No order has this orderNo.' },
  ORDER_EXISTS_DIFFERENT: { httpStatus: 409, meaning: 'An order with this outOrderNo exists with different content; resend the original or use a new outOrderNo.' },
  ORDER_NOT_PAYABLE: { httpStatus: 409, meaning: 'The order is already paid or closed.' },
  ORDER_EXPIRED: { httpStatus: 409, meaning: 'The order has expired, or too little of its time is left to pay safely.' },
  ORDER_NOT_CLOSABLE: { httpStatus: 409, meaning: 'The order is paid, so it cannot be closed; refund it instead.' },
  ORDER_CLOSE_PENDING: { httpStatus: 409, meaning: 'A payment of the order could not be closed at the channel yet; the close is retried, ask again later.' },
  PAYMENT_LIMIT_REACHED: { httpStatus: 409, meaning: 'The order has had the most payment attempts allowed.' },
  METHOD_UNAVAILABLE: { httpStatus: 422, meaning: 'The pay method is unknown, disabled, its channel is down, or it does not take this amount.' },
  RISK_BLOCKED: { httpStatus: 403, meaning: 'The risk rules refused this payment; the message names the rule.' },
  RISK_STEP_UP_REQUIRED: { httpStatus: 403, meaning: 'The risk rules require the buyer to verify before paying; the message names the rule.' },
  RISK_STEP_UP_FAILED: { httpStatus: 403, meaning: 'The stepUp proof was refused: wrong code, or a challenge that is unknown, of another order, expired, already used or out of attempts; the message says which.' },
  ORDER_NOT_REFUNDABLE: { httpStatus: 409, meaning: 'The order is not paid, so there is nothing to refund.' },
  REFUND_CONFLICT: { httpStatus: 409, meaning: 'This outRefundNo was already used on the order with a different amount.' },
  REFUND_EXCEEDS_PAID: { httpStatus: 409, meaning: 'The refund plus refunds done or in flight would exceed the paid amount; the message gives what is left.' },
  REFUND_LIMIT_REACHED: { httpStatus: 409, meaning: 'The payment has had the most refunds allowed.' },
  REFUND_NOT_FOUND: { httpStatus: 404, meaning: 'No refund has this refundNo.' },
  NOTIFICATION_NOT_FOUND: { httpStatus: 404, meaning: 'No business-system notification has this id.' },
  NOTIFICATION_NOT_IN_MANUAL_QUEUE: { httpStatus: 409, meaning: 'The notification is not waiting in the manual queue (delivered, or still being retried).' },
  RECONCILIATION_NOT_FOUND: { httpStatus: 404, meaning: 'No reconciliation run has this id.' },
  RECONCILIATION_DAY_NOT_OVER: { httpStatus: 409, meaning: 'The bill date has not ended yet in Beijing time; its bill exists from the next day.' },
  NOT_FOUND: { httpStatus: 404, meaning: 'No such path.' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, meaning: 'The request body is larger than the limit.' },
  CHANNEL_ERROR: { httpStatus: 502, meaning: 'The channel failed or did not answer; the outcome is recorded as unknown and resolved by query. Retrying the same request is safe.' },
  STORE_UNAVAILABLE: { httpStatus: 503, meaning: 'The core could not make the change durable (it is shutting down, or its process is going away); nothing was acknowledged. Retrying the same request later is safe.' },
  INTERNAL_ERROR: { httpStatus: 500, meaning: 'A bug in the core; nothing was changed that the caller was not told about. Report it with the request.' },
} as const satisfies Record<string, CoreErrorDefinition>;

export type CoreErrorCode = keyof typeof coreErrors;

export interface CoreError {
  readonly code: CoreErrorCode;
  readonly message: string;
}

export function coreError(code: CoreErrorCode, message: string = coreErrors[code].meaning): CoreError {
  return { code, message };
}

export function httpStatusOf(code: CoreErrorCode): number {
  return coreErrors[code].httpStatus;
}

export function isCoreErrorCode(value: unknown): value is CoreErrorCode {
  return typeof value === 'string' && Object.hasOwn(coreErrors, value);
}

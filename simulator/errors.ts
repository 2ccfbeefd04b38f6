// The simulator's own error catalogue: every `{code, message}` it writes outside a channel's wire format
// (the control API, the fault header, unknown paths, a bug), with its HTTP status. Each channel's own
// codes live in its folder (channels/<name>/errors.ts); nothing else invents a code.
import type { Response } from 'express';

export const simulatorErrors = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  UNKNOWN_FIELD: 400,
  INVALID_FAULT: 400,
  /** The one-off `X-Paysim-Fault` header does not decode, or names a fault that does not act on the call. */
  INVALID_FAULT_HEADER: 400,
  /** A URL or body that cannot be read (bad percent-encoding). */
  BAD_REQUEST: 400,
  /** The control API answers only to the simulator's own addresses (admin/guard.ts). */
  HOST_NOT_ALLOWED: 403,
  /** A web page of another origin called the control API. */
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  AMBIGUOUS_TRADE: 409,
  APP_EXISTS: 409,
  CLOCK_NOT_VIRTUAL: 409,
  NOT_PAYABLE: 409,
  /** A control API body that is not JSON (a cross-site form or text/plain post). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Request line and headers over Node's limit, answered before any route (unparsed-requests.ts). */
  HEADERS_TOO_LARGE: 431,
  /** A fault interceptor threw while deciding an exchange: the exchange was not processed. */
  INTERCEPTOR_FAILED: 500,
  /** A bug in the simulator; its console has the details. */
  INTERNAL_ERROR: 500,
} as const;

export type SimulatorErrorCode = keyof typeof simulatorErrors;

/** The one place that writes the simulator's own errors. */
export function sendSimulatorError(res: Response, code: SimulatorErrorCode, message: string): void {
  res.status(simulatorErrors[code]).json({ code, message });
}

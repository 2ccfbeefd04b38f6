// The one place that writes the core's errors to the wire: `{code, message}` with the status the code
// defines (core/domain/errors.ts). Never a stack trace; a bug is INTERNAL_ERROR and its details go to
// the events, where the operator sees them.
import type { Response } from 'express';
import { coreError, httpStatusOf, type CoreError, type CoreErrorCode } from '../domain/index.ts';

/** Thrown inside a route to answer with this error (a client mistake found while reading the request). */
export class HttpError extends Error {
  constructor(readonly error: CoreError) {
    super(error.message);
  }
}

export function fail(code: CoreErrorCode, message?: string): never {
  throw new HttpError(coreError(code, message));
}

export function sendError(response: Response, error: CoreError): void {
  if (response.headersSent) return;
  response.status(httpStatusOf(error.code)).type('application/json; charset=utf-8').send(JSON.stringify({ code: error.code, message: error.message }));
}

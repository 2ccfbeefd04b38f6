// The one place that writes the core's errors to the wire: `{code, message}` with the status the code
// defines (core/domain/errors.ts). Never a stack trace; a bug is INTERNAL_ERROR and its details go to
// the events, where the operator sees them.
import { STATUS_CODES } from 'node:http';
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

/**
 * The answer to a request Node could not even parse (headers or path over its limit, a malformed request
 * line), written on the socket because no route ever sees it: still `{code, message}`, never an empty body.
 * 431 is the status clients and proxies know for oversized headers; the code stays the documented one.
 */
export function unparsedRequestAnswer(errorCode: string | undefined, headersBytesMax: number): string {
  const tooLarge = errorCode === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const error = tooLarge
    ? coreError('INVALID_PARAMETER', `the request line and headers are larger than ${headersBytesMax} bytes; shorten the path, the query or the headers`)
    : coreError('INVALID_PARAMETER', `the request is not valid HTTP/1.1 (${(errorCode ?? 'parse error').slice(0, 40)})`);
  const body = JSON.stringify({ code: error.code, message: error.message });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

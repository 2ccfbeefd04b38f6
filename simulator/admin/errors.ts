// The control API's errors: codes of the simulator's one catalogue (../errors.ts), written as `{code, message}`.
import type { Response } from 'express';
import { sendSimulatorError, type SimulatorErrorCode } from '../errors.ts';

export type AdminErrorCode = Exclude<SimulatorErrorCode, 'INVALID_FAULT_HEADER' | 'INTERCEPTOR_FAILED' | 'INTERNAL_ERROR' | 'BAD_REQUEST'>;

export function sendAdminError(res: Response, code: AdminErrorCode, message: string): void {
  sendSimulatorError(res, code, message);
}

export class AdminRequestError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a JSON object body and rejects fields outside `allowed`, naming the first one. */
export function decodeObject(text: string, allowed: readonly string[]): Record<string, unknown> {
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AdminRequestError('INVALID_JSON', 'the request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AdminRequestError('INVALID_JSON', 'the request body must be a JSON object');
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new AdminRequestError('UNKNOWN_FIELD', `unknown field "${unknown}"; allowed: ${allowed.join(', ')}`);
  return value as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new AdminRequestError('INVALID_REQUEST', `"${name}" must be a non-empty string`);
  return value;
}

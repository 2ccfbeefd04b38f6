// The official wechatpay-axios-plugin client and the one way this connector calls WeChat Pay: every
// answer's signature verified by the SDK (2xx and, because validateStatus accepts every status, the
// signed business errors too), every thrown error (timeout, reset, missing or bad signature, stale
// timestamp, unknown serial) turned into ChannelUnavailableError, because none of them tells us what
// the channel did.
import type { Wechatpay } from 'wechatpay-axios-plugin';
import type { ChannelUnavailableError } from '../channel.ts';
import { clip, unavailable, WechatpayRequestRefusedError } from './errors.ts';

/** Largest answer read into memory (a day's bill is the large one). */
export const answerBytesMax = 512 * 1024 * 1024;

/** A verified answer: its status and its parsed body (`''` for 204). */
export interface VerifiedAnswer {
  readonly status: number;
  readonly data: unknown;
}

export type Settled =
  | { readonly kind: 'ok'; readonly status: number; readonly data: unknown }
  /** A verified 4xx whose code the operation lists as a definite answer. */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string };

/** Runs one SDK call; a thrown error is never an answer. */
export async function call(operation: string, request: () => Promise<VerifiedAnswer>): Promise<VerifiedAnswer> {
  try {
    const answer = await request();
    return { status: answer.status, data: answer.data };
  } catch (error) {
    throw transportFailure(operation, error);
  }
}

/** Sorts a verified answer into success, a definite refusal, or (thrown) an unknown outcome. */
export function settle(operation: string, answer: VerifiedAnswer, definiteCodes: ReadonlySet<string>): Settled {
  const { status, data } = answer;
  if (status >= 200 && status < 300 && status !== 202) return { kind: 'ok', status, data };
  const body = isRecord(data) ? data : {};
  const code = typeof body.code === 'string' ? body.code : undefined;
  const message = typeof body.message === 'string' ? body.message : '(no message)';
  if (status === 401) throw new WechatpayRequestRefusedError(operation, status, code, clip(message));
  if (status >= 400 && status < 500 && status !== 429 && code !== undefined && definiteCodes.has(code)) return { kind: 'refused', status, code, message };
  if (status === 202) throw unavailable(operation, `HTTP 202 ${code ?? ''}: accepted but not finished (${clip(message)}); retry with the same numbers`);
  if (status === 429) throw unavailable(operation, `rate limited (HTTP 429 ${code ?? ''}): retry later with the same numbers`);
  if (status >= 500) throw unavailable(operation, `HTTP ${status} ${code ?? ''} (${clip(message)}); retry with the same numbers`);
  throw unavailable(operation, `HTTP ${status} ${code ?? '(no code)'} is not an answer this connector knows for ${operation} (${clip(message)}); outcome treated as unknown`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function transportFailure(operation: string, error: unknown): ChannelUnavailableError {
  const failure = error as { name?: string; code?: string; message?: string; response?: { status?: number; data?: unknown } };
  const status = failure.response?.status;
  // An unsigned 401 fails verification before we see it: it is still the channel refusing our signature.
  if (status === 401) {
    const data = isRecord(failure.response?.data) ? failure.response.data : {};
    return new WechatpayRequestRefusedError(operation, 401, typeof data.code === 'string' ? data.code : undefined, clip(String(failure.message ?? '')));
  }
  const what = failure.code ? `${failure.code}` : (failure.name ?? 'Error');
  return unavailable(operation, `${what}${status !== undefined ? ` (HTTP ${status})` : ''}: ${clip(String(failure.message ?? error))}`);
}

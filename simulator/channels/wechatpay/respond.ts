// Writes WeChat Pay answers: every answer, 2xx or business error, signed over its exact body in the
// Wechatpay-* headers (a 204 over the empty body), with the real answer's other headers
// (docs/wechatpay-protocol.md §3.1). The one place where WeChat Pay answers are built.
import type { Random } from '../../../lib/random.ts';
import { forgeryKeyPair, privateKeyObject } from '../../engine/keys.ts';
import type { WireAnswer } from '../../faults/transport.ts';
import type { SigningKey } from './app-data.ts';
import type { WechatpayError } from './errors.ts';
import { answerNonce, requestId } from './ids.ts';
import { authorizationScheme, responseSignContent, signAsync, signTestPrefix } from './sign.ts';
import { sortedJson } from './wire.ts';

export interface AnswerContext {
  /** The key that signs; undefined: the answer goes out unsigned. */
  readonly key: SigningKey | undefined;
  /** Real time in ms: clients compare Wechatpay-Timestamp with their own clock (±300 s). */
  readonly wallMs: number;
  readonly random: Random;
}

const commonHeaders = {
  'content-language': 'zh-CN',
  'cache-control': 'no-cache, must-revalidate',
  'x-content-type-options': 'nosniff',
  server: 'nginx',
};

export async function signedAnswer(status: number, body: string, context: AnswerContext): Promise<WireAnswer> {
  const headers: Record<string, string> = { ...commonHeaders, 'request-id': requestId(context.random) };
  if (body !== '') headers['content-type'] = 'application/json; charset=utf-8';
  if (context.key) {
    const timestamp = String(Math.floor(context.wallMs / 1000));
    const nonce = answerNonce(context.random);
    headers['wechatpay-nonce'] = nonce;
    headers['wechatpay-signature'] = await signAsync(responseSignContent(timestamp, nonce, body), context.key.privateKey);
    headers['wechatpay-timestamp'] = timestamp;
    headers['wechatpay-serial'] = context.key.serial;
    headers['wechatpay-signature-type'] = authorizationScheme;
  }
  return { status, headers, body };
}

export function okAnswer(fields: Readonly<Record<string, unknown>>, context: AnswerContext, status = 200): Promise<WireAnswer> {
  return signedAnswer(status, sortedJson(fields), context);
}

export function noContentAnswer(context: AnswerContext): Promise<WireAnswer> {
  return signedAnswer(204, '', context);
}

export function errorAnswer(error: WechatpayError, context: AnswerContext): Promise<WireAnswer> {
  return signedAnswer(error.status, sortedJson({ code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) }), context);
}

/**
 * The same answer with a signature that does not verify: one by a key the merchant does not trust, or
 * (`probe`) WeChat's own probe `WECHATPAY/SIGNTEST/…`, which merchants must also reject (§3.1).
 */
export async function spoilSignature(answer: WireAnswer, random: Random, probe: boolean): Promise<WireAnswer> {
  const timestamp = answer.headers['wechatpay-timestamp'];
  const nonce = answer.headers['wechatpay-nonce'];
  if (timestamp === undefined || nonce === undefined) return answer;
  const signature = probe
    ? `${signTestPrefix}${Buffer.from(random.hex(64), 'hex').toString('base64')}`
    : await signAsync(responseSignContent(timestamp, nonce, answer.body), privateKeyObject(forgeryKeyPair().privateKeyPem));
  return { ...answer, headers: { ...answer.headers, 'wechatpay-signature': signature } };
}

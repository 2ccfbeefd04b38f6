// Writes Alipay responses to the wire: signed v2 envelopes, signed v3 bodies, v3 error bodies. The one
// place where Alipay answers leave the simulator, so every answer is signed the same way.
import type { Response } from 'express';
import type { Random } from '../../../lib/random.ts';
import { privateKeyObject } from '../../engine/keys.ts';
import type { App } from '../../engine/types.ts';
import type { AlipayConfig } from './config.ts';
import { errorFields, v3Status, type AlipayError } from './errors.ts';
import type { MethodResult } from './method.ts';
import { signAsync, v3ResponseSignContent, type SignType } from './sign.ts';
import { envelope, responseKey } from './wire.ts';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The inner JSON object of a v2 answer. */
export function v2Inner(result: MethodResult): Record<string, unknown> {
  if (result.ok) return { ...(result.status ?? { code: '10000', msg: 'Success' }), ...result.fields };
  return { ...errorFields(result.error), ...result.fields };
}

/**
 * `{"<method>_response":{…},"sign":"…"}` signed with the app's channel key; `error_response` when there
 * is no well-formed method. Signed with the request's sign type (RSA → SHA-1, RSA2 → SHA-256), since the
 * SDK verifies with the one it is configured for; RSA2 while the request's is not known.
 */
export async function v2Response(method: string | undefined, inner: Record<string, unknown>, app: App, traceId: string, signType: SignType = 'RSA2'): Promise<WireResponse> {
  const innerText = JSON.stringify(inner);
  const signature = await signAsync(innerText, privateKeyObject(app.channelPrivateKeyPem), signType);
  return {
    status: 200,
    headers: { 'content-type': 'application/json;charset=utf-8', trace_id: traceId },
    body: envelope(responseKey(method), innerText, signature),
  };
}

/** A signed 2xx v3 answer. */
export async function v3Response(fields: Record<string, unknown>, app: App, random: Random, nowMs: number, traceId: string): Promise<WireResponse> {
  const body = JSON.stringify(fields);
  const timestamp = String(nowMs);
  const nonce = random.uuid();
  const signature = await signAsync(v3ResponseSignContent(timestamp, nonce, body), privateKeyObject(app.channelPrivateKeyPem));
  return {
    status: 200,
    headers: {
      'content-type': 'application/json;charset=utf-8',
      'alipay-timestamp': timestamp,
      'alipay-nonce': nonce,
      'alipay-signature': signature,
      'alipay-trace-id': traceId,
    },
    body,
  };
}

/** A v3 error: 4xx JSON `{code, message, links}`, unsigned as at Alipay. */
export function v3Error(error: AlipayError, config: AlipayConfig, traceId: string): WireResponse {
  const code = config.v3ErrorCodeStyle === 'bare' ? error.subCode.replace(/^ACQ\./, '') : error.subCode;
  return {
    status: v3Status(error, config.v3BusinessErrorStatus),
    headers: { 'content-type': 'application/json;charset=utf-8', 'alipay-trace-id': traceId },
    body: JSON.stringify({ code, message: error.subMsg, links: [{ link: 'https://opendocs.alipay.com/common/02km9f', desc: '解决方案' }] }),
  };
}

export function send(res: Response, response: WireResponse): void {
  res.status(response.status).set(response.headers).send(response.body);
}

// Admits a merchant's request (docs/wechatpay-protocol.md §2): the Authorization items in any order, the
// merchant known, the certificate serial compared after stripping a leading 00 (any serial for a merchant
// registered with a bare public key), the timestamp within ±300 s of the wall clock (clients sign with
// theirs), and the signature over the raw request target and the raw body bytes.
import type { Request } from 'express';
import type { Engine } from '../../engine/engine.ts';
import { publicKeyObject } from '../../engine/keys.ts';
import type { App } from '../../engine/types.ts';
import { wechatpayData } from './app-data.ts';
import type { WechatpayConfig } from './config.ts';
import { wechatpayErrors, type WechatpayError } from './errors.ts';
import { normalizeSerial, parseAuthorization, requestSignContent, verify } from './sign.ts';

export type Admission = { readonly ok: true; readonly app: App } | { readonly ok: false; readonly error: WechatpayError; readonly app?: App };

/** How much of the verified string a SIGN_ERROR shows, as the real detail does. */
const truncatedSignMessageLength = 64;

export function admit(engine: Engine, config: WechatpayConfig, req: Request, rawBody: string, wallMs: number): Admission {
  const parsed = parseAuthorization(req.header('authorization'));
  if (!parsed.ok) return { ok: false, error: wechatpayErrors.signError(parsed.issue) };
  const { items } = parsed;
  const app = engine.apps.get('wechatpay', items.mchid);
  if (!app) return { ok: false, error: wechatpayErrors.mchNotExists(items.mchid) };
  const merchantSerial = wechatpayData(app).merchantSerial;
  if (merchantSerial !== undefined && normalizeSerial(items.serial_no) !== merchantSerial) {
    const error = config.serialMismatch === 'system_error' ? wechatpayErrors.systemError() : wechatpayErrors.signError(`serial_no ${items.serial_no} is not the merchant certificate's serial`);
    return { ok: false, error, app };
  }
  const timestampSeconds = /^\d{1,12}$/.test(items.timestamp) ? Number(items.timestamp) : Number.NaN;
  if (!(Math.abs(wallMs / 1000 - timestampSeconds) <= config.timestampSkewSecondsMax)) {
    return { ok: false, error: wechatpayErrors.signError(`timestamp ${items.timestamp} is more than ${config.timestampSkewSecondsMax} s from now`), app };
  }
  const content = requestSignContent({ method: req.method, target: req.originalUrl, timestamp: items.timestamp, nonce: items.nonce_str, body: rawBody });
  if (!verify(content, items.signature, publicKeyObject(app.merchantPublicKeyPem))) {
    const signInformation = {
      method: req.method,
      sign_message_length: Buffer.byteLength(content),
      truncated_sign_message: content.slice(0, truncatedSignMessageLength),
      url: req.originalUrl,
    };
    return { ok: false, error: wechatpayErrors.signError('sign not match', signInformation), app };
  }
  return { ok: true, app };
}

// WeChat Pay's notifications (docs/wechatpay-protocol.md §3, §5, §8): a JSON POST signed like an answer
// (Wechatpay-Timestamp, -Nonce, -Serial, -Signature over `timestamp\nnonce\nbody\n`) whose `resource` is
// AEAD_AES_256_GCM-encrypted with the APIv3 key. Checked in this order: headers present, a key we trust
// for the serial, not a signature probe, the timestamp within the skew of real time, the
// signature over the raw body, then decryption (which authenticates the resource), then the fields.
// Anything that fails is `invalid` (never thrown): it changes nothing, and the services may query the
// payment it names. Only verified, decrypted fields are trusted.
import type { KeyObject } from 'node:crypto';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { publicKeyObject } from '../../../lib/key-objects.ts';
import type { ChannelNotification, IncomingNotification } from '../channel.ts';
import type { ResolvedOptions } from './options.ts';
import { isRecord } from './sdk.ts';
import { amountField, instantField, textField } from './wire.ts';

/** A real notification is a few kB; a much larger body is not one, and is not worth verifying. */
const bodyLengthMax = 64 * 1024;

/** WeChat deliberately sends wrongly signed probes, whose signature starts so; they must fail (§3.1). */
const probePrefix = 'WECHATPAY/SIGNTEST/';

type Invalid = Extract<ChannelNotification, { kind: 'invalid' }>;

function invalid(reason: string, paymentNo?: string): Invalid {
  return paymentNo ? { kind: 'invalid', reason, paymentNo } : { kind: 'invalid', reason };
}

export interface NotificationVerifier {
  verify(incoming: IncomingNotification): ChannelNotification;
}

export function createNotificationVerifier(options: ResolvedOptions): NotificationVerifier {
  // Parsed once: a KeyObject per serial (certificates reduce to their public key).
  const keys = new Map<string, KeyObject>(Object.entries(options.platformKeys).map(([serial, pem]) => [serial, publicKeyObject(pem)]));
  return { verify: (incoming) => verifyNotification(options, keys, incoming) };
}

function verifyNotification(options: ResolvedOptions, keys: ReadonlyMap<string, KeyObject>, incoming: IncomingNotification): ChannelNotification {
  const body = incoming.rawBody;
  if (typeof body !== 'string' || body.length === 0) return invalid('empty body');
  if (body.length > bodyLengthMax) return invalid(`body longer than ${bodyLengthMax} characters`);
  const headers = incoming.headers;
  const timestamp = headers['wechatpay-timestamp'];
  const nonce = headers['wechatpay-nonce'];
  const serial = headers['wechatpay-serial'];
  const signature = headers['wechatpay-signature'];
  if (!timestamp || !nonce || !serial || !signature) return invalid('Wechatpay-Timestamp, -Nonce, -Serial and -Signature headers are all required');
  const signatureType = headers['wechatpay-signature-type'];
  if (signatureType !== undefined && signatureType !== 'WECHATPAY2-SHA256-RSA2048') return invalid(`Wechatpay-Signature-Type ${signatureType.slice(0, 40)} is not WECHATPAY2-SHA256-RSA2048`);
  const key = keys.get(serial);
  if (!key) return invalid(`Wechatpay-Serial ${serial.slice(0, 64)} is not a key this merchant trusts (${[...keys.keys()].join(', ')})`);
  if (signature.startsWith(probePrefix)) return invalid('a signature probe (WECHATPAY/SIGNTEST/): answered as a verification failure, as WeChat expects');
  if (!/^\d{1,12}$/.test(timestamp)) return invalid(`Wechatpay-Timestamp ${timestamp.slice(0, 20)} is not Unix seconds`);
  // Against real time, not incoming.receivedAtMs: WeChat signs with its servers' real clock (options.ts wallClock).
  const skewMs = Math.abs(options.wallClock() - Number(timestamp) * 1000);
  if (skewMs > options.notifyTimestampSkewMsMax) return invalid(`Wechatpay-Timestamp is ${Math.round(skewMs / 1000)} s from the time it was received (at most ${options.notifyTimestampSkewMsMax / 1000} s): stale or replayed`);
  if (!verifies(Formatter.response(timestamp, nonce, body), signature, key)) return invalid(`signature does not verify with the key of ${serial}`, claimedPaymentNo(options, body));
  return readVerified(options, body);
}

/**
 * The payment an unverified notification names, as a hint of which payment to query, never as a fact.
 * It is inside the ciphertext: only a resource that decrypts with our APIv3 key gives one.
 */
function claimedPaymentNo(options: ResolvedOptions, body: string): string | undefined {
  const opened = openResource(options, body);
  return opened.ok ? textField(opened.plain.out_trade_no) : undefined;
}

function verifies(message: string, signature: string, key: KeyObject): boolean {
  try {
    return Rsa.verify(message, signature, key);
  } catch {
    return false;
  }
}

type Opened =
  | { readonly ok: true; readonly notificationId: string; readonly eventType: string; readonly plain: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** The envelope read and its resource decrypted; the AEAD tag authenticates the resource. */
function openResource(options: ResolvedOptions, body: string): Opened {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  if (!isRecord(envelope)) return { ok: false, reason: 'the body is not a JSON object' };
  const notificationId = textField(envelope.id);
  const eventType = textField(envelope.event_type);
  const resource = envelope.resource;
  if (!notificationId) return { ok: false, reason: 'no id' };
  if (!eventType) return { ok: false, reason: 'no event_type' };
  if (!isRecord(resource)) return { ok: false, reason: 'no resource' };
  if (resource.algorithm !== 'AEAD_AES_256_GCM') return { ok: false, reason: `resource.algorithm ${JSON.stringify(resource.algorithm)} is not AEAD_AES_256_GCM` };
  const ciphertext = textField(resource.ciphertext);
  const nonce = textField(resource.nonce);
  const associatedData = typeof resource.associated_data === 'string' ? resource.associated_data : '';
  if (!ciphertext || !nonce) return { ok: false, reason: 'resource without ciphertext or nonce' };
  let plain: unknown;
  try {
    // Throws when the tag does not authenticate: a wrong key, a changed ciphertext, nonce or associated data.
    plain = JSON.parse(Aes.AesGcm.decrypt(ciphertext, options.apiV3Key, nonce, associatedData));
  } catch (error) {
    return { ok: false, reason: `resource does not decrypt with the APIv3 key (${error instanceof Error ? error.message.slice(0, 80) : 'error'})` };
  }
  if (!isRecord(plain)) return { ok: false, reason: 'the decrypted resource is not a JSON object' };
  return { ok: true, notificationId, eventType, plain };
}

function readVerified(options: ResolvedOptions, body: string): ChannelNotification {
  const opened = openResource(options, body);
  if (!opened.ok) return invalid(opened.reason);
  const { notificationId, eventType, plain } = opened;
  switch (eventType) {
    case 'TRANSACTION.SUCCESS':
      return paymentOf(plain, notificationId);
    case 'REFUND.SUCCESS':
    case 'REFUND.ABNORMAL':
    case 'REFUND.CLOSED':
      return refundOf(options, plain, notificationId);
    default:
      return invalid(`event_type ${eventType.slice(0, 40)} is not one this core subscribes to`, textField(plain.out_trade_no));
  }
}

function paymentOf(plain: Record<string, unknown>, notificationId: string): ChannelNotification {
  const paymentNo = textField(plain.out_trade_no);
  if (!paymentNo) return invalid('no out_trade_no');
  const appId = textField(plain.appid);
  const mchid = textField(plain.mchid);
  const channelTradeNo = textField(plain.transaction_id);
  const amountFen = amountField(plain, 'total');
  if (!appId || !mchid) return invalid('no appid or mchid', paymentNo);
  if (!channelTradeNo) return invalid('no transaction_id', paymentNo);
  if (amountFen === undefined) return invalid(`amount.total ${JSON.stringify(plain.amount)} is not an amount in fen`, paymentNo);
  const identity = { paymentNo, appId, sellerId: mchid, notificationId, channelTradeNo, amountFen };
  if (plain.trade_state !== 'SUCCESS') {
    // WeChat notifies successes only ("只有支付成功才会通知"): anything else is not believed.
    return { kind: 'payment', ...identity, status: { kind: 'unrecognized', raw: String(plain.trade_state ?? '') } };
  }
  const paidAtMs = instantField(plain.success_time);
  const buyerId = isRecord(plain.payer) ? textField(plain.payer.openid) : undefined;
  return { kind: 'payment', ...identity, status: { kind: 'paid', channelTradeNo, amountFen, ...(paidAtMs !== undefined ? { paidAtMs } : {}), ...(buyerId ? { buyerId } : {}) } };
}

function refundOf(options: ResolvedOptions, plain: Record<string, unknown>, notificationId: string): ChannelNotification {
  const paymentNo = textField(plain.out_trade_no);
  if (!paymentNo) return invalid('no out_trade_no');
  const refundNo = textField(plain.out_refund_no);
  const mchid = textField(plain.mchid);
  const refundedFen = amountField(plain, 'refund');
  if (!refundNo) return invalid('no out_refund_no', paymentNo);
  if (!mchid) return invalid('no mchid', paymentNo);
  if (refundedFen === undefined) return invalid(`amount.refund ${JSON.stringify(plain.amount)} is not an amount in fen`, paymentNo);
  // A refund notification names the merchant only; the app is the one whose APIv3 key decrypted it.
  return { kind: 'refund', paymentNo, refundNo, appId: options.appid, sellerId: mchid, refundedTotalFen: refundedFen, notificationId };
}

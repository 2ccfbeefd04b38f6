// Building blocks of the WeChat Pay notification (message) contract and the core that consumes it.
//
// A WeChat Pay notification is a JSON POST whose `resource` is AEAD-encrypted with the APIv3 key and
// whose headers sign timestamp, nonce and body (docs/wechatpay-protocol.md §5, §8). What the core relies
// on is inside the ciphertext, which a pact could only match as base64. So a message is the notification
// with its resource opened: `event` (the envelope without the ciphertext), `resource` (the decrypted
// object, matched field by field) and, in the metadata, the signing headers and whom the signature is
// by. The consumer puts the wire form back together with the contract's own codec (wechatpay-wire.ts:
// encrypt with the APIv3 key, sign with WeChat Pay's key or, for a forgery, another one) and POSTs it to
// the core's real notify handler; the provider opens what the simulator really sent, with its app's
// APIv3 key, and says whether its signature verifies with WeChat Pay's key.
import { MatchersV3, PactV4, type Matcher } from '@pact-foundation/pact';
import { createWechatpayChannel } from '../../../core/connectors/wechatpay/index.ts';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { consumerName, pactDirectory, pactLogLevel, wechatpayContract, wechatpayNotifyProviderName } from '../../support/participants.ts';
import { aeadEncrypt, responseSignContent, sha256RsaSign, wechatPatterns } from '../../support/wechatpay-wire.ts';
import { startCoreWithConnector, type CoreOnConnector } from '../support/core-under-test.ts';
import { exampleTimeMs, exampleTimestamp } from './support.ts';

const { regex, reify } = MatchersV3;

export function wechatNotifyPact(): PactV4 {
  return new PactV4({ consumer: consumerName, provider: wechatpayNotifyProviderName, dir: pactDirectory, logLevel: pactLogLevel });
}

/** Who signed the notification, as the provider finds it: WeChat Pay's key, or a key that is not. */
export type SignedBy = 'wechatpay' | 'another key';

export function notifyMetadata(signedBy: SignedBy): Record<string, string | Matcher<string>> {
  return {
    contentType: 'application/json',
    'Wechatpay-Serial': regex(wechatPatterns.serial, wechatpayContract.platformKeyId),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    signedBy,
  };
}

const exampleResourceNonce = 'fdasflkja484';
const exampleHeaderNonce = 'fdasfjihihihlkja484w';

/** The envelope of a notification, its ciphertext left out (§8.1). */
export function eventOf(kind: 'transaction' | 'refund', eventType: string, summary: string): Record<string, unknown> {
  return {
    id: regex('^[0-9A-Za-z-]{8,36}$', 'EV-2018022511223320873'),
    create_time: regex(wechatPatterns.rfc3339, '2026-01-01T09:30:01+08:00'),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: regex(wechatPatterns.text, summary),
    resource: {
      original_type: kind,
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: kind,
      nonce: regex('^[0-9A-Za-z_-]{12}$', exampleResourceNonce),
    },
  };
}

/** The decrypted transaction the core reads (§8.1), for one of its payments. */
export function transactionOf(paymentNo: string, totalFen: number): Record<string, unknown> {
  return {
    appid: wechatpayContract.appid,
    mchid: wechatpayContract.mchid,
    out_trade_no: regex(wechatPatterns.merchantNo, paymentNo),
    transaction_id: regex(wechatPatterns.transactionId, '4200002050202601019075905809'),
    trade_state: 'SUCCESS',
    success_time: regex(wechatPatterns.rfc3339, '2026-01-01T09:30:00+08:00'),
    payer: { openid: regex(wechatPatterns.openid, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o') },
    amount: { total: totalFen, payer_total: totalFen, currency: 'CNY', payer_currency: 'CNY' },
  };
}

/** The decrypted refund the core reads: `refund_status`, not `status` (§8.1). */
export function refundOf(paymentNo: string, refundNo: string, totalFen: number, refundFen: number): Record<string, unknown> {
  return {
    mchid: wechatpayContract.mchid,
    out_trade_no: regex(wechatPatterns.merchantNo, paymentNo),
    transaction_id: regex(wechatPatterns.transactionId, '4200002050202601019075905809'),
    out_refund_no: regex(wechatPatterns.merchantNo, refundNo),
    refund_id: regex(wechatPatterns.refundId, '50303400132026010135461150169'),
    refund_status: 'SUCCESS',
    success_time: regex(wechatPatterns.rfc3339, '2026-01-01T10:15:00+08:00'),
    amount: { total: totalFen, refund: refundFen, payer_total: totalFen, payer_refund: refundFen },
  };
}

export interface OpenedNotification {
  readonly event: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

/** The wire form of a message: the resource encrypted with the APIv3 key, the body signed (§3, §5). */
export function wireForm(opened: OpenedNotification, metadata: Record<string, unknown>): { headers: Record<string, string>; body: string } {
  const envelope = opened.event as { resource: { nonce: string; associated_data: string } };
  const ciphertext = aeadEncrypt(JSON.stringify(opened.resource), wechatpayContract.apiV3Key, envelope.resource.nonce, envelope.resource.associated_data);
  const body = JSON.stringify({ ...opened.event, resource: { ...envelope.resource, ciphertext } });
  const key = metadata.signedBy === 'wechatpay' ? fixtureKeys.channel.privateKeyPem : fixtureKeys.rogue.privateKeyPem;
  return {
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': exampleTimestamp,
      'wechatpay-nonce': exampleHeaderNonce,
      'wechatpay-serial': String(metadata['Wechatpay-Serial']),
      'wechatpay-signature': sha256RsaSign(responseSignContent(exampleTimestamp, exampleHeaderNonce, body), key),
      'wechatpay-signature-type': String(metadata['Wechatpay-Signature-Type']),
    },
    body,
  };
}

/** A message's content (the reified content may arrive as JSON text). */
export function openedOf(content: unknown): OpenedNotification {
  const value = (typeof content === 'string' ? JSON.parse(content) : content) as Partial<OpenedNotification>;
  if (!value || typeof value.event !== 'object' || typeof value.resource !== 'object') throw new Error(`a WeChat Pay message is {event, resource}, got ${JSON.stringify(content).slice(0, 200)}`);
  return value as OpenedNotification;
}

export function exampleOfOpened(template: { event: Record<string, unknown>; resource: Record<string, unknown> }): OpenedNotification {
  return reify(template) as unknown as OpenedNotification;
}

export interface WechatCoreUnderTest extends CoreOnConnector {
  deliver(wire: { headers: Record<string, string>; body: string }): Promise<{ status: number; text: string }>;
}

/**
 * The real core (createCore, in memory, virtual clock, seeded) with its real WeChat Pay connector, whose
 * notification checks run as in production (real time pinned to the examples' time); only the calls it
 * would make to the channel answer from `answers`, as the channel would (they have their own pact).
 */
export async function startWechatCoreUnderTest(): Promise<WechatCoreUnderTest> {
  const connector = createWechatpayChannel({
    mchid: wechatpayContract.mchid,
    appid: wechatpayContract.appid,
    merchantSerialNo: wechatpayContract.merchantSerialNo,
    privateKeyPem: fixtureKeys.merchant.privateKeyPem,
    platformKeys: { [wechatpayContract.platformKeyId]: fixtureKeys.channel.publicKeyPem },
    apiV3Key: wechatpayContract.apiV3Key,
    // Never called: every method that would call the API answers from `answers`.
    baseUrl: 'http://127.0.0.1:9',
    wallClock: () => exampleTimeMs,
  });
  const base = await startCoreWithConnector({ channel: 'wechatpay', connector, qrCode: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz', payMethod: 'wechatpay.native', outOrderPrefix: 'BIZ-WX-PACT', seed: 11 });
  return { ...base, deliver: (wire) => base.notify(wire.headers, wire.body) };
}

// The WeChat Pay connector's notification checks (docs/wechatpay-protocol.md §3, §5, §8), on notifications
// built with the contract harness's own codec (contracts/support/wechatpay-wire.ts, written from the
// protocol notes, shared with neither side): headers, a trusted serial, no signature probe, a fresh
// timestamp, the signature over the raw body, then AEAD decryption with the APIv3 key.
import { expect, it } from 'vitest';
import { createWechatpayChannel } from '../../../core/connectors/wechatpay/index.ts';
import { aeadEncrypt, responseSignContent, sha256RsaSign } from '../../../contracts/support/wechatpay-wire.ts';
import { fixtureKeys } from '../../support/keys.ts';

const nowMs = Date.parse('2026-01-01T09:30:05+08:00');
const keyId = 'PUB_KEY_ID_0119000000012026010100000000000001';
const apiV3Key = 'paysimContractApiV3Key0123456789';
const channel = createWechatpayChannel({
  mchid: '1900000001',
  appid: 'wx8888888888888888',
  merchantSerialNo: '3775B6A45ACD588826D15E583A95F5DD2C1D6A6B',
  privateKeyPem: fixtureKeys.merchant.privateKeyPem,
  platformKeys: { [keyId]: fixtureKeys.channel.publicKeyPem },
  apiV3Key,
  baseUrl: 'http://127.0.0.1:9',
  wallClock: () => nowMs,
});

const transaction = {
  amount: { currency: 'CNY', payer_currency: 'CNY', payer_total: 8880, total: 8880 },
  appid: 'wx8888888888888888',
  mchid: '1900000001',
  out_trade_no: 'P20260101000001',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  success_time: '2026-01-01T09:30:00+08:00',
  trade_state: 'SUCCESS',
  transaction_id: '4200002050202601019075905809',
};

interface Build {
  readonly plain?: Record<string, unknown>;
  readonly eventType?: string;
  readonly kind?: 'transaction' | 'refund';
  readonly encryptWith?: string;
  readonly signWith?: string;
  readonly serial?: string;
  readonly timestampMs?: number;
  readonly signature?: string;
}

function notification(build: Build = {}) {
  const kind = build.kind ?? 'transaction';
  const nonce = 'fdasflkja484';
  const ciphertext = aeadEncrypt(JSON.stringify(build.plain ?? transaction), build.encryptWith ?? apiV3Key, nonce, kind);
  const rawBody = JSON.stringify({
    id: '7b2b145f-9cda-5573-8be2-d2d9eaaffa25',
    create_time: '2026-01-01T09:30:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: build.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: kind, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: kind, nonce },
  });
  const timestamp = String(Math.floor((build.timestampMs ?? nowMs) / 1000));
  const headerNonce = '2dbad5dcaa6a84099a1944e26fce1e24';
  const signature = build.signature ?? sha256RsaSign(responseSignContent(timestamp, headerNonce, rawBody), build.signWith ?? fixtureKeys.channel.privateKeyPem);
  const headers = {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': headerNonce,
    'wechatpay-serial': build.serial ?? keyId,
    'wechatpay-signature': signature,
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
  return { headers, rawBody, receivedAtMs: 0 };
}

it('reads a verified TRANSACTION.SUCCESS as a paid payment with its app, merchant, transaction and amount', async () => {
  expect(await channel.verifyNotification(notification())).toEqual({
    kind: 'payment',
    paymentNo: 'P20260101000001',
    appId: 'wx8888888888888888',
    sellerId: '1900000001',
    notificationId: '7b2b145f-9cda-5573-8be2-d2d9eaaffa25',
    channelTradeNo: '4200002050202601019075905809',
    amountFen: 8880,
    status: { kind: 'paid', channelTradeNo: '4200002050202601019075905809', amountFen: 8880, paidAtMs: Date.parse('2026-01-01T09:30:00+08:00'), buyerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  });
});

it('reads a verified REFUND.SUCCESS as the refund it names (refund_status, not status)', async () => {
  const refund = { mchid: '1900000001', out_trade_no: 'P20260101000001', transaction_id: '4200002050202601019075905809', out_refund_no: 'R20260101000001', refund_id: '50303400132026010135461150169', refund_status: 'SUCCESS', success_time: '2026-01-01T10:15:00+08:00', amount: { total: 8880, refund: 2000, payer_total: 8880, payer_refund: 2000 } };
  expect(await channel.verifyNotification(notification({ plain: refund, eventType: 'REFUND.SUCCESS', kind: 'refund' }))).toMatchObject({ kind: 'refund', paymentNo: 'P20260101000001', refundNo: 'R20260101000001', sellerId: '1900000001' });
});

it('refuses a body edited after signing, and names the payment only as a hint to query', async () => {
  const genuine = notification();
  const edited = { ...genuine, rawBody: genuine.rawBody.replace('"summary":"支付成功"', '"summary":"paid"') };
  expect(await channel.verifyNotification(edited)).toEqual({ kind: 'invalid', reason: `signature does not verify with the key of ${keyId}`, paymentNo: 'P20260101000001' });
});

it.each([
  ['signed with a key that is not WeChat Pay’s', { signWith: fixtureKeys.rogue.privateKeyPem }, /signature does not verify/],
  ['under a serial the merchant does not trust', { serial: 'PUB_KEY_ID_0999' }, /is not a key this merchant trusts/],
  ['a WECHATPAY/SIGNTEST/ probe', { signature: 'WECHATPAY/SIGNTEST/Zm9vYmFy' }, /signature probe/],
  ['signed six minutes ago (a replay)', { timestampMs: nowMs - 6 * 60_000 }, /360 s from the time it was received.*stale or replayed/],
  ['whose resource does not decrypt with our APIv3 key, validly signed', { encryptWith: 'AnotherMerchantsApiV3Key01234567' }, /does not decrypt with the APIv3 key/],
  ['of an event this core does not subscribe to', { eventType: 'TRANSACTION.CLOSED' }, /not one this core subscribes to/],
] as const)('refuses a notification %s', async (_what, build, reason) => {
  const verdict = await channel.verifyNotification(notification(build));
  expect(verdict.kind).toBe('invalid');
  expect(verdict.kind === 'invalid' ? verdict.reason : '').toMatch(reason);
});

it('refuses a notification without its signing headers, an empty body or a body that is not JSON', async () => {
  const genuine = notification();
  const { 'wechatpay-signature': _dropped, ...headers } = genuine.headers;
  expect(await channel.verifyNotification({ ...genuine, headers })).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/headers are all required/) });
  expect(await channel.verifyNotification({ ...genuine, rawBody: '' })).toMatchObject({ kind: 'invalid', reason: 'empty body' });
  const text = 'not json';
  const signed = notification();
  const timestamp = signed.headers['wechatpay-timestamp'];
  const signature = sha256RsaSign(responseSignContent(timestamp, signed.headers['wechatpay-nonce'], text), fixtureKeys.channel.privateKeyPem);
  expect(await channel.verifyNotification({ ...signed, rawBody: text, headers: { ...signed.headers, 'wechatpay-signature': signature } })).toMatchObject({ kind: 'invalid', reason: 'the body is not JSON' });
});

it('answers WeChat Pay as it expects: 204 to acknowledge, a JSON {code, message} with 4xx/5xx otherwise', () => {
  expect(channel.notifyReply('acknowledged')).toMatchObject({ status: 204, body: '' });
  expect(channel.notifyReply('rejected').status).toBe(400);
  expect(JSON.parse(channel.notifyReply('rejected').body)).toMatchObject({ code: 'FAIL' });
  expect(channel.notifyReply('unconfirmed').status).toBe(500);
});

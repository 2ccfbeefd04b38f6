// WeChat Pay's identifiers in the shapes the real channel uses (docs/wechatpay-protocol.md §3.2, §6),
// drawn from the random source the engine hands over, so that the same seed gives the same ids.
import { createHash } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import { formatBeijingCompactDate, formatBeijingDateTime } from '../../../lib/time-format.ts';
import type { Random } from '../../../lib/random.ts';
import type { Buyer, Trade } from '../../engine/types.ts';

const alphanumerics = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const openIdAlphabet = `${alphanumerics}-_`;

function draw(random: Random, alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += alphabet[random.int(0, alphabet.length - 1)];
  return text;
}

/** 28 digits starting 42000…, the Beijing date in the middle, as real transaction ids look (§6.2). */
export function wechatpayTransactionId(random: Random, nowMs: number): string {
  return `420000${random.digits(4)}${formatBeijingCompactDate(nowMs)}${random.digits(10)}`;
}

/** 29 digits starting 503… (§6.4). */
export function wechatpayRefundId(random: Random, _trade: Trade, nowMs: number): string {
  return `503${random.digits(7)}${formatBeijingCompactDate(nowMs)}${random.digits(11)}`;
}

/** Notification ids are UUIDs in real traffic (§8.1). */
export function wechatpayNotificationId(random: Random): string {
  return random.uuid();
}

/** Merchant ids (mchid) are 10 digits; the simulator hands out 19… ones. */
export const wechatpayMchidPattern = /^1\d{9}$/;

export function wechatpayMchid(random: Random): string {
  return `19${random.digits(8)}`;
}

/** The APIv3 key: 32 ASCII characters, used as its 32 bytes (§5). */
export function wechatpayApiV3Key(random: Random): string {
  return draw(random, alphanumerics, 32);
}

/** A certificate serial: 40 upper-case hex digits. */
export function certificateSerial(random: Random): string {
  return random.hex(40).toUpperCase();
}

/** `PUB_KEY_ID_` and 28 digits (§3.2). */
export function publicKeyId(random: Random, mchid: string): string {
  return `PUB_KEY_ID_01${mchid.padStart(10, '0')}${random.digits(16)}`;
}

/** A buyer as WeChat shows them: an openid (28 characters starting with o). */
export function wechatpayBuyer(random: Random, faker: Faker): Buyer {
  const openid = `o${draw(random, openIdAlphabet, 27)}`;
  return { id: openid, logonId: openid, name: faker.person.fullName() };
}

/**
 * `wx` + Beijing ddHHmmss… + hex, 36 characters, as prepay ids look (§6.1). Derived from the trade, not
 * drawn, so that a re-submitted order gets the same prepay_id without storing one.
 */
export function prepayIdOf(trade: Trade): string {
  const stamp = formatBeijingDateTime(trade.createdAtMs).replace(/\D/g, '').slice(2);
  return `wx${stamp}${createHash('sha1').update(trade.key).digest('hex').slice(0, 18)}0000`.slice(0, 36);
}

/** A 32-lower-hex nonce, as on real answers (§3.1). */
export function answerNonce(random: Random): string {
  return random.hex(32);
}

/** A Request-ID header value in the real shape (§3.1). */
export function requestId(random: Random): string {
  return `08${random.hex(38).toUpperCase()}-${random.digits(9)}`;
}

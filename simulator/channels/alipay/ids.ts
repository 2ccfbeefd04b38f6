// Alipay's identifiers in the shapes the real channel uses (docs/alipay-protocol.md §5), drawn from the
// random source the engine hands over, so that the same seed gives the same ids.
import type { Faker } from '@faker-js/faker';
import { formatBeijingCompactDate } from '../../../lib/time-format.ts';
import type { Random } from '../../../lib/random.ts';
import type { Buyer, Trade } from '../../engine/types.ts';

/** 28 digits: yyyyMMdd + 22001 + 15 digits, as Alipay trade numbers look. */
export function alipayTradeNo(random: Random, nowMs: number): string {
  return `${formatBeijingCompactDate(nowMs)}22001${random.digits(15)}`;
}

/** 34 characters, as Alipay notify ids look. */
export function alipayNotifyId(random: Random, nowMs: number): string {
  return `${formatBeijingCompactDate(nowMs)}0022${random.digits(22)}`;
}

/** The refund's number: the trade's date prefix and 20 digits. */
export function alipayRefundNo(random: Random, trade: Trade): string {
  return `${trade.tradeNo.slice(0, 8)}${random.digits(20)}`;
}

/** Alipay app ids are 16 digits; the simulator hands out 2021… ones. */
export const alipayAppIdPattern = /^\d{16}$/;

export function alipayAppId(random: Random): string {
  return `2021${random.digits(12)}`;
}

/** A seller's PID: 2088 and 12 digits. */
export function alipaySellerId(random: Random): string {
  return `2088${random.digits(12)}`;
}

/** A buyer with a 2088… id and a masked logon id, as Alipay shows them to the merchant. */
export function alipayBuyer(random: Random, faker: Faker): Buyer {
  const user = faker.internet.username().replace(/[^a-zA-Z0-9]/g, '').toLowerCase() || 'buyer';
  const domain = random.pick(['163.com', '126.com', 'qq.com', 'sina.com', 'gmail.com']);
  const logonId = `${user.slice(0, 3)}***@${domain}`;
  return { id: `2088${random.digits(12)}`, logonId, name: faker.person.fullName() };
}

// Identifiers in the shapes the real channels use, drawn from the injected random source so that the
// same seed gives the same ids.
import type { Faker } from '@faker-js/faker';
import { formatBeijingCompactDate } from '../../lib/time-format.ts';
import type { Random } from '../../lib/random.ts';
import type { Buyer } from './types.ts';

/** 28 digits: yyyyMMdd + 22001 + 15 digits, as Alipay trade numbers look. */
export function alipayTradeNo(random: Random, nowMs: number): string {
  return `${formatBeijingCompactDate(nowMs)}22001${random.digits(15)}`;
}

/** 34 characters, as Alipay notify ids look. */
export function notifyId(random: Random, nowMs: number): string {
  return `${formatBeijingCompactDate(nowMs)}0022${random.digits(22)}`;
}

/** An unguessable token for cashier URLs and bill downloads. */
export function token(random: Random): string {
  return random.hex(32);
}

/** A buyer with a 2088… id and a masked logon id, as Alipay shows them to the merchant. */
export function newBuyer(random: Random, faker: Faker): Buyer {
  const user = faker.internet.username().replace(/[^a-zA-Z0-9]/g, '').toLowerCase() || 'buyer';
  const domain = random.pick(['163.com', '126.com', 'qq.com', 'sina.com', 'gmail.com']);
  const logonId = `${user.slice(0, 3)}***@${domain}`;
  return { id: `2088${random.digits(12)}`, logonId, name: faker.person.fullName() };
}

// Channel-neutral identifiers, drawn from the injected random source so that the same seed gives the
// same ids. A channel's own numbers (trade numbers, notification ids) come from its dialect.
import type { Faker } from '@faker-js/faker';
import type { Random } from '../../lib/random.ts';
import type { Buyer } from './types.ts';

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

// Alipay's identifiers in the shapes the real channel uses (docs/alipay-protocol.md §5), drawn from the
// random source the engine hands over, so that the same seed gives the same ids.
import { formatBeijingCompactDate } from '../../../lib/time-format.ts';
import type { Random } from '../../../lib/random.ts';

/** 28 digits: yyyyMMdd + 22001 + 15 digits, as Alipay trade numbers look. */
export function alipayTradeNo(random: Random, nowMs: number): string {
  return `${formatBeijingCompactDate(nowMs)}22001${random.digits(15)}`;
}

/** 34 characters, as Alipay notify ids look. */
export function alipayNotifyId(random: Random, nowMs: number): string {
  return `${formatBeijingCompactDate(nowMs)}0022${random.digits(22)}`;
}

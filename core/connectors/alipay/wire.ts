// Reading Alipay's wire values into the core's terms: yuan strings → fen, Beijing times → epoch ms.
// Each reader returns undefined for a missing or malformed value; the caller decides whether that
// makes the whole answer unusable.
import { parseYuan } from '../../../lib/money.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';

/** A non-empty string field, or undefined. */
export function textField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A yuan string ("88.80") as fen, or undefined when absent or malformed. */
export function fenField(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseYuan(value);
  return parsed.ok ? parsed.fen : undefined;
}

// gmt_refund and friends may carry milliseconds (`2024-01-01 12:00:00.123`) [M].
const millisecondSuffix = /^(.{19})\.(\d{1,3})$/;

/** A `yyyy-MM-dd HH:mm:ss[.SSS]` Beijing time as epoch ms, or undefined. */
export function instantField(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const withMilliseconds = millisecondSuffix.exec(value);
  if (withMilliseconds) {
    const seconds = parseBeijingDateTime(withMilliseconds[1]!);
    return seconds === undefined ? undefined : seconds + Number(withMilliseconds[2]!.padEnd(3, '0'));
  }
  return parseBeijingDateTime(value);
}

/**
 * Whether a closed trade had been paid: it has a payment time, or the buyer paid more than zero.
 * A trade closed unpaid shows neither (query answers buyer_pay_amount "0.00").
 */
export function closedAfterPayment(fields: { readonly [name: string]: unknown }, paymentTimeField: 'send_pay_date' | 'gmt_payment'): boolean {
  if (textField(fields[paymentTimeField]) !== undefined) return true;
  const buyerPaidFen = fenField(fields.buyer_pay_amount);
  return buyerPaidFen !== undefined && buyerPaidFen > 0;
}

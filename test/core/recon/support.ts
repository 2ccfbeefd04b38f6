// A day of business for reconciliation tests: the real simulator and the real core on one virtual
// clock; business during a Beijing day, then the clock moves into the next morning, when the bill exists.
import { expect } from 'vitest';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import type { Paysim } from '../integration/paysim.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Moves the clock to the next `hour`:00 Beijing time. */
export async function toNextBeijingHour(paysim: Paysim, hour: number): Promise<void> {
  const msOfDay = (paysim.clock.now() + 8 * hourMs) % dayMs;
  await paysim.advance(((hour * hourMs - msOfDay + dayMs - 1) % dayMs) + 1);
}

/** Starts a business day at 09:00 Beijing time and returns its date. */
export async function startDay(paysim: Paysim): Promise<string> {
  await toNextBeijingHour(paysim, 9);
  return formatBeijingDate(paysim.clock.now());
}

/** Ends the day: the clock moves to 09:30 the next morning, when the day's bill is ready. */
export async function endDay(paysim: Paysim, billDate: string): Promise<void> {
  await toNextBeijingHour(paysim, 9);
  await paysim.advance(30 * 60_000);
  expect(formatBeijingDate(paysim.clock.now() - dayMs)).toBe(billDate);
}

export async function paidOrder(paysim: Paysim, amount: string): Promise<{ orderNo: string; paymentNo: string }> {
  const numbers = await paysim.orderAndPay(amount);
  await paysim.buyerPays(numbers.paymentNo);
  await paysim.advance(0);
  expect((await paysim.order(numbers.orderNo)).status).toBe('PAID');
  return numbers;
}

/** A merchant refund, completed by the channel (3 s) and its notification. */
export async function refunded(paysim: Paysim, orderNo: string, amount: string, outRefundNo: string): Promise<string> {
  const created = await paysim.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo, amount, reason: 'returned' });
  expect(created.status).toBe(201);
  await paysim.advance(3_000);
  const done = await paysim.api('GET', `/api/refunds/${created.body.refundNo}`);
  expect(done.body.status).toBe('SUCCESS');
  return created.body.refundNo as string;
}

export function reconcile(paysim: Paysim, billDate: string, rerun?: boolean) {
  return paysim.api('POST', '/api/reconciliations', { channel: 'alipay', billDate, ...(rerun === undefined ? {} : { rerun }) });
}

export function ledgerEntries(paysim: Paysim) {
  return paysim.core.store.all<{ id: string; kind: string; paymentNo: string | null; refundNo: string | null; reason?: string }>('ledger');
}

export function checkResult(paysim: Paysim, name: string) {
  const result = paysim.core.runChecks().results.find((check) => check.name === name);
  if (!result) throw new Error(`no check ${name}`);
  return result;
}

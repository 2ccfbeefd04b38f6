// Step sequences many scenarios share, in the business's language, so a scenario file shows only what
// is its own: which orders are paid, and the move to the next morning's reconciliation.
import type { Step } from '../define.ts';

/** Each order created, paid with the channel's default method, and paid by its buyer. */
export function paidOrders(orders: Readonly<Record<string, string>>): Step[] {
  return Object.entries(orders).flatMap(([order, amount]): Step[] => [
    { step: 'createOrder', order, amount },
    { step: 'pay', order },
    { step: 'buyerPays', order },
  ]);
}

/** To 10:00 the next morning, when the core reconciles the day; then an hour for its retries. */
export const throughNextReconciliation: Step[] = [
  { step: 'advance', by: '25h' },
  { step: 'advance', by: '1h' },
];

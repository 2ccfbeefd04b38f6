// The core's records in the store: collection names, typed reads, and the mutations that write them.
// Indexes (outOrderNo → orderNo, payment → its refunds) are records too, written in the same commit
// as what they index, so they can never disagree with it after a crash.
import { put, type Mutation, type Store } from '../../lib/store/index.ts';
import type { JournalEntry, MerchantNotification, Order, Payment, Refund } from '../domain/index.ts';
import type { AlertKind } from './events.ts';

export const collections = {
  orders: 'orders',
  orderKeys: 'order-keys',
  payments: 'payments',
  refunds: 'refunds',
  paymentRefunds: 'payment-refunds',
  ledger: 'ledger',
  notifications: 'notifications',
  buyerPayments: 'buyer-payments',
  alerts: 'alerts',
  meta: 'meta',
} as const;

export interface BuyerPayment {
  readonly paymentNo: string;
  readonly buyerKey: string;
  readonly amountFen: number;
  readonly atMs: number;
}

export interface Alert {
  readonly id: string;
  readonly kind: AlertKind;
  readonly subject: string;
  readonly orderNo: string | null;
  readonly paymentNo: string | null;
  readonly refundNo: string | null;
  readonly detail: string;
  readonly count: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
}

/** Typed reads over the store; every read is synchronous, from memory. */
export class Records {
  constructor(readonly store: Store) {}

  order(orderNo: string): Order | undefined {
    return this.store.get<Order>(collections.orders, orderNo);
  }

  orderNoOf(outOrderNo: string): string | undefined {
    return this.store.get<string>(collections.orderKeys, outOrderNo);
  }

  payment(paymentNo: string): Payment | undefined {
    return this.store.get<Payment>(collections.payments, paymentNo);
  }

  paymentsOf(order: Order): Payment[] {
    return order.paymentNos.map((paymentNo) => this.payment(paymentNo)).filter((payment): payment is Payment => payment !== undefined);
  }

  refund(refundNo: string): Refund | undefined {
    return this.store.get<Refund>(collections.refunds, refundNo);
  }

  refundNosOf(paymentNo: string): readonly string[] {
    return this.store.get<readonly string[]>(collections.paymentRefunds, paymentNo) ?? [];
  }

  refundsOf(paymentNo: string): Refund[] {
    return this.refundNosOf(paymentNo).map((refundNo) => this.refund(refundNo)).filter((refund): refund is Refund => refund !== undefined);
  }

  notification(id: string): MerchantNotification | undefined {
    return this.store.get<MerchantNotification>(collections.notifications, id);
  }

  alertsOf(paymentNo: string): Alert[] {
    return this.store.all<Alert>(collections.alerts).filter((alert) => alert.paymentNo === paymentNo);
  }

  all<T>(collection: (typeof collections)[keyof typeof collections]): T[] {
    return this.store.all<T>(collection);
  }
}

export const writeOrder = (order: Order): Mutation => put(collections.orders, order.orderNo, order);
export const writeOrderKey = (order: Order): Mutation => put(collections.orderKeys, order.outOrderNo, order.orderNo);
export const writePayment = (payment: Payment): Mutation => put(collections.payments, payment.paymentNo, payment);
export const writeRefund = (refund: Refund): Mutation => put(collections.refunds, refund.refundNo, refund);
export const writeNotification = (notification: MerchantNotification): Mutation => put(collections.notifications, notification.id, notification);
export const writeBuyerPayment = (entry: BuyerPayment): Mutation => put(collections.buyerPayments, entry.paymentNo, entry);

/** Ledger entries keyed by their derived id: writing the same fact again writes the same record. */
export function writeLedger(entries: readonly JournalEntry[]): Mutation[] {
  return entries.map((entry) => put(collections.ledger, entry.id, entry));
}

/** Adds a refund to its payment's index (no-op mutation when already there). */
export function writeRefundIndex(records: Records, refund: Refund): Mutation {
  const current = records.refundNosOf(refund.paymentNo);
  return put(collections.paymentRefunds, refund.paymentNo, current.includes(refund.refundNo) ? current : [...current, refund.refundNo]);
}

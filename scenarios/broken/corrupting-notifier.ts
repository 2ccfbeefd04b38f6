// Deliberately broken cores, each one classic bookkeeping bug, swapped in through createCore's
// `components` seam. They exist to prove the safety net can fail: a scenario run on one of them must see
// the matching loss-prevention check fire and an invariant break. The bug rides on the business-system
// notifier: right after the core commits a fact (an order paid, a refund done) it commits one wrong
// write more, as a real bug in the same code path would. Mutants (paysim mutants) can reuse them.
import type { Mutation } from '../../lib/store/index.ts';
import { put } from '../../lib/store/index.ts';
import type { JournalEntry, Order, Payment, Refund } from '../../core/domain/index.ts';
import type { ComponentFactories } from '../../core/services/components.ts';
import { createMerchantNotifier, type NotificationEvent } from '../../core/services/merchant-notifier.ts';
import type { ServiceContext } from '../../core/services/context.ts';
import { collections } from '../../core/services/records.ts';

type Corruption = (context: ServiceContext, event: NotificationEvent) => Mutation[];

/** A notifier that, after each staged notification of `type` is committed, commits `corrupt`'s writes too. */
function corruptingNotifier(type: NotificationEvent['type'], corrupt: Corruption): ComponentFactories['notifications'] {
  return (context) => {
    const real = createMerchantNotifier(context);
    return {
      ...real,
      stage(event) {
        const staged = real.stage(event);
        if (event.type === type && staged.mutations.length > 0) {
          // On the clock at once: after the commit this notification joins, so the bug sees what was written.
          context.clock.schedule(context.clock.now(), async () => {
            const mutations = corrupt(context, event);
            if (mutations.length > 0) await context.commit(mutations);
          }, `broken core: after ${type}`);
        }
        return staged;
      },
    };
  };
}

const order = (context: ServiceContext, orderNo: string) => context.store.get<Order>(collections.orders, orderNo);
const paidPaymentNo = (context: ServiceContext, orderNo: string) => {
  const found = order(context, orderNo);
  return found?.status === 'PAID' ? (found.paidPaymentNo ?? undefined) : undefined;
};
const payment = (context: ServiceContext, paymentNo: string | undefined) => (paymentNo ? context.store.get<Payment>(collections.payments, paymentNo) : undefined);
const refund = (context: ServiceContext, refundNo: string | undefined) => (refundNo ? context.store.get<Refund>(collections.refunds, refundNo) : undefined);

export interface BrokenCore {
  readonly name: string;
  /** The bug, in words. */
  readonly breaks: string;
  readonly components: Partial<ComponentFactories>;
}

/** A broken core whose bug is `corrupt`, committed after each notification of `type`. */
function brokenCore(name: string, breaks: string, type: NotificationEvent['type'], corrupt: Corruption): BrokenCore {
  return { name, breaks, components: { notifications: corruptingNotifier(type, corrupt) } };
}

export const brokenCores = {
  /** Posts the payment's entry a second time (a retried write that is not idempotent). */
  booksPaymentTwice: brokenCore('books-payment-twice', 'books the payment entry twice', 'order.paid', (context, event) => {
    const paymentNo = event.paymentNo ?? paidPaymentNo(context, event.orderNo);
    const entry = paymentNo ? context.store.get<JournalEntry>(collections.ledger, `payment:${paymentNo}`) : undefined;
    return entry ? [put(collections.ledger, `${entry.id}#retry`, entry)] : [];
  }),
  /** Books a one-sided fee adjustment: money appears on one side only. */
  booksUnbalancedEntry: brokenCore('books-unbalanced-entry', 'books a one-sided fee adjustment', 'order.paid', (context, event) => {
    const entry: JournalEntry = { id: `fee-adjustment:${event.orderNo}`, kind: 'payment', atMs: context.clock.now(), orderNo: event.orderNo, paymentNo: null, refundNo: null, postings: [{ account: 'channel_fees', side: 'debit', amountFen: 1 }] };
    return [put(collections.ledger, entry.id, entry)];
  }),
  /** Marks the order paid with more than it costs (a fee or coupon added twice). */
  overstatesPaid: brokenCore('overstates-paid', 'records the order as paid 1.00 more than its amount', 'order.paid', (context, event) => {
    const found = order(context, event.orderNo);
    return found?.status === 'PAID' ? [put(collections.orders, found.orderNo, { ...found, paidFen: found.paidFen + 100 })] : [];
  }),
  /** Adds a refund to the order's refunded amount twice. */
  overstatesRefunded: brokenCore('overstates-refunded', "adds each refund to the order's refunded amount twice", 'refund.succeeded', (context, event) => {
    const found = order(context, event.orderNo);
    return found ? [put(collections.orders, found.orderNo, { ...found, refundedFen: found.refundedFen + event.amountFen })] : [];
  }),
  /** Rewrites the payment's recorded time after its refunds (a clock taken from the wrong place). */
  refundBeforePay: brokenCore('refund-before-pay', "rewrites the payment's recorded time to after its refund", 'refund.succeeded', (context, event) => {
    const found = payment(context, event.paymentNo);
    const done = refund(context, event.refundNo);
    return found?.status === 'SUCCEEDED' && done ? [put(collections.payments, found.paymentNo, { ...found, recordedAtMs: done.createdAtMs + 1 })] : [];
  }),
  /** Stores a refund a second time under another key (a retry that is not idempotent). */
  duplicatesRefund: brokenCore('duplicates-refund', 'stores the refund record a second time', 'refund.succeeded', (context, event) => {
    const done = refund(context, event.refundNo);
    return done ? [put(collections.refunds, `${done.refundNo}#retry`, done)] : [];
  }),
  /** Marks the automatic refund of a late success failed while it is not (the money would be kept). */
  keepsLateSuccess: brokenCore('keeps-late-success', 'marks the automatic refund of a success after close as failed', 'payment.refunded_after_close', (context, event) => {
    const done = refund(context, event.refundNo);
    return done ? [put(collections.refunds, done.refundNo, { ...done, status: 'FAILED', failedAtMs: context.clock.now(), failure: 'broken core' })] : [];
  }),
} as const satisfies Record<string, BrokenCore>;

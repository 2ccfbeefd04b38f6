// Closing unpaid orders, at expiry or when the business asks: every open payment is closed at the
// channel first and only then the order locally, so no buyer can pay what the core has closed. A close
// the channel did not confirm is retried; a success that still arrives later is refunded automatically.
import { ChannelUnavailableError } from '../connectors/channel.ts';
import { closeOrder, isPaymentOpen, markPaymentClosed, type Order, type Payment } from '../domain/index.ts';
import type { Components } from './components.ts';
import type { ServiceContext } from './context.ts';
import { collections, writeOrder, writePayment } from './records.ts';
import { SingleFlight } from './scheduler.ts';

export type CloseOutcome =
  | { readonly outcome: 'closed' | 'alreadyClosed' | 'paid' | 'pending'; readonly order: Order }
  | { readonly outcome: 'notFound' };

export interface OrderCloser {
  close(orderNo: string, reason: 'expired' | 'merchant'): Promise<CloseOutcome>;
  /** Closes one payment at the channel, then locally; a payment found paid is credited instead. */
  closePayment(paymentNo: string): Promise<Payment | undefined>;
  armExpiry(order: Order): void;
  resume(): void;
}

const closeKey = (orderNo: string) => `close:${orderNo}`;

export function createOrderCloser(context: ServiceContext, components: Components): OrderCloser {
  const { records, clock, events, config } = context;
  const flights = new SingleFlight<CloseOutcome>();

  async function closePaymentAtChannel(paymentNo: string): Promise<Payment | undefined> {
    const payment = records.payment(paymentNo);
    if (!payment || !isPaymentOpen(payment)) return payment;
    const channel = context.channels.get(payment.channel);
    if (!channel) return payment;
    let result;
    try {
      result = await channel.closePayment(paymentNo);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return records.payment(paymentNo);
      throw error;
    }
    switch (result.kind) {
      case 'closed':
      case 'notFound': {
        // notFound: the buyer never opened it, and it expires at the channel before the order does.
        const current = records.payment(paymentNo);
        if (!current) return undefined;
        const change = markPaymentClosed(current, clock.now());
        if (!change.ok) return current;
        await context.commit([writePayment(change.payment)]);
        context.scheduler.disarm(`query:${paymentNo}`);
        events.emit({ type: 'payment.changed', atMs: clock.now(), paymentNo, status: 'CLOSED' });
        return change.payment;
      }
      case 'alreadyPaid':
      case 'rejected':
        // The channel's refusal is not an answer about the trade: ask it what the trade is.
        return (await components.payments.confirm(paymentNo)).payment;
    }
  }

  async function runClose(orderNo: string, reason: 'expired' | 'merchant'): Promise<CloseOutcome> {
    const before = records.order(orderNo);
    if (!before) return { outcome: 'notFound' };
    if (before.status === 'PAID') return { outcome: 'paid', order: before };
    if (before.status === 'CLOSED') return { outcome: 'alreadyClosed', order: before };
    await Promise.all(records.paymentsOf(before).filter(isPaymentOpen).map((payment) => closePaymentAtChannel(payment.paymentNo)));

    // One synchronous block from here to the commit: payments and order are read and written together.
    const order = records.order(orderNo)!;
    const openPaymentNos = records.paymentsOf(order).filter(isPaymentOpen).map((payment) => payment.paymentNo);
    const nowMs = clock.now();
    const change = closeOrder(order, { nowMs, reason, openPaymentNos });
    if (change.ok) {
      const message = components.notifications.stage({ type: 'order.closed', orderNo, amountFen: order.amountFen });
      await context.commit([writeOrder(change.order), ...message.mutations]);
      context.scheduler.disarm(closeKey(orderNo));
      events.emit({ type: 'order.closed', atMs: nowMs, orderNo, reason });
      components.notifications.arm(message.id);
      return { outcome: 'closed', order: change.order };
    }
    switch (change.reason) {
      case 'alreadyPaid':
        return { outcome: 'paid', order: change.order };
      case 'alreadyClosed':
        return { outcome: 'alreadyClosed', order: change.order };
      case 'paymentsOpen':
        context.scheduler.arm(closeKey(orderNo), nowMs + config.closeRetryMs, async () => {
          await closer.close(orderNo, reason);
        });
        return { outcome: 'pending', order: change.order };
    }
  }

  const closer: OrderCloser = {
    close: (orderNo, reason) => flights.run(orderNo, () => runClose(orderNo, reason)),
    closePayment: closePaymentAtChannel,
    armExpiry(order) {
      if (order.status !== 'CREATED' && order.status !== 'PAYING') return;
      if (context.scheduler.isArmed(closeKey(order.orderNo))) return;
      context.scheduler.arm(closeKey(order.orderNo), order.expiresAtMs, async () => {
        await closer.close(order.orderNo, 'expired');
      });
    },
    resume() {
      for (const order of records.all<Order>(collections.orders)) closer.armExpiry(order);
    },
  };
  return closer;
}

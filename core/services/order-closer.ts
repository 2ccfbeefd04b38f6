// Closing unpaid orders, at expiry or when the business asks: every open payment is closed at the
// channel first and only then the order locally, so no buyer can pay what the core has closed. A close
// the channel did not confirm is retried; a success that still arrives later is refunded automatically.
// A trade the channel does not know yet (a QR code or pay URL the buyer has not opened) is payable
// until the payment's own expiry, so the close waits for that expiry rather than trusting "not found".
import { ChannelUnavailableError } from '../connectors/channel.ts';
import { closeOrder, isPaymentOpen, markPaymentClosed, mayStillBePaid, noLongerPayableAtMs, requestClose, type Order, type Payment } from '../domain/index.ts';
import type { ComponentDependencies } from './components.ts';
import type { ServiceContext } from './context.ts';
import { collections, writeOrder, writePayment } from './records.ts';
import { SingleFlight } from './scheduler.ts';

export type CloseOutcome =
  | { readonly outcome: 'closed' | 'alreadyClosed' | 'paid'; readonly order: Order }
  /** Some payment is not closed at the channel yet; the close runs again at `retryAtMs`. */
  | { readonly outcome: 'pending'; readonly order: Order; readonly retryAtMs: number }
  | { readonly outcome: 'notFound' };

/** One payment after a close at the channel: `retryAtMs` when it is still open, and when to try again. */
export interface PaymentCloseResult {
  readonly payment: Payment | undefined;
  readonly retryAtMs: number | undefined;
}

export interface OrderCloser {
  close(orderNo: string, reason: 'expired' | 'merchant'): Promise<CloseOutcome>;
  /** Closes one payment at the channel, then locally; a payment found paid is credited instead. */
  closePayment(paymentNo: string): Promise<PaymentCloseResult>;
  /** The order is paid: close its other open payments, so they cannot be paid too; retried until they are. */
  closeOtherPayments(order: Order): void;
  armExpiry(order: Order): void;
  resume(): void;
}

const closeKey = (orderNo: string) => `close:${orderNo}`;
const closePaymentKey = (paymentNo: string) => `close-payment:${paymentNo}`;

export function createOrderCloser(context: ServiceContext, components: ComponentDependencies['closer']): OrderCloser {
  const { records, clock, events, config } = context;
  const flights = new SingleFlight<CloseOutcome>();
  const paymentFlights = new SingleFlight<PaymentCloseResult>();

  const stillOpen = (payment: Payment | undefined, retryAtMs: number): PaymentCloseResult =>
    ({ payment, retryAtMs: payment && isPaymentOpen(payment) ? retryAtMs : undefined });

  async function closePaymentAtChannel(paymentNo: string): Promise<PaymentCloseResult> {
    const payment = records.payment(paymentNo);
    if (!payment || !isPaymentOpen(payment)) return { payment, retryAtMs: undefined };
    const retryAtMs = clock.now() + config.closeRetryMs;
    const channel = context.channels.get(payment.channel);
    if (!channel) return stillOpen(payment, retryAtMs);
    let result;
    try {
      result = await channel.closePayment(paymentNo);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return stillOpen(records.payment(paymentNo), retryAtMs);
      throw error;
    }
    switch (result.kind) {
      case 'notFound': {
        // The buyer has not opened the QR code or pay URL yet, or the create call never arrived: either
        // way the channel could still create and take it until the payment expires there.
        const current = records.payment(paymentNo);
        if (current && mayStillBePaid(current, clock.now(), config.policy.payment)) return stillOpen(current, noLongerPayableAtMs(current, config.policy.payment));
        return markClosed(paymentNo);
      }
      case 'closed':
        return markClosed(paymentNo);
      case 'alreadyPaid':
      case 'rejected':
        // The channel's refusal is not an answer about the trade: ask it what the trade is.
        return stillOpen((await components.payments.confirm(paymentNo)).payment, retryAtMs);
    }
  }

  async function markClosed(paymentNo: string): Promise<PaymentCloseResult> {
    const current = records.payment(paymentNo);
    if (!current) return { payment: undefined, retryAtMs: undefined };
    const change = markPaymentClosed(current, clock.now());
    if (!change.ok) return { payment: current, retryAtMs: undefined };
    await context.commit([writePayment(change.payment)]);
    context.scheduler.disarm(`query:${paymentNo}`);
    events.emit({ type: 'payment.changed', atMs: clock.now(), paymentNo, status: 'CLOSED' });
    components.payments.armClosedCheck(paymentNo);
    return { payment: change.payment, retryAtMs: undefined };
  }

  async function runClose(orderNo: string, reason: 'expired' | 'merchant'): Promise<CloseOutcome> {
    const before = records.order(orderNo);
    if (!before) return { outcome: 'notFound' };
    if (before.status === 'PAID') return { outcome: 'paid', order: before };
    if (before.status === 'CLOSED') return { outcome: 'alreadyClosed', order: before };
    const open = records.paymentsOf(before).filter(isPaymentOpen);
    if (reason === 'merchant' && open.length > 0) {
      // Stored before the channel is asked, so no new payment starts and a restart carries the close on.
      const requested = requestClose(before, clock.now());
      if (requested.ok) await context.commit([writeOrder(requested.order)]);
    }
    const results = await Promise.all(open.map((payment) => closer.closePayment(payment.paymentNo)));

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
      case 'paymentsOpen': {
        // The earliest moment one of the open payments may be settled: a retry, or a payment's expiry.
        const retryAtMs = Math.min(...openPaymentNos.map((paymentNo) => results.find((result) => result.payment?.paymentNo === paymentNo)?.retryAtMs ?? nowMs + config.closeRetryMs));
        armClose(orderNo, reason, retryAtMs);
        return { outcome: 'pending', order: change.order, retryAtMs };
      }
    }
  }

  function armClose(orderNo: string, reason: 'expired' | 'merchant', atMs: number): void {
    context.scheduler.arm(closeKey(orderNo), atMs, async () => {
      await closer.close(orderNo, reason);
    });
  }

  /** Closes a payment of a paid order that did not pay it; re-armed until it is closed or settled. */
  function armPaymentClose(paymentNo: string, atMs: number): void {
    context.scheduler.arm(closePaymentKey(paymentNo), atMs, async () => {
      const payment = records.payment(paymentNo);
      const order = payment && records.order(payment.orderNo);
      if (!payment || !isPaymentOpen(payment) || order?.status !== 'PAID' || order.paidPaymentNo === paymentNo) return;
      const result = await paymentFlights.run(paymentNo, () => closePaymentAtChannel(paymentNo));
      if (result.retryAtMs !== undefined) armPaymentClose(paymentNo, result.retryAtMs);
    });
  }

  const closer: OrderCloser = {
    close: (orderNo, reason) => flights.run(orderNo, () => runClose(orderNo, reason)),
    closePayment: (paymentNo) => paymentFlights.run(paymentNo, () => closePaymentAtChannel(paymentNo)),
    closeOtherPayments(order) {
      if (order.status !== 'PAID') return;
      for (const other of records.paymentsOf(order)) {
        if (other.paymentNo === order.paidPaymentNo || !isPaymentOpen(other)) continue;
        armPaymentClose(other.paymentNo, clock.now());
      }
    },
    armExpiry(order) {
      if (order.status !== 'CREATED' && order.status !== 'PAYING') return;
      if (context.scheduler.isArmed(closeKey(order.orderNo))) return;
      armClose(order.orderNo, 'expired', order.expiresAtMs);
    },
    resume() {
      // Every close in progress is implied by a stored record: a paid order with other payments still
      // open, a close the business asked for, or an order's expiry.
      for (const order of records.all<Order>(collections.orders)) {
        if (order.status === 'PAID') closer.closeOtherPayments(order);
        else if (order.status !== 'CLOSED' && order.closeRequestedAtMs !== undefined) armClose(order.orderNo, 'merchant', clock.now());
        else closer.armExpiry(order);
      }
    },
  };
  components.payments.onCredited((order) => closer.closeOtherPayments(order));
  return closer;
}

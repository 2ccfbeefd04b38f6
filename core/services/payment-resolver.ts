// Learning a payment's outcome from the channel: the active query (on the domain's slowing schedule,
// after a notify, after a sync return, when a close is refused) and applying what the channel says.
// A success is applied with a conditional write from a non-terminal state, with its ledger entries and
// the business-system message in the same commit; silence or a timeout never makes a payment failed.
import type { Mutation } from '../../lib/store/index.ts';
import { ChannelUnavailableError, type ChannelPaymentStatus } from '../connectors/channel.ts';
import {
  applyChannelSuccess,
  isPaymentOpen,
  markCalledOut,
  markPaymentClosed,
  nextClosedCheckAtMs,
  postingsForPayment,
  recordQueryAttempt,
  type Order,
  type ChannelSuccessOutcome,
  type Payment,
} from '../domain/index.ts';
import { alertMutation } from './alerts.ts';
import type { ComponentDependencies } from './components.ts';
import type { ServiceContext } from './context.ts';
import { collections, writeLedger, writeOrder, writePayment } from './records.ts';
import { SingleFlight } from './scheduler.ts';
import type { Staged, StageOptions } from './staged.ts';

/** What one query found: the channel's answer, or that it could not be asked. */
export type QueryAnswer = ChannelPaymentStatus | { readonly kind: 'unavailable'; readonly reason: string };

export interface QueryResult {
  readonly payment: Payment | undefined;
  readonly answer: QueryAnswer | undefined;
}

export interface PaymentResolver {
  /**
   * Asks the channel about the payment now and applies the answer. Concurrent callers share one query;
   * a caller that joined a query already running and still finds the payment open asks once more,
   * because that query may have started before the event that made it ask.
   */
  confirm(paymentNo: string): Promise<QueryResult>;
  /** Applies a channel answer about the payment (from a verified query). */
  apply(paymentNo: string, answer: ChannelPaymentStatus, options: { readonly scheduled: boolean }): Promise<Payment | undefined>;
  /** The payment was handed to the channel (whatever it answered short of a refusal): start its schedule. */
  calledOut(paymentNo: string): Promise<Payment | undefined>;
  /** A reason to query soon (an unverifiable notify, a sync return), outside the schedule. */
  queryNow(paymentNo: string): void;
  /** Arms the next scheduled query from the stored record. */
  arm(paymentNo: string): void;
  /**
   * The payment was closed here: ask the channel again at the policy's ages of the close
   * (`closedCheckAfterMs`), so a success that still happened there is found and refunded even when
   * every notify of it is lost. Derived from the stored close time, so a restart re-arms it.
   */
  armClosedCheck(paymentNo: string): void;
  /**
   * Calls `listener` in line each time an order is credited by one of its payments (the closer closes
   * the order's other payments). An error in it fails the apply that credited, visibly.
   */
  onCredited(listener: (order: Order) => void): void;
  /**
   * A confirmed success that credits its order, staged for the caller's commit (reconciliation applies
   * several in one); `afterCommit` does what follows a credit: events, the business message, listeners.
   */
  stageCredit(credited: Extract<ChannelSuccessOutcome, { outcome: 'credited' }>, options?: StageOptions): Staged<Payment>;
  resume(): Promise<void>;
}

const queryKey = (paymentNo: string) => `query:${paymentNo}`;
const queryNowKey = (paymentNo: string) => `query-now:${paymentNo}`;
const closedCheckKey = (paymentNo: string) => `closed-check:${paymentNo}`;

export function createPaymentResolver(context: ServiceContext, components: ComponentDependencies['payments']): PaymentResolver {
  const { records, clock, config, events } = context;
  const policy = config.policy.payment;
  const flights = new SingleFlight<QueryResult>();
  const creditedListeners: ((order: Order) => void)[] = [];

  async function query(paymentNo: string, scheduled: boolean): Promise<QueryResult> {
    const payment = records.payment(paymentNo);
    if (!payment) return { payment, answer: undefined };
    const channel = context.channels.get(payment.channel);
    let answer: QueryAnswer;
    if (!channel) {
      answer = { kind: 'unavailable', reason: `channel ${payment.channel} is not configured` };
    } else {
      try {
        answer = await channel.queryPayment(paymentNo);
      } catch (error) {
        // Only the channel's "outcome unknown" means ask again later; anything else is a bug, and fails loudly.
        if (!(error instanceof ChannelUnavailableError)) throw error;
        answer = { kind: 'unavailable', reason: error.message };
      }
    }
    events.emit({ type: 'payment.queried', atMs: clock.now(), paymentNo, answer: answer.kind });
    if (answer.kind === 'unavailable') {
      if (scheduled) await countAttempt(paymentNo);
      return { payment: records.payment(paymentNo), answer };
    }
    return { payment: await resolver.apply(paymentNo, answer, { scheduled }), answer };
  }

  /** A scheduled query found no final answer: count it, plan the next, flag it when the schedule runs out. */
  async function countAttempt(paymentNo: string): Promise<void> {
    const payment = records.payment(paymentNo);
    if (!payment) return;
    const change = recordQueryAttempt(payment, clock.now(), policy);
    if (!change.ok) return;
    const mutations: Mutation[] = [writePayment(change.payment)];
    if (change.payment.status === 'UNKNOWN' && payment.status !== 'UNKNOWN') {
      mutations.push(...alertMutation(context, { kind: 'payment.unknown', orderNo: payment.orderNo, paymentNo, detail: `no final answer after ${change.payment.queryAttempts} queries; a person must resolve it` }));
    }
    await context.commit(mutations);
    resolver.arm(paymentNo);
  }

  async function scheduledQuery(paymentNo: string): Promise<void> {
    // A query already running (after a notify) may have started before this one was due: let it
    // finish, then make the scheduled query if the payment is still open and it is still due.
    await flights.current(paymentNo)?.catch(() => undefined);
    const payment = records.payment(paymentNo);
    if (payment && isPaymentOpen(payment) && payment.nextQueryAtMs !== null && payment.nextQueryAtMs <= clock.now()) {
      await flights.run(paymentNo, () => query(paymentNo, true));
    }
    resolver.arm(paymentNo);
  }

  async function applySuccess(payment: Payment, answer: Extract<ChannelPaymentStatus, { kind: 'paid' }>, scheduled: boolean): Promise<Payment | undefined> {
    const nowMs = clock.now();
    const order = records.order(payment.orderNo);
    if (!order) return payment;
    const evidence = { amountFen: answer.amountFen, tradeNo: answer.channelTradeNo, appId: payment.appId, sellerId: payment.sellerId, paidAtMs: answer.paidAtMs ?? nowMs };
    const outcome = applyChannelSuccess(payment, order, evidence, nowMs);
    const ids = { orderNo: order.orderNo, paymentNo: payment.paymentNo };
    switch (outcome.outcome) {
      case 'alreadyCredited':
        return payment;
      case 'amountMismatch':
      case 'identityMismatch': {
        const detail = outcome.outcome === 'amountMismatch'
          ? `the channel's query says paid ${outcome.receivedFen} fen, the payment is ${outcome.expectedFen} fen`
          : `the channel's query names ${outcome.field} ${outcome.received}, expected ${outcome.expected}`;
        await context.commit(alertMutation(context, { kind: outcome.outcome === 'amountMismatch' ? 'query.amountMismatch' : 'query.identityMismatch', ...ids, detail }));
        if (scheduled) await countAttempt(payment.paymentNo);
        return records.payment(payment.paymentNo);
      }
      case 'credited': {
        const credit = resolver.stageCredit(outcome);
        await context.commit(credit.mutations);
        credit.afterCommit();
        return outcome.payment;
      }
      case 'paidAfterClose':
      case 'duplicatePayment': {
        // Money the order must not keep: record the success, and give it back by automatic refund.
        const autoRefund = components.refunds.stageAutoRefund(outcome.payment);
        const kind = outcome.outcome === 'paidAfterClose' ? 'payment.paidAfterClose' : 'payment.duplicate';
        const detail = outcome.outcome === 'paidAfterClose' ? `paid after order ${order.orderNo} was closed; refunded automatically` : `order ${order.orderNo} was already paid by another payment; refunded automatically`;
        await context.commit([writePayment(outcome.payment), ...autoRefund.mutations, ...alertMutation(context, { kind, ...ids, detail })]);
        context.scheduler.disarm(queryKey(payment.paymentNo));
        events.emit({ type: 'payment.changed', atMs: nowMs, paymentNo: payment.paymentNo, status: 'SUCCEEDED' });
        if (autoRefund.refundNo) components.refunds.submitSoon(autoRefund.refundNo);
        return outcome.payment;
      }
    }
  }

  const resolver: PaymentResolver = {
    onCredited(listener) {
      creditedListeners.push(listener);
    },

    stageCredit({ payment, order }, options = {}) {
      const message = components.notifications.stage({ type: 'order.paid', orderNo: order.orderNo, paymentNo: payment.paymentNo, amountFen: order.paidFen });
      const entries = postingsForPayment(payment).map((entry) => (options.ledgerReason ? { ...entry, reason: options.ledgerReason } : entry));
      return {
        value: payment,
        mutations: [writePayment(payment), writeOrder(order), ...writeLedger(entries), ...message.mutations],
        afterCommit() {
          const nowMs = clock.now();
          context.scheduler.disarm(queryKey(payment.paymentNo));
          events.emit({ type: 'payment.changed', atMs: nowMs, paymentNo: payment.paymentNo, status: 'SUCCEEDED' });
          events.emit({ type: 'order.paid', atMs: nowMs, orderNo: order.orderNo, paymentNo: payment.paymentNo });
          components.notifications.arm(message.id);
          // The buyer may have started other payments of this order: whoever listens (the closer) closes them.
          for (const listener of creditedListeners) listener(order);
        },
      };
    },
    async confirm(paymentNo) {
      const running = flights.current(paymentNo);
      if (running) {
        const joined = await running.catch(() => undefined);
        const payment = records.payment(paymentNo);
        if (joined && payment && !isPaymentOpen(payment)) return { payment, answer: joined.answer };
      }
      return flights.run(paymentNo, () => query(paymentNo, false));
    },

    async apply(paymentNo, answer, { scheduled }) {
      const payment = records.payment(paymentNo);
      if (!payment) return undefined;
      switch (answer.kind) {
        case 'paid':
          return applySuccess(payment, answer, scheduled);
        case 'closed': {
          if (answer.wasPaid) {
            if (payment.status === 'SUCCEEDED') return payment;
            // Paid and then fully refunded at the channel, and we never saw the payment: a person must look.
            await context.commit(alertMutation(context, { kind: 'query.closedAfterPayment', orderNo: payment.orderNo, paymentNo, detail: 'the channel says the trade was paid and then closed; no success was recorded here' }));
            if (scheduled) await countAttempt(paymentNo);
            return records.payment(paymentNo);
          }
          const change = markPaymentClosed(payment, clock.now());
          if (!change.ok) return payment;
          await context.commit([writePayment(change.payment)]);
          context.scheduler.disarm(queryKey(paymentNo));
          events.emit({ type: 'payment.changed', atMs: clock.now(), paymentNo, status: 'CLOSED' });
          resolver.armClosedCheck(paymentNo);
          return change.payment;
        }
        case 'waiting':
        case 'notFound':
          if (scheduled) await countAttempt(paymentNo);
          return records.payment(paymentNo);
        case 'unrecognized':
          await context.commit(alertMutation(context, { kind: 'query.unrecognized', orderNo: payment.orderNo, paymentNo, detail: `the channel answered status ${JSON.stringify(answer.raw.slice(0, 60))}` }));
          if (scheduled) await countAttempt(paymentNo);
          return records.payment(paymentNo);
      }
    },

    async calledOut(paymentNo) {
      const payment = records.payment(paymentNo);
      if (!payment) return undefined;
      const change = markCalledOut(payment, clock.now(), policy);
      if (change.ok) await context.commit([writePayment(change.payment)]);
      resolver.arm(paymentNo);
      return records.payment(paymentNo);
    },

    queryNow(paymentNo) {
      const payment = records.payment(paymentNo);
      if (!payment || !isPaymentOpen(payment)) return;
      context.scheduler.arm(queryNowKey(paymentNo), clock.now(), async () => {
        await resolver.confirm(paymentNo);
      });
    },

    arm(paymentNo) {
      const payment = records.payment(paymentNo);
      if (!payment || !isPaymentOpen(payment) || payment.nextQueryAtMs === null) {
        context.scheduler.disarm(queryKey(paymentNo));
        return;
      }
      if (context.scheduler.atMsOf(queryKey(paymentNo)) === payment.nextQueryAtMs) return;
      context.scheduler.arm(queryKey(paymentNo), payment.nextQueryAtMs, () => scheduledQuery(paymentNo));
    },

    armClosedCheck(paymentNo) {
      const payment = records.payment(paymentNo);
      const atMs = payment?.status === 'CLOSED' ? nextClosedCheckAtMs(payment.closedAtMs, clock.now(), policy.closedCheckAfterMs) : undefined;
      if (atMs === undefined) {
        context.scheduler.disarm(closedCheckKey(paymentNo));
        return;
      }
      if (context.scheduler.atMsOf(closedCheckKey(paymentNo)) === atMs) return;
      context.scheduler.arm(closedCheckKey(paymentNo), atMs, async () => {
        // A success found here is applied as any late success: recorded, and refunded automatically.
        if (records.payment(paymentNo)?.status === 'CLOSED') await resolver.confirm(paymentNo);
        resolver.armClosedCheck(paymentNo);
      });
    },

    async resume() {
      for (const payment of records.all<Payment>(collections.payments)) {
        if (payment.status === 'CLOSED') resolver.armClosedCheck(payment.paymentNo);
        if (!isPaymentOpen(payment)) continue;
        // Persisted but maybe never sent (the process stopped during the call): it may exist at the
        // channel, so it is treated as called out and resolved by query like any unknown outcome.
        if (payment.status === 'CREATED') await resolver.calledOut(payment.paymentNo);
        else resolver.arm(payment.paymentNo);
      }
    },
  };
  return resolver;
}

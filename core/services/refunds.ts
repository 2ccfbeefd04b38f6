// Refunds: an application decided and persisted in one synchronous check-and-commit (replay, conflict
// and the refundable amount all checked against the same read), sent to the channel only after it is
// durable, and completed by the channel's notify or by polling with backoff. A refund in flight is
// never closed by the core; one the channel does not know yet is sent again under the same number.
import type { Mutation } from '../../lib/store/index.ts';
import { ChannelUnavailableError, type ChannelRefundStatus } from '../connectors/channel.ts';
import {
  markRefundFailed,
  markRefundSucceeded,
  postingsForAutoRefund,
  postingsForRefund,
  recordRefundPoll,
  requestAutoRefund,
  requestRefund,
  type Payment,
  type Refund,
  type RefundRequest,
  type RefundRequestOutcome,
} from '../domain/index.ts';
import { alertMutation } from './alerts.ts';
import type { ComponentDependencies } from './components.ts';
import type { ServiceContext } from './context.ts';
import { collections, writeLedger, writeOrder, writeRefund, writeRefundIndex } from './records.ts';
import { SingleFlight } from './scheduler.ts';
import type { Staged, StageOptions } from './staged.ts';

export type MerchantRefundOutcome = RefundRequestOutcome | { readonly outcome: 'orderNotFound' };

export interface RefundService {
  /** A merchant refund of the order's payment; sent to the channel once persisted. */
  request(orderNo: string, request: RefundRequest): Promise<MerchantRefundOutcome>;
  /** The automatic refund of a success the order must not keep, as mutations for the caller's commit. */
  stageAutoRefund(payment: Payment): { readonly refundNo: string | undefined; readonly mutations: Mutation[] };
  /** Sends a persisted PROCESSING refund to the channel (again, if need be: the number makes it idempotent). */
  submit(refundNo: string): Promise<Refund | undefined>;
  /** The same, as scheduled work that starts at once (on the clock, so a virtual clock waits for it). */
  submitSoon(refundNo: string): void;
  /** Asks the channel about the refund now and applies the answer (notify confirmation). */
  confirm(refundNo: string): Promise<Refund | undefined>;
  arm(refundNo: string): void;
  /**
   * The channel completed the refund: the change staged for the caller's commit (reconciliation applies
   * several in one), or `unchanged` when there is nothing to complete (already done, failed, orphaned).
   */
  stageSucceeded(refund: Refund, atMs: number, options?: StageOptions): Staged<Refund> | { readonly unchanged: Refund };
  resume(): void;
}

const pollKey = (refundNo: string) => `refund-poll:${refundNo}`;
const submitKey = (refundNo: string) => `refund-submit:${refundNo}`;

export function createRefundService(context: ServiceContext, components: ComponentDependencies['refunds']): RefundService {
  const { records, clock, config, events } = context;
  const policy = config.policy.refund;
  // Sending and asking are separate flights: a notify must be confirmed by a query, even while the
  // request that created the refund is still waiting for its answer.
  const sends = new SingleFlight<Refund | undefined>();
  const asks = new SingleFlight<Refund | undefined>();

  async function countPoll(refundNo: string): Promise<void> {
    const refund = records.refund(refundNo);
    if (refund?.status !== 'PROCESSING') return;
    await context.commit([writeRefund(recordRefundPoll(refund, clock.now(), policy))]);
    service.arm(refundNo);
  }

  async function ask(refundNo: string, counted: boolean): Promise<Refund | undefined> {
    const refund = records.refund(refundNo);
    if (!refund) return undefined;
    const channel = context.channels.get(refund.channel);
    let status: ChannelRefundStatus;
    try {
      if (!channel) throw new ChannelUnavailableError(refund.channel, 'queryRefund', `channel ${refund.channel} is not configured`);
      status = await channel.queryRefund(refund.paymentNo, refundNo);
    } catch (error) {
      // Only the channel's "outcome unknown" means ask again later; anything else is a bug.
      if (!(error instanceof ChannelUnavailableError)) throw error;
      if (counted) await countPoll(refundNo);
      return records.refund(refundNo);
    }
    return apply(refundNo, status, counted);
  }

  async function apply(refundNo: string, status: ChannelRefundStatus, counted: boolean): Promise<Refund | undefined> {
    const refund = records.refund(refundNo);
    if (!refund) return undefined;
    const ids = { orderNo: refund.orderNo, paymentNo: refund.paymentNo, refundNo };
    if (refund.status !== 'PROCESSING') {
      const contradicts = (status.kind === 'succeeded' && refund.status === 'FAILED') || (status.kind === 'failed' && refund.status === 'SUCCESS');
      if (contradicts) await context.commit(alertMutation(context, { kind: 'refund.contradiction', ...ids, detail: `recorded ${refund.status}, the channel now says ${status.kind}` }));
      return refund;
    }
    switch (status.kind) {
      case 'succeeded':
        if (status.amountFen !== refund.amountFen) {
          await context.commit(alertMutation(context, { kind: 'refund.amountMismatch', ...ids, detail: `the channel refunded ${status.amountFen} fen, the refund is ${refund.amountFen} fen` }));
          if (counted) await countPoll(refundNo);
          return records.refund(refundNo);
        }
        return succeed(refund, status.succeededAtMs ?? clock.now());
      case 'failed':
        return fail(refund, status.reason);
      case 'processing':
        if (counted) await countPoll(refundNo);
        return records.refund(refundNo);
      case 'notFound':
        // The channel never got it (the process stopped, the call timed out): send it again, same number.
        if (counted) await countPoll(refundNo);
        return service.submit(refundNo);
    }
  }

  async function succeed(refund: Refund, atMs: number): Promise<Refund | undefined> {
    const staged = service.stageSucceeded(refund, atMs);
    if ('unchanged' in staged) return staged.unchanged;
    await context.commit(staged.mutations);
    staged.afterCommit();
    return staged.value;
  }

  async function fail(refund: Refund, reason: string): Promise<Refund | undefined> {
    const change = markRefundFailed(refund, { nowMs: clock.now(), failure: reason });
    if (!change.ok) return change.refund;
    const ids = { orderNo: refund.orderNo, paymentNo: refund.paymentNo, refundNo: refund.refundNo };
    const mutations: Mutation[] = [writeRefund(change.refund), ...writeLedger(postingsForRefund(change.refund))];
    const message = refund.kind === 'merchant' ? components.notifications.stage({ type: 'refund.failed', ...ids, amountFen: refund.amountFen }) : undefined;
    // An automatic refund that failed leaves money the order must not keep: a person has to act.
    if (refund.kind !== 'merchant') mutations.push(...alertMutation(context, { kind: 'refund.autoFailed', ...ids, detail: `automatic refund failed: ${reason}` }));
    await context.commit([...mutations, ...(message?.mutations ?? [])]);
    finished(refund.refundNo, 'FAILED', message?.id);
    return change.refund;
  }

  function finished(refundNo: string, status: 'SUCCESS' | 'FAILED', messageId: string | undefined): void {
    context.scheduler.disarm(pollKey(refundNo));
    events.emit({ type: 'refund.changed', atMs: clock.now(), refundNo, status });
    if (messageId) components.notifications.arm(messageId);
  }

  async function send(refundNo: string): Promise<Refund | undefined> {
    const refund = records.refund(refundNo);
    if (refund?.status !== 'PROCESSING') return refund;
    const channel = context.channels.get(refund.channel);
    service.arm(refundNo);
    if (!channel) return refund;
    let result;
    try {
      const payment = records.payment(refund.paymentNo);
      result = await channel.refund({
        paymentNo: refund.paymentNo,
        refundNo,
        amountFen: refund.amountFen,
        ...(refund.reason ? { reason: refund.reason } : {}),
        ...(payment ? { paymentAmountFen: payment.amountFen } : {}),
        notifyUrl: `${context.callbackBaseUrl()}/notify/${refund.channel}`,
      });
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) throw error;
      return records.refund(refundNo);
    }
    if (result.kind === 'accepted') return records.refund(refundNo);
    // A refusal is not yet the refund's fate: if the channel has the refund after all, go by that.
    let status: ChannelRefundStatus;
    try {
      status = await channel.queryRefund(refund.paymentNo, refundNo);
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) throw error;
      return records.refund(refundNo);
    }
    const current = records.refund(refundNo);
    if (status.kind === 'notFound') return current ? fail(current, `${result.code}: ${result.message}`) : undefined;
    return apply(refundNo, status, false);
  }

  const service: RefundService = {
    async request(orderNo, request) {
      const order = records.order(orderNo);
      if (!order) return { outcome: 'orderNotFound' };
      if (order.status !== 'PAID' || order.paidPaymentNo === null) return { outcome: 'notRefundable', reason: 'orderNotPaid' };
      const payment = records.payment(order.paidPaymentNo);
      if (!payment) return { outcome: 'notRefundable', reason: 'paymentNotCredited' };
      // One synchronous block from this read to the commit: two requests cannot both pass the check.
      const outcome = requestRefund(order, payment, records.refundsOf(payment.paymentNo), request, { refundNo: context.numbers.next('refund'), nowMs: clock.now() }, policy);
      // A replay, like every outcome read from state, is answered by the HTTP layer once it is durable.
      if (outcome.outcome === 'replay') return { outcome: 'replay', refund: records.refund(outcome.refund.refundNo) ?? outcome.refund };
      if (outcome.outcome !== 'created') return outcome;
      const refund = outcome.refund;
      await context.commit([writeRefund(refund), writeRefundIndex(records, refund), ...writeLedger(postingsForRefund(refund))]);
      events.emit({ type: 'refund.changed', atMs: clock.now(), refundNo: refund.refundNo, status: 'PROCESSING' });
      const sent = await service.submit(refund.refundNo);
      return { outcome: 'created', refund: sent ?? refund };
    },

    stageAutoRefund(payment) {
      const outcome = requestAutoRefund(payment, records.refundsOf(payment.paymentNo), { refundNo: context.numbers.next('refund'), nowMs: clock.now() }, policy);
      if (outcome.outcome === 'replay') return { refundNo: undefined, mutations: [] };
      const refund = outcome.refund;
      return { refundNo: refund.refundNo, mutations: [writeRefund(refund), writeRefundIndex(records, refund), ...writeLedger(postingsForAutoRefund(payment, refund))] };
    },

    submit: (refundNo) => sends.run(refundNo, () => send(refundNo)),

    submitSoon(refundNo) {
      context.scheduler.arm(submitKey(refundNo), clock.now(), async () => {
        await service.submit(refundNo);
      });
    },

    async confirm(refundNo) {
      const running = asks.current(refundNo);
      if (running) {
        const joined = await running.catch(() => undefined);
        if (joined && joined.status !== 'PROCESSING') return joined;
      }
      return asks.run(refundNo, () => ask(refundNo, false));
    },

    arm(refundNo) {
      const refund = records.refund(refundNo);
      if (refund?.status !== 'PROCESSING' || refund.nextPollAtMs === null) {
        context.scheduler.disarm(pollKey(refundNo));
        return;
      }
      if (context.scheduler.atMsOf(pollKey(refundNo)) === refund.nextPollAtMs) return;
      context.scheduler.arm(pollKey(refundNo), refund.nextPollAtMs, async () => {
        await asks.current(refundNo)?.catch(() => undefined);
        const current = records.refund(refundNo);
        if (current?.status === 'PROCESSING' && current.nextPollAtMs !== null && current.nextPollAtMs <= clock.now()) await asks.run(refundNo, () => ask(refundNo, true));
        service.arm(refundNo);
      });
    },

    stageSucceeded(refund, atMs, options = {}) {
      const order = records.order(refund.orderNo);
      const payment = records.payment(refund.paymentNo);
      if (!order || !payment) return { unchanged: refund };
      const change = markRefundSucceeded(refund, { order, payment, refunds: records.refundsOf(payment.paymentNo) }, { nowMs: atMs });
      if (!change.ok) return { unchanged: change.refund };
      const entries = postingsForRefund(change.refund).map((entry) => (options.ledgerReason && entry.kind === 'refundSucceeded' ? { ...entry, reason: options.ledgerReason } : entry));
      const mutations: Mutation[] = [writeRefund(change.refund), ...writeLedger(entries)];
      if (change.order !== order) mutations.push(writeOrder(change.order));
      const type = refund.kind === 'merchant' ? 'refund.succeeded' : refund.kind === 'afterClose' ? 'payment.refunded_after_close' : undefined;
      const message = type ? components.notifications.stage({ type, orderNo: refund.orderNo, refundNo: refund.refundNo, paymentNo: refund.paymentNo, amountFen: refund.amountFen }) : undefined;
      return {
        value: change.refund,
        mutations: [...mutations, ...(message?.mutations ?? [])],
        afterCommit: () => finished(refund.refundNo, 'SUCCESS', message?.id),
      };
    },

    resume() {
      for (const refund of records.all<Refund>(collections.refunds)) {
        service.arm(refund.refundNo);
        // Never polled: the process may have stopped before it was sent. Ask the channel now, and send it
        // (same number) if the channel does not have it, rather than wait for the first poll.
        if (refund.status === 'PROCESSING' && refund.pollAttempts === 0) {
          context.scheduler.arm(submitKey(refund.refundNo), clock.now(), async () => {
            await asks.run(refund.refundNo, () => ask(refund.refundNo, false));
          });
        }
      }
    },
  };
  return service;
}

// Refunds are applications: accepted at once (the money is reserved against the trade), completed by
// the channel after a delay. The refundable check and the reservation are one synchronous block.
import { put } from '../../lib/store/store.ts';
import { collections, dialectOf, type EngineContext } from './context.ts';
import type { Outbox } from './outbox.ts';
import type { Trades } from './trades.ts';
import { refundKeyOf, type App, type Refund, type Trade } from './types.ts';

export interface RefundRequest {
  tradeKey: string;
  outRequestNo: string;
  amountFen: number;
  reason?: string;
  /** Where this refund's outcome is notified (WeChat Pay's refund notify_url); absent: the trade's. */
  notifyUrl?: string;
}

export type RefundOutcome =
  | { kind: 'accepted'; refund: Refund; trade: Trade }
  | { kind: 'replayed'; refund: Refund; trade: Trade }
  | { kind: 'discordant'; refund: Refund }
  | { kind: 'exceedsRefundable'; refundableFen: number }
  | { kind: 'tradeNotPaid'; trade: Trade }
  | { kind: 'tradeFinished'; trade: Trade }
  | { kind: 'tradeNotFound' }
  | { kind: 'limitReached' };

/** A seam for fault injection: decides how one accepted refund ends. */
export interface RefundInterceptor {
  onAccepted(refund: Refund): { completesAtMs?: number; fail?: string; succeedAfterQueries?: number } | undefined;
}

export class Refunds {
  private readonly random;
  interceptor: RefundInterceptor | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly trades: Trades,
    private readonly outbox: Outbox,
  ) {
    this.random = ctx.random.fork('refunds');
  }

  get(tradeKey: string, outRequestNo: string): Refund | undefined {
    return this.ctx.store.get<Refund>(collections.refunds, refundKeyOf(tradeKey, outRequestNo));
  }

  all(): Refund[] {
    return this.ctx.store.all<Refund>(collections.refunds);
  }

  ofTrade(tradeKey: string): Refund[] {
    return this.all().filter((refund) => refund.tradeKey === tradeKey);
  }

  resume(): void {
    for (const refund of this.all()) if (refund.state.kind === 'processing') this.arm(refund);
  }

  async request(input: RefundRequest): Promise<RefundOutcome> {
    const trade = this.trades.get(input.tradeKey);
    if (!trade) return { kind: 'tradeNotFound' };
    const existing = this.get(input.tradeKey, input.outRequestNo);
    if (existing) {
      return existing.amountFen === input.amountFen ? { kind: 'replayed', refund: existing, trade } : { kind: 'discordant', refund: existing };
    }
    if (trade.state.kind === 'finished') return { kind: 'tradeFinished', trade };
    if (trade.state.kind !== 'paid') return { kind: 'tradeNotPaid', trade };
    const refundableFen = trade.amountFen - trade.refundAcceptedFen;
    if (input.amountFen > refundableFen) return { kind: 'exceedsRefundable', refundableFen };
    if (this.ofTrade(trade.key).length >= this.ctx.config.limits.refundsPerTradeMax) return { kind: 'limitReached' };
    const nowMs = this.ctx.clock.now();
    let refund: Refund = {
      key: refundKeyOf(trade.key, input.outRequestNo),
      tradeKey: trade.key,
      channel: trade.channel,
      appId: trade.appId,
      outTradeNo: trade.outTradeNo,
      tradeNo: trade.tradeNo,
      outRequestNo: input.outRequestNo,
      refundNo: dialectOf(this.ctx, trade.channel).refundNo(this.random, trade, nowMs),
      amountFen: input.amountFen,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.notifyUrl ? { notifyUrl: input.notifyUrl } : {}),
      state: { kind: 'processing' },
      createdAtMs: nowMs,
      completesAtMs: nowMs + this.ctx.config.refundDelayMs,
      queryCount: 0,
    };
    const decision = this.interceptor?.onAccepted(refund);
    if (decision?.completesAtMs !== undefined) refund = { ...refund, completesAtMs: decision.completesAtMs };
    if (decision?.fail) refund = { ...refund, plannedFailure: decision.fail };
    if (decision?.succeedAfterQueries !== undefined) refund = { ...refund, succeedAfterQueries: decision.succeedAfterQueries };
    const reserved: Trade = { ...trade, refundAcceptedFen: trade.refundAcceptedFen + input.amountFen };
    await this.ctx.store.commit([put(collections.refunds, refund.key, refund), put(collections.trades, trade.key, reserved)]);
    this.ctx.events.emit({ type: 'refund.created', atMs: nowMs, channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, outRequestNo: refund.outRequestNo, amountFen: refund.amountFen });
    this.arm(refund);
    return { kind: 'accepted', refund, trade: reserved };
  }

  /** Counts a merchant query of this refund; a refund held back "until N queries" completes here. */
  async noteQuery(refund: Refund): Promise<Refund> {
    const counted: Refund = { ...refund, queryCount: refund.queryCount + 1 };
    await this.ctx.store.commit([put(collections.refunds, refund.key, counted)]);
    const needed = counted.succeedAfterQueries;
    if (needed !== undefined && counted.queryCount >= needed && counted.state.kind === 'processing') {
      return (await this.complete(refund.key, { byQuery: true })) ?? counted;
    }
    return counted;
  }

  private readonly timers = new Map<string, ReturnType<EngineContext['clock']['schedule']>>();

  cancelTimers(): void {
    for (const timer of this.timers.values()) this.ctx.clock.cancel(timer);
    this.timers.clear();
  }

  private arm(refund: Refund): void {
    // A refund held until N queries has no timer: only queries move it.
    if (refund.succeedAfterQueries !== undefined) return;
    const timer = this.ctx.clock.schedule(refund.completesAtMs, () => this.complete(refund.key), `refund ${refund.outRequestNo}`);
    this.timers.set(refund.key, timer);
  }

  /** The channel finishes a refund: success moves the money; a full refund closes the trade. */
  async complete(refundKey: string, options: { byQuery?: boolean } = {}): Promise<Refund | undefined> {
    this.timers.delete(refundKey);
    const refund = this.ctx.store.get<Refund>(collections.refunds, refundKey);
    if (!refund || refund.state.kind !== 'processing') return refund;
    if (refund.succeedAfterQueries !== undefined && !options.byQuery) return refund;
    const trade = this.trades.get(refund.tradeKey)!;
    const nowMs = this.ctx.clock.now();
    const app = this.ctx.store.get<App>(collections.apps, `${trade.channel}:${trade.appId}`);
    if (refund.plannedFailure) {
      const failed: Refund = { ...refund, state: { kind: 'failed', failedAtMs: nowMs, reason: refund.plannedFailure } };
      const released: Trade = { ...trade, refundAcceptedFen: trade.refundAcceptedFen - refund.amountFen };
      const notice = app && this.ctx.config.notifyOnRefund ? this.outbox.prepare('refund_failed', released, app, failed) : undefined;
      await this.ctx.store.commit([put(collections.refunds, refund.key, failed), put(collections.trades, trade.key, released), ...(notice ? [notice.mutation] : [])]);
      this.ctx.events.emit({ type: 'refund.failed', atMs: nowMs, channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, outRequestNo: refund.outRequestNo, reason: refund.plannedFailure });
      if (notice) this.outbox.arm(notice.notification);
      return failed;
    }
    const succeeded: Refund = { ...refund, state: { kind: 'succeeded', succeededAtMs: nowMs } };
    const refundedFen = trade.refundedFen + refund.amountFen;
    const paidAtMs = trade.state.kind === 'paid' || trade.state.kind === 'finished' ? trade.state.paidAtMs : undefined;
    const fullyRefunded = refundedFen >= trade.amountFen && paidAtMs !== undefined;
    const updatedTrade: Trade = {
      ...trade,
      refundedFen,
      ...(fullyRefunded ? { state: { kind: 'closed', closedAtMs: nowMs, reason: 'refunded', paidAtMs } } : {}),
    };
    // The notification is stored in the same commit as the refund's outcome: no crash can keep one alone.
    const notice = app && this.ctx.config.notifyOnRefund ? this.outbox.prepare('refund_succeeded', updatedTrade, app, succeeded) : undefined;
    await this.ctx.store.commit([put(collections.refunds, refund.key, succeeded), put(collections.trades, trade.key, updatedTrade), ...(notice ? [notice.mutation] : [])]);
    this.ctx.events.emit({ type: 'refund.succeeded', atMs: nowMs, channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, outRequestNo: refund.outRequestNo, amountFen: refund.amountFen });
    if (fullyRefunded) this.ctx.events.emit({ type: 'trade.closed', atMs: nowMs, channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, reason: 'refunded' });
    if (notice) this.outbox.arm(notice.notification);
    return succeeded;
  }
}

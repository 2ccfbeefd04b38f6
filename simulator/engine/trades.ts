// Trades at the channel: WAITING → PAID → CLOSED (full refund) / FINISHED (refund window over), or
// WAITING → CLOSED (merchant close, cancel, expiry). Every check and the write it guards happen in one
// synchronous block, so concurrent requests cannot both pass a check.
import { put } from '../../lib/store/store.ts';
import type { TimerHandle } from '../../lib/clock.ts';
import { collections, dialectOf, type EngineContext } from './context.ts';
import { token } from './ids.ts';
import type { Outbox, PreparedNotification } from './outbox.ts';
import { tradeKeyOf, type App, type Buyer, type ChannelName, type CloseReason, type Trade, type TradeProduct } from './types.ts';

export interface CreateTradeInput {
  channel: ChannelName;
  appId: string;
  outTradeNo: string;
  product: TradeProduct;
  amountFen: number;
  subject: string;
  body?: string;
  expiresAtMs?: number;
  notifyUrl?: string;
  returnUrl?: string;
  quitUrl?: string;
  buyer?: Buyer;
  visible: boolean;
  echo?: Record<string, string>;
}

export type CreateTradeOutcome =
  | { kind: 'created'; trade: Trade }
  | { kind: 'existing'; trade: Trade }
  | { kind: 'inconsistent'; trade: Trade }
  | { kind: 'alreadyPaid'; trade: Trade }
  | { kind: 'alreadyClosed'; trade: Trade }
  | { kind: 'limitReached' };

export type PayOutcome =
  | { kind: 'paid'; trade: Trade }
  | { kind: 'notWaiting'; trade: Trade }
  | { kind: 'expired'; trade: Trade }
  | { kind: 'notFound' };

export type CloseOutcome = { kind: 'closed'; trade: Trade } | { kind: 'notWaiting'; trade: Trade } | { kind: 'notFound' };

export class Trades {
  private readonly random;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly byTradeNo = new Map<string, string>();
  private readonly byCashierToken = new Map<string, string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly outbox: Outbox,
  ) {
    this.random = ctx.random.fork('trades');
  }

  get(key: string): Trade | undefined {
    return this.ctx.store.get<Trade>(collections.trades, key);
  }

  all(): Trade[] {
    return this.ctx.store.all<Trade>(collections.trades);
  }

  /** Finds a trade by trade_no or out_trade_no; when both are given, trade_no wins, as at Alipay. */
  find(channel: ChannelName, appId: string, ids: { outTradeNo?: string; tradeNo?: string }): Trade | undefined {
    if (ids.tradeNo) {
      const key = this.byTradeNo.get(`${channel}:${ids.tradeNo}`);
      const trade = key ? this.get(key) : undefined;
      return trade && trade.appId === appId ? trade : undefined;
    }
    return ids.outTradeNo ? this.get(tradeKeyOf(channel, appId, ids.outTradeNo)) : undefined;
  }

  byToken(cashierToken: string): Trade | undefined {
    const key = this.byCashierToken.get(cashierToken);
    return key ? this.get(key) : undefined;
  }

  /** Rebuilds indexes and timers from the store: used at start-up and after a reset. */
  resume(): void {
    // From scratch: after a reset, an index entry of a forgotten trade would find the new trade that
    // reuses its key (the same out_trade_no) by the old trade_no or cashier token.
    this.byTradeNo.clear();
    this.byCashierToken.clear();
    for (const trade of this.all()) {
      this.index(trade);
      this.armTimers(trade);
    }
  }

  async create(input: CreateTradeInput): Promise<CreateTradeOutcome> {
    const key = tradeKeyOf(input.channel, input.appId, input.outTradeNo);
    const existing = this.get(key);
    if (existing) return this.resubmission(existing, input);
    if (this.ctx.store.count(collections.trades) >= this.ctx.config.limits.tradesMax) return { kind: 'limitReached' };
    const nowMs = this.ctx.clock.now();
    const trade: Trade = {
      key,
      channel: input.channel,
      appId: input.appId,
      outTradeNo: input.outTradeNo,
      tradeNo: this.freshTradeNo(input.channel, nowMs),
      product: input.product,
      amountFen: input.amountFen,
      subject: input.subject,
      ...(input.body !== undefined ? { body: input.body } : {}),
      state: { kind: 'waiting' },
      createdAtMs: nowMs,
      ...(input.visible ? { visibleAtMs: nowMs } : {}),
      expiresAtMs: input.expiresAtMs ?? nowMs + (this.ctx.config.defaultTradeLifetimeMs ?? dialectOf(this.ctx, input.channel).tradeLifetimeMsDefault),
      ...(input.buyer ? { buyer: input.buyer } : {}),
      ...(input.notifyUrl ? { notifyUrl: input.notifyUrl } : {}),
      ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
      ...(input.quitUrl ? { quitUrl: input.quitUrl } : {}),
      cashierToken: this.freshCashierToken(),
      refundAcceptedFen: 0,
      refundedFen: 0,
      echo: input.echo ?? {},
    };
    this.index(trade);
    await this.save(trade);
    this.armTimers(trade);
    this.ctx.events.emit({ type: 'trade.created', atMs: nowMs, channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, tradeNo: trade.tradeNo, amountFen: trade.amountFen });
    return { kind: 'created', trade };
  }

  private resubmission(existing: Trade, input: CreateTradeInput): CreateTradeOutcome {
    if (existing.state.kind === 'closed') return { kind: 'alreadyClosed', trade: existing };
    if (existing.state.kind !== 'waiting') return { kind: 'alreadyPaid', trade: existing };
    if (existing.amountFen !== input.amountFen || existing.subject !== input.subject) return { kind: 'inconsistent', trade: existing };
    return { kind: 'existing', trade: existing };
  }

  /** The buyer opened the cashier or scanned the code: from now on the trade is queryable. */
  async makeVisible(trade: Trade): Promise<Trade> {
    if (trade.visibleAtMs !== undefined) return trade;
    const updated: Trade = { ...trade, visibleAtMs: this.ctx.clock.now() };
    await this.save(updated);
    this.ctx.events.emit({ type: 'trade.visible', atMs: this.ctx.clock.now(), channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo });
    return updated;
  }

  /** The buyer pays. `allowExpired` is for the buyer fault that pays after expiry. */
  async pay(key: string, options: { buyer?: Buyer; allowExpired?: boolean; allowClosed?: boolean } = {}): Promise<PayOutcome> {
    const trade = this.get(key);
    if (!trade) return { kind: 'notFound' };
    const nowMs = this.ctx.clock.now();
    const closedButAllowed = options.allowClosed && trade.state.kind === 'closed' && trade.state.paidAtMs === undefined;
    if (trade.state.kind !== 'waiting' && !closedButAllowed) return { kind: 'notWaiting', trade };
    if (nowMs >= trade.expiresAtMs && !options.allowExpired && !closedButAllowed) return { kind: 'expired', trade };
    const paid: Trade = {
      ...trade,
      state: { kind: 'paid', paidAtMs: nowMs },
      visibleAtMs: trade.visibleAtMs ?? nowMs,
      buyer: options.buyer ?? trade.buyer ?? dialectOf(this.ctx, trade.channel).buyer(this.random, this.ctx.faker),
    };
    const notice = this.notice('trade_paid', paid);
    await this.saveWith(paid, notice);
    this.armTimers(paid);
    this.ctx.events.emit({ type: 'trade.paid', atMs: nowMs, channel: paid.channel, appId: paid.appId, outTradeNo: paid.outTradeNo, tradeNo: paid.tradeNo, amountFen: paid.amountFen });
    this.ctx.tradeInterceptor?.afterPaid(paid);
    if (notice) this.outbox.arm(notice.notification);
    return { kind: 'paid', trade: paid };
  }

  /** Closes an unpaid trade. */
  async close(key: string, reason: CloseReason): Promise<CloseOutcome> {
    const trade = this.get(key);
    if (!trade) return { kind: 'notFound' };
    if (trade.state.kind !== 'waiting') return { kind: 'notWaiting', trade };
    const nowMs = this.ctx.clock.now();
    const closed: Trade = { ...trade, state: { kind: 'closed', closedAtMs: nowMs, reason } };
    const notifies = reason === 'expired' ? this.ctx.config.notifyOnExpiredClose : this.ctx.config.notifyOnMerchantClose;
    const notice = notifies && trade.visibleAtMs !== undefined ? this.notice('trade_closed', closed) : undefined;
    await this.saveWith(closed, notice);
    this.disarm(key);
    this.ctx.events.emit({ type: 'trade.closed', atMs: nowMs, channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, reason });
    this.ctx.tradeInterceptor?.afterClosed(closed, reason);
    if (notice) this.outbox.arm(notice.notification);
    return { kind: 'closed', trade: closed };
  }

  /** The buyer tried to pay and failed (insufficient balance): the trade stays payable, its last attempt failed. */
  async notePayFailure(key: string): Promise<Trade | undefined> {
    const trade = this.get(key);
    if (!trade || trade.state.kind !== 'waiting') return trade;
    const failed: Trade = { ...trade, payFailedAtMs: this.ctx.clock.now() };
    await this.save(failed);
    return failed;
  }

  /** The buyer is confirming a barcode payment (USERPAYING): it completes at `atMs`, even across a restart. */
  async awaitBuyerConfirmation(key: string, atMs: number): Promise<void> {
    const trade = this.get(key);
    if (!trade || trade.state.kind !== 'waiting' || trade.buyerConfirmsAtMs !== undefined) return;
    const confirming: Trade = { ...trade, buyerConfirmsAtMs: atMs };
    await this.save(confirming);
    this.armTimers(confirming);
  }

  /** Stores a trade changed by another module (refunds). */
  async save(trade: Trade): Promise<void> {
    await this.ctx.store.commit([put(collections.trades, trade.key, trade)]);
  }

  /**
   * Stores a changed trade and, in the same commit, the notification that reports the change: a crash
   * between two commits would leave a paid trade that is never notified.
   */
  private async saveWith(trade: Trade, notice: PreparedNotification | undefined): Promise<void> {
    await this.ctx.store.commit([put(collections.trades, trade.key, trade), ...(notice ? [notice.mutation] : [])]);
  }

  /** The notification of a trade event, built but not yet stored (see saveWith). */
  private notice(kind: 'trade_paid' | 'trade_closed' | 'trade_finished', trade: Trade): PreparedNotification | undefined {
    const app = this.ctx.store.get<App>(collections.apps, `${trade.channel}:${trade.appId}`);
    return app ? this.outbox.prepare(kind, trade, app) : undefined;
  }

  /**
   * The channel's number for a new trade. The random source starts over from the seed at every start,
   * so a number already given out (before a restart) is drawn again rather than shared by two trades.
   */
  private freshTradeNo(channel: ChannelName, nowMs: number): string {
    const dialect = dialectOf(this.ctx, channel);
    for (;;) {
      const tradeNo = dialect.tradeNo(this.random, nowMs);
      if (!this.byTradeNo.has(`${channel}:${tradeNo}`)) return tradeNo;
    }
  }

  private freshCashierToken(): string {
    for (;;) {
      const cashierToken = token(this.random);
      if (!this.byCashierToken.has(cashierToken)) return cashierToken;
    }
  }

  cancelTimers(): void {
    for (const timer of this.timers.values()) this.ctx.clock.cancel(timer);
    this.timers.clear();
  }

  private index(trade: Trade): void {
    this.byTradeNo.set(`${trade.channel}:${trade.tradeNo}`, trade.key);
    this.byCashierToken.set(trade.cashierToken, trade.key);
  }

  private disarm(key: string): void {
    this.ctx.clock.cancel(this.timers.get(key));
    this.timers.delete(key);
  }

  /** One timer per trade: expiry while waiting, the end of the refund window once paid. */
  private armTimers(trade: Trade): void {
    this.disarm(trade.key);
    if (trade.state.kind === 'waiting' && trade.buyerConfirmsAtMs !== undefined && trade.buyerConfirmsAtMs < trade.expiresAtMs) {
      this.timers.set(trade.key, this.ctx.clock.schedule(trade.buyerConfirmsAtMs, () => this.pay(trade.key), `buyer confirms ${trade.outTradeNo}`));
    } else if (trade.state.kind === 'waiting') {
      this.timers.set(trade.key, this.ctx.clock.schedule(trade.expiresAtMs, () => this.close(trade.key, 'expired'), `expire ${trade.outTradeNo}`));
    } else if (trade.state.kind === 'paid') {
      const finishAtMs = trade.state.paidAtMs + (this.ctx.config.refundWindowMs ?? dialectOf(this.ctx, trade.channel).refundWindowMsDefault);
      this.timers.set(trade.key, this.ctx.clock.schedule(finishAtMs, () => this.finish(trade.key), `finish ${trade.outTradeNo}`));
    }
  }

  private async finish(key: string): Promise<void> {
    const trade = this.get(key);
    if (!trade || trade.state.kind !== 'paid') return;
    const finished: Trade = { ...trade, state: { kind: 'finished', paidAtMs: trade.state.paidAtMs, finishedAtMs: this.ctx.clock.now() } };
    const notice = this.ctx.config.notifyOnFinished ? this.notice('trade_finished', finished) : undefined;
    await this.saveWith(finished, notice);
    this.timers.delete(key);
    if (notice) this.outbox.arm(notice.notification);
  }
}

// Connects the rule book to the engine's seams, as interceptors the engine calls in line (an error in
// one fails the operation visibly; an event listener's error would only be logged): notification attempts, refund acceptance, the trade
// timeline (late success after close, notify before the trade is queryable) and what queries see.
import type { Engine } from '../engine/engine.ts';
import { dialectOf, type NotificationPlan } from '../engine/context.ts';
import type { Notification, Refund, Trade } from '../engine/types.ts';
import { parseYuan } from '../../lib/money.ts';
import type { Exchange, FaultBook } from './book.ts';

/** A held (reordered) notification is released at the latest after this long. */
const reorderHoldMs = 10 * 60_000;

const lateSuccessMsDefault = 1_000;
const earlyNotifyMsDefault = 60_000;

/** Installs the interceptors; `reset` forgets what they decided for trades and notifications that a reset removed. */
export function installFaultHooks(engine: Engine, book: FaultBook): { reset(): void } {
  const ctx = engine.ctx;
  /**
   * Attempts a fault postponed, with the rest of what was decided for them. Released, an attempt goes out
   * as decided then, without the rules firing a second time: one firing per attempt, so timesMax and nth
   * count attempts, and a fault decided with the postponement (drop, tamper, …) is not lost.
   */
  const postponed = new Map<string, NotificationPlan>();
  const held = new Map<string, Set<string>>();
  const queryLag = new Map<string, number>();

  const tradeExchange = (trade: Trade, extra: Partial<Exchange> & Pick<Exchange, 'layer' | 'apis'>): Exchange => ({
    channel: trade.channel,
    outTradeNo: trade.outTradeNo,
    amountFen: trade.amountFen,
    subject: trade.subject,
    ...extra,
  });

  ctx.notificationInterceptor = {
    plan(notification: Notification, attempt: number, extra: boolean): NotificationPlan {
      if (extra) return {};
      const attemptKey = `${notification.id}#${attempt}`;
      const decided = postponed.get(attemptKey);
      if (decided) {
        postponed.delete(attemptKey);
        return decided;
      }
      const trade = engine.trades.get(notification.tradeKey);
      if (!trade) return {};
      const refund = notification.refundKey ? engine.refunds.all().find((item) => item.key === notification.refundKey) : undefined;
      const firings = book.fire(
        tradeExchange(trade, { layer: 'notify', apis: ['notify'], notifyKind: notification.kind, ...(refund ? { outRequestNo: refund.outRequestNo } : {}) }),
      );
      let plan: { -readonly [K in keyof NotificationPlan]: NotificationPlan[K] } = {};
      for (const { fault } of firings) {
        switch (fault.type) {
          case 'drop':
            plan.drop = true;
            break;
          case 'notify_delay':
            // Each scheduled attempt is delayed once, then goes out.
            plan.postponeUntilMs = Math.max(plan.postponeUntilMs ?? 0, ctx.clock.now() + fault.ms);
            break;
          case 'reorder': {
            const set = held.get(notification.tradeKey) ?? new Set();
            set.add(notification.id);
            held.set(notification.tradeKey, set);
            plan.postponeUntilMs = Math.max(plan.postponeUntilMs ?? 0, ctx.clock.now() + reorderHoldMs);
            break;
          }
          case 'duplicate':
            plan.extraCopies = (plan.extraCopies ?? 0) + fault.copies;
            break;
          case 'tamper_amount': {
            const parsed = parseYuan(fault.amount);
            const dialect = ctx.dialects.get(notification.channel);
            if (parsed.ok && dialect) plan.fields = dialect.tamperAmount(plan.fields ?? notification.fields, parsed.fen);
            break;
          }
          case 'tamper_identity': {
            const dialect = ctx.dialects.get(notification.channel);
            if (dialect) plan.fields = dialect.tamperIdentity(plan.fields ?? notification.fields, fault);
            break;
          }
          case 'forge_signature':
            plan.forge = true;
            if (fault.probe) plan.probe = true;
            break;
          default:
            break;
        }
      }
      if (plan.postponeUntilMs !== undefined && plan.postponeUntilMs > ctx.clock.now()) {
        const { postponeUntilMs: _later, ...rest } = plan;
        postponed.set(attemptKey, rest);
      }
      return plan;
    },
    // A held notification is released right after another notification of the same trade goes out.
    afterAttempt(notification: Notification): void {
      const waiting = held.get(notification.tradeKey);
      if (!waiting) return;
      // The held one itself going out (its hold ran out) ends its hold too, so that a later notification
      // of the trade does not pull its retries forward.
      for (const id of waiting) {
        waiting.delete(id);
        if (id !== notification.id) engine.outbox.postpone(id, ctx.clock.now());
      }
      if (waiting.size === 0) held.delete(notification.tradeKey);
    },
  };

  engine.refunds.interceptor = {
    onAccepted(refund: Refund) {
      const trade = engine.trades.get(refund.tradeKey);
      if (!trade) return undefined;
      const firings = book.fire(tradeExchange(trade, { layer: 'refund', apis: ['refund', ...dialectOf(ctx, trade.channel).refundApis], outRequestNo: refund.outRequestNo }));
      const decision: { completesAtMs?: number; fail?: string; succeedAfterQueries?: number } = {};
      for (const { fault } of firings) {
        if (fault.type === 'refund_stuck') decision.completesAtMs = ctx.clock.now() + fault.ms;
        if (fault.type === 'refund_fail') decision.fail = fault.reason ?? 'refund failed at the channel (fault injection)';
        if (fault.type === 'refund_after_queries') decision.succeedAfterQueries = fault.queries;
      }
      return Object.keys(decision).length > 0 ? decision : undefined;
    },
  };

  ctx.tradeInterceptor = {
    // The buyer's payment goes through even though the trade was closed: a success after close.
    afterClosed(trade: Trade): void {
      for (const { fault } of book.fire(tradeExchange(trade, { layer: 'trade', apis: ['notify', 'trade.closed'], notifyKind: 'trade_paid', faultTypes: ['late_success'] }))) {
        if (fault.type !== 'late_success') continue;
        const key = trade.key;
        ctx.clock.schedule(ctx.clock.now() + (fault.ms ?? lateSuccessMsDefault), () => engine.trades.pay(key, { allowClosed: true, allowExpired: true }), `late success ${trade.outTradeNo}`);
      }
    },
    // The notification races ahead of the channel's own query path.
    afterPaid(trade: Trade): void {
      for (const { fault } of book.fire(tradeExchange(trade, { layer: 'trade', apis: ['notify', 'trade.paid'], notifyKind: 'trade_paid', faultTypes: ['early_notify'] }))) {
        if (fault.type === 'early_notify') queryLag.set(trade.key, ctx.clock.now() + (fault.ms ?? earlyNotifyMsDefault));
      }
    },
  };

  ctx.tradeView = (trade: Trade): Trade => {
    const untilMs = queryLag.get(trade.key);
    if (untilMs === undefined) return trade;
    if (ctx.clock.now() >= untilMs) {
      queryLag.delete(trade.key);
      return trade;
    }
    const { buyer: _buyer, ...unpaid } = trade;
    return { ...unpaid, state: { kind: 'waiting' } };
  };
  return {
    // Keys are trade keys and notification ids, which a reset frees for new trades: what was decided for
    // the old ones must not reach them.
    reset() {
      postponed.clear();
      held.clear();
      queryLag.clear();
    },
  };
}

// What a buyer can do at the cashier, with or without a browser: pay, try to pay without enough
// balance, or cancel. Shared by the cashier page and `POST /_sim/buyer/pay`.
import type { Engine } from '../engine/engine.ts';
import type { Trade } from '../engine/types.ts';

export type BuyerAction = 'pay' | 'insufficient' | 'cancel';

export type BuyerOutcome =
  | { kind: 'paid'; trade: Trade }
  | { kind: 'insufficient'; trade: Trade }
  | { kind: 'cancelled'; trade: Trade }
  | { kind: 'abandoned'; trade: Trade }
  | { kind: 'notPayable'; trade: Trade; reason: 'already_paid' | 'closed' | 'expired' };

export const buyerActions: readonly BuyerAction[] = ['pay', 'insufficient', 'cancel'];

/** Another open trade for the same purchase (same amount and subject, any channel) opened within this window. */
const samePurchaseWindowMs = 60 * 60_000;

export async function buyerActs(engine: Engine, trade: Trade, action: BuyerAction): Promise<BuyerOutcome> {
  const visible = await engine.trades.makeVisible(trade);
  engine.events.emit({ type: 'buyer.acted', atMs: engine.clock.now(), channel: trade.channel, outTradeNo: trade.outTradeNo, action });
  const faults = action === 'pay'
    ? engine.faults.fire({ layer: 'buyer', channel: trade.channel, apis: ['buyer'], outTradeNo: trade.outTradeNo, amountFen: trade.amountFen, subject: trade.subject }).map((firing) => firing.fault.type)
    : [];
  if (faults.includes('abandon')) return { kind: 'abandoned', trade: visible };
  if (faults.includes('pay_after_expiry') && action === 'pay') {
    // The buyer's payment slips through although the trade expired or was closed.
    const outcome = await engine.trades.pay(visible.key, { allowExpired: true, allowClosed: true });
    if (outcome.kind === 'paid') return { kind: 'paid', trade: outcome.trade };
  }
  if (faults.includes('pay_twice') && action === 'pay' && visible.state.kind === 'waiting') {
    // The buyer also pays the other open attempts at the same purchase (another tab, another QR code).
    const others = engine.trades.all().filter((other) =>
      other.key !== visible.key && other.state.kind === 'waiting' &&
      other.amountFen === visible.amountFen && other.subject === visible.subject && Math.abs(other.createdAtMs - visible.createdAtMs) <= samePurchaseWindowMs);
    for (const other of others) await engine.trades.pay(other.key, { allowExpired: true });
  }
  if (visible.state.kind !== 'waiting') {
    return { kind: 'notPayable', trade: visible, reason: visible.state.kind === 'closed' && visible.state.paidAtMs === undefined ? 'closed' : 'already_paid' };
  }
  switch (action) {
    case 'insufficient':
      return { kind: 'insufficient', trade: (await engine.trades.notePayFailure(visible.key)) ?? visible };
    case 'cancel':
      return { kind: 'cancelled', trade: visible };
    case 'pay': {
      const outcome = await engine.trades.pay(visible.key);
      if (outcome.kind === 'paid') return { kind: 'paid', trade: outcome.trade };
      if (outcome.kind === 'expired') return { kind: 'notPayable', trade: outcome.trade, reason: 'expired' };
      if (outcome.kind === 'notWaiting') return { kind: 'notPayable', trade: outcome.trade, reason: 'already_paid' };
      throw new Error(`trade ${visible.key} vanished while the buyer paid`);
    }
  }
}

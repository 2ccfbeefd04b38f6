// The provider under verification: the real simulator (createSimulator, port 0, fixture keys) on
// virtual time, and the few moves the provider states need, all through the engine's public API
// (apps, trades, refunds, faults): nothing is written to the store directly.
import { yuanToFen } from '../../../lib/money.ts';
import type { Refund, Trade } from '../../../simulator/engine/types.ts';
import { startSimulator, type RunningSimulator } from '../../../test/support/simulator.ts';
import { contractAppId } from '../../support/participants.ts';

/**
 * Virtual time starts at 2025-12-31 20:00 Beijing: the bill state can still put a payment on
 * 2025-12-31 and then let that day end, and the consumer's time_expire (2026-01-01 12:00) is ahead.
 */
export const providerStartMs = Date.parse('2025-12-31T20:00:00+08:00');

/** A paid trade finishes (TRADE_FINISHED) this long after payment, so that state needs one hour of virtual time, not 90 days. */
export const contractRefundWindowMs = 60 * 60_000;

export async function startContractSimulator(): Promise<RunningSimulator> {
  const running = await startSimulator({ startMs: providerStartMs, engine: { refundWindowMs: contractRefundWindowMs } });
  if (running.appId !== contractAppId) throw new Error(`the simulator's default app is ${running.appId}, the contracts name ${contractAppId}`);
  return running;
}

export interface TradeSetup {
  readonly outTradeNo: string;
  /** Yuan, as the state sentence says it. */
  readonly amount: string;
  readonly notifyUrl?: string;
}

/** Moves on the simulator, each one a step a buyer, the channel or the merchant takes. */
export function providerMoves(running: RunningSimulator) {
  const { engine } = running.sim;

  async function createTrade(setup: TradeSetup): Promise<Trade> {
    const outcome = await engine.trades.create({
      channel: 'alipay',
      appId: running.appId,
      outTradeNo: setup.outTradeNo,
      product: 'precreate',
      amountFen: yuanToFen(setup.amount),
      subject: 'paysim contract trade',
      // The buyer has scanned the code: the trade is visible to queries.
      visible: true,
      ...(setup.notifyUrl ? { notifyUrl: setup.notifyUrl } : {}),
    });
    if (outcome.kind !== 'created') throw new Error(`state set-up: trade ${setup.outTradeNo} was not created (${outcome.kind})`);
    return outcome.trade;
  }

  async function payTrade(setup: TradeSetup): Promise<Trade> {
    const trade = await createTrade(setup);
    const paid = await engine.trades.pay(trade.key);
    if (paid.kind !== 'paid') throw new Error(`state set-up: trade ${setup.outTradeNo} could not be paid (${paid.kind})`);
    return paid.trade;
  }

  async function requestRefund(trade: Trade, outRequestNo: string, amount: string): Promise<Refund> {
    const outcome = await engine.refunds.request({ tradeKey: trade.key, outRequestNo, amountFen: yuanToFen(amount) });
    if (outcome.kind !== 'accepted') throw new Error(`state set-up: refund ${outRequestNo} was not accepted (${outcome.kind})`);
    return outcome.refund;
  }

  async function completeRefund(refund: Refund): Promise<void> {
    const completed = await engine.refunds.complete(refund.key);
    if (completed?.state.kind !== 'succeeded') throw new Error(`state set-up: refund ${refund.outRequestNo} did not succeed (${completed?.state.kind})`);
  }

  /** Every interaction starts from a channel with no trades, no refunds, no notifications and no faults. */
  async function forgetEverything(): Promise<void> {
    await engine.reset();
    engine.faults.clear();
  }

  return { engine, clock: running.clock, createTrade, payTrade, requestRefund, completeRefund, forgetEverything };
}

export type ProviderMoves = ReturnType<typeof providerMoves>;

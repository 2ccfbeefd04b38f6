// A day's bill is built from the engine's own records: every payment made and every refund that
// succeeded on that Beijing day. Channel dialects render these in their own file formats.
import { beijingDayStart, parseBeijingDateTime } from '../../lib/time-format.ts';
import type { Refund, Trade } from './types.ts';

export interface BillRecords {
  readonly dayStartMs: number;
  readonly dayEndMs: number;
  readonly payments: readonly Trade[];
  readonly refunds: readonly Refund[];
}

/** Payments and refunds of one app on one Beijing day (`yyyy-MM-dd`). */
export function billRecords(trades: readonly Trade[], refunds: readonly Refund[], billDate: string): BillRecords {
  const dayStartMs = parseBeijingDateTime(billDate);
  if (dayStartMs === undefined) throw new RangeError(`bill date "${billDate}" is not a yyyy-MM-dd date`);
  const dayEndMs = dayStartMs + 86_400_000;
  const within = (atMs: number | undefined) => atMs !== undefined && atMs >= dayStartMs && atMs < dayEndMs;
  const paidAtMs = (trade: Trade) => ('paidAtMs' in trade.state ? trade.state.paidAtMs : undefined);
  return {
    dayStartMs,
    dayEndMs,
    payments: trades.filter((trade) => within(paidAtMs(trade))).sort((a, b) => paidAtMs(a)! - paidAtMs(b)!),
    refunds: refunds
      .filter((refund) => refund.state.kind === 'succeeded' && within(refund.state.succeededAtMs))
      .sort((a, b) => succeededAt(a) - succeededAt(b)),
  };
}

function succeededAt(refund: Refund): number {
  return refund.state.kind === 'succeeded' ? refund.state.succeededAtMs : 0;
}

/** True when the bill of that day can be asked for: the day has ended (T+1). */
export function billDayOver(billDate: string, nowMs: number): boolean {
  const dayStartMs = parseBeijingDateTime(billDate);
  return dayStartMs !== undefined && beijingDayStart(nowMs) > dayStartMs;
}

// The engine's configuration: one typed object, defaults in one place, decoded strictly (engineSchema).
// Knobs whose real behaviour is uncertain (marked [M]/[L] in the protocol notes) are switches here;
// a channel's own timings (trade lifetime, refund window) are its dialect's defaults.
import { boolean, integer, object, type Schema } from '../../lib/config-schema.ts';

export interface EngineConfig {
  /** Delay between a refund being accepted and it completing at the channel. */
  refundDelayMs: number;
  /** Trade lifetime when the request gives none; absent, the channel's own (Alipay: 15 days). */
  defaultTradeLifetimeMs?: number;
  /** After this long a paid trade is FINISHED and no longer refundable; absent, the channel's own (Alipay: 3 months). */
  refundWindowMs?: number;
  /** Send a TRADE_CLOSED notification when an unpaid trade that the buyer saw expires. [H] */
  notifyOnExpiredClose: boolean;
  /** Send a TRADE_CLOSED notification when the merchant closes or cancels a trade the buyer saw. [H] */
  notifyOnMerchantClose: boolean;
  /** Send a notification when a refund (partial or full) succeeds. [M/L] */
  notifyOnRefund: boolean;
  /** Send a TRADE_FINISHED notification when the refund window ends. */
  notifyOnFinished: boolean;
  /** How long a barcode payment stays USERPAYING before the buyer confirms. */
  barcodeUserPayingMs: number;
  /** Timeout of one notification HTTP attempt, in real milliseconds. */
  notifyAttemptTimeoutMs: number;
  /** Page/QR trades exist at the channel only once the buyer opens the cashier or scans. [H] */
  invisibleUntilOpened: boolean;
  limits: {
    tradesMax: number;
    refundsPerTradeMax: number;
    notificationsMax: number;
    journalEntriesMax: number;
  };
}

export const defaultEngineConfig: EngineConfig = {
  refundDelayMs: 3_000,
  notifyOnExpiredClose: true,
  notifyOnMerchantClose: true,
  notifyOnRefund: true,
  notifyOnFinished: true,
  barcodeUserPayingMs: 10_000,
  notifyAttemptTimeoutMs: 15_000,
  invisibleUntilOpened: true,
  limits: {
    tradesMax: 1_000_000,
    refundsPerTradeMax: 50,
    notificationsMax: 2_000_000,
    journalEntriesMax: 10_000,
  },
};

const dayMs = 24 * 60 * 60 * 1000;
const yearMs = 365 * dayMs;

/** What `engine` in the simulator's options may hold: every key, with its kind and range. */
export const engineSchema: Schema = {
  refundDelayMs: integer(0, yearMs, 'ms'),
  defaultTradeLifetimeMs: integer(1, 10 * yearMs, 'ms'),
  refundWindowMs: integer(1, 10 * yearMs, 'ms'),
  notifyOnExpiredClose: boolean,
  notifyOnMerchantClose: boolean,
  notifyOnRefund: boolean,
  notifyOnFinished: boolean,
  barcodeUserPayingMs: integer(0, dayMs, 'ms'),
  notifyAttemptTimeoutMs: integer(1, 10 * 60_000, 'real ms'),
  invisibleUntilOpened: boolean,
  limits: object({
    tradesMax: integer(1, 100_000_000),
    refundsPerTradeMax: integer(1, 10_000),
    notificationsMax: integer(1, 200_000_000),
    journalEntriesMax: integer(1, 10_000_000),
  }),
};

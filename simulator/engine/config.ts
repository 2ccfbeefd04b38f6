// The engine's configuration: one typed object, defaults in one place. Channel-specific knobs whose
// real behaviour is uncertain (marked [M]/[L] in the protocol notes) are switches here.

export interface EngineConfig {
  /** Delay between a refund being accepted and it completing at the channel. */
  refundDelayMs: number;
  /** Default trade lifetime when the request gives none (Alipay: 15 days). */
  defaultTradeLifetimeMs: number;
  /** After this long a paid trade becomes FINISHED and can no longer be refunded (Alipay: 3 months). */
  refundWindowMs: number;
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
  defaultTradeLifetimeMs: 15 * 24 * 60 * 60 * 1000,
  refundWindowMs: 90 * 24 * 60 * 60 * 1000,
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

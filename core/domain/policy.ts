// Every number the domain's rules depend on, with its default and its reason, in one place. The
// services layer builds one `DomainPolicy` at start (from config) and hands each function its slice.

const secondMs = 1000;
const minuteMs = 60 * secondMs;
const hourMs = 60 * minuteMs;

export interface OrderPolicy {
  /** Business order numbers: letters, digits, `_` and `-`, at most this long. */
  readonly outOrderNoLengthMax: number;
  /** WeChat's `description` is string(127), the stricter of the two channels. */
  readonly subjectLengthMax: number;
  readonly expireInSecMin: number;
  readonly expireInSecMax: number;
  readonly expireInSecDefault: number;
  /** A buyer who switches method creates a new payment; more than this is a runaway client. */
  readonly paymentsPerOrderMax: number;
  readonly itemsMax: number;
}

export interface PaymentPolicy {
  /**
   * The payment expires this long before its order, so the channel stops taking money before the
   * core closes the order: clock skew between the two and the close call itself fit in the gap.
   */
  readonly expirySafetyMarginMs: number;
  /** The shortest payment lifetime worth sending to a channel (Alipay `time_expire` starts at 1m). */
  readonly channelExpiryMinMs: number;
  /**
   * How far the channel's clock may run behind ours. "No such trade" (a QR code or pay URL the buyer has
   * not opened) settles a payment as closed only this long after its expiry, when the channel surely
   * refuses to create it. Well under `expirySafetyMarginMs`, so an order's expiry close never waits for it.
   */
  readonly channelClockSkewMs: number;
  /** Active-query schedule for outcomes we do not know: query every `everyMs` while younger than `untilAgeMs`. */
  readonly querySteps: readonly QueryStep[];
  /**
   * After a payment is closed, ask the channel again at each of these ages of the close (ms, growing):
   * a success that still happened there, whose every notify was lost, is then found and refunded.
   * Empty turns the checks off.
   */
  readonly closedCheckAfterMs: readonly number[];
}

export interface QueryStep {
  readonly untilAgeMs: number;
  readonly everyMs: number;
}

export interface RefundPolicy {
  readonly outRefundNoLengthMax: number;
  /** WeChat's `reason` is at most 80 characters. */
  readonly reasonLengthMax: number;
  /** WeChat allows at most 50 partial refunds per payment. */
  readonly refundsPerPaymentMax: number;
  readonly pollFirstDelayMs: number;
  readonly pollDelayMaxMs: number;
  /** A refund still PROCESSING after this long is reported by the timeliness check (never auto-closed). */
  readonly processingSlaMs: number;
}

export interface NotificationPolicy {
  /** Delay before retry n (1-based) after a failed attempt; when they run out, the manual queue. */
  readonly retryDelaysMs: readonly number[];
}

export interface CheckPolicy {
  /** An unpaid order still open this long after its expiry was not closed in time. */
  readonly unpaidCloseGraceMs: number;
  /** Scheduled work (a query, a notification attempt) this late means its scheduler is not running. */
  readonly overdueGraceMs: number;
  /** A fee above this is a configuration mistake (6% typed for 0.6%), not a contract. */
  readonly feeBasisPointsMax: number;
}

export interface DomainPolicy {
  readonly order: OrderPolicy;
  readonly payment: PaymentPolicy;
  readonly refund: RefundPolicy;
  readonly notification: NotificationPolicy;
  readonly checks: CheckPolicy;
}

export const defaultDomainPolicy: DomainPolicy = {
  order: {
    outOrderNoLengthMax: 64,
    subjectLengthMax: 127,
    expireInSecMin: 120,
    expireInSecMax: 24 * 60 * 60,
    expireInSecDefault: 30 * 60,
    paymentsPerOrderMax: 10,
    itemsMax: 100,
  },
  payment: {
    expirySafetyMarginMs: minuteMs,
    channelExpiryMinMs: minuteMs,
    channelClockSkewMs: 5 * secondMs,
    // Slows with age: every minute for 10 minutes, every 10 minutes up to an hour, hourly up to a
    // day; then the payment is flagged for a person, never assumed failed.
    querySteps: [
      { untilAgeMs: 10 * minuteMs, everyMs: minuteMs },
      { untilAgeMs: hourMs, everyMs: 10 * minuteMs },
      { untilAgeMs: 24 * hourMs, everyMs: hourMs },
    ],
    // A success racing the close lands within seconds; a channel's late bookkeeping within hours.
    closedCheckAfterMs: [10 * minuteMs, 2 * hourMs],
  },
  refund: {
    outRefundNoLengthMax: 64,
    reasonLengthMax: 80,
    refundsPerPaymentMax: 50,
    pollFirstDelayMs: minuteMs,
    pollDelayMaxMs: hourMs,
    processingSlaMs: 24 * hourMs,
  },
  notification: {
    // WeChat Pay's own merchant schedule: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h.
    retryDelaysMs: [
      15 * secondMs, 15 * secondMs, 30 * secondMs, 3 * minuteMs, 10 * minuteMs, 20 * minuteMs,
      30 * minuteMs, 30 * minuteMs, 30 * minuteMs, hourMs, 3 * hourMs, 3 * hourMs, 3 * hourMs,
      6 * hourMs, 6 * hourMs,
    ],
  },
  checks: {
    unpaidCloseGraceMs: 5 * minuteMs,
    overdueGraceMs: 5 * minuteMs,
    feeBasisPointsMax: 100,
  },
};

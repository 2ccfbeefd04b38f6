// A fault rule is data: `match` (which exchanges) + `fault` (what goes wrong, a discriminated union)
// + `timesMax`. The same shape comes from the control API, `--faults FILE`, scenario files and the
// per-request header, and is decoded strictly here: an unknown field or value is an error naming it.
import type { ChannelName } from '../engine/types.ts';

export type DelayDistribution =
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number };

export type Fault =
  // transport
  | { readonly type: 'delay'; readonly ms?: number; readonly distribution?: DelayDistribution }
  | { readonly type: 'hang' }
  | { readonly type: 'reset' }
  | { readonly type: 'http_error'; readonly status: number }
  | { readonly type: 'malformed_body' }
  | { readonly type: 'response_lost' }
  // protocol
  /** `probe`: the channel's deliberate probe signature (WeChat Pay `WECHATPAY/SIGNTEST/…`) where it has one. */
  | { readonly type: 'bad_signature'; readonly probe?: boolean }
  | { readonly type: 'business_error'; readonly code: string; readonly subCode?: string; readonly message?: string }
  | { readonly type: 'rate_limit' }
  // notify
  | { readonly type: 'drop' }
  | { readonly type: 'notify_delay'; readonly ms: number }
  | { readonly type: 'duplicate'; readonly copies: number }
  | { readonly type: 'reorder' }
  | { readonly type: 'tamper_amount'; readonly amount: string }
  /** The notification names another merchant: app id (and seller, given `sellerId`) replaced, validly signed. */
  | { readonly type: 'tamper_identity'; readonly appId?: string; readonly sellerId?: string }
  | { readonly type: 'forge_signature'; readonly probe?: boolean }
  | { readonly type: 'late_success'; readonly ms?: number }
  | { readonly type: 'early_notify'; readonly ms?: number }
  // refund
  | { readonly type: 'refund_stuck'; readonly ms: number }
  | { readonly type: 'refund_fail'; readonly reason?: string }
  | { readonly type: 'refund_after_queries'; readonly queries: number }
  // bill
  | { readonly type: 'bill_missing_row' }
  | { readonly type: 'bill_extra_row' }
  | { readonly type: 'bill_amount_mismatch'; readonly amount: string }
  | { readonly type: 'bill_status_mismatch' }
  | { readonly type: 'bill_duplicate_row' }
  | { readonly type: 'bill_not_ready' }
  | { readonly type: 'bill_corrupt' }
  // buyer
  | { readonly type: 'pay_after_expiry' }
  | { readonly type: 'pay_twice' }
  | { readonly type: 'abandon' };

export type FaultType = Fault['type'];

export interface FaultMatch {
  readonly channel?: ChannelName;
  /** A protocol method or path (`alipay.trade.refund`, `POST /v3/pay/transactions/native`), or notify, refund, bill, buyer. */
  readonly api?: string;
  /** Regular expressions over the merchant's numbers. */
  readonly outTradeNo?: string;
  readonly outRequestNo?: string;
  /** Which notifications: trade_paid, trade_closed, trade_finished, refund_succeeded, refund_failed. */
  readonly notifyKind?: string;
  /** Fire only on the nth exchange that matches everything else (1-based). */
  readonly nth?: number;
  /** Fire with this probability, drawn from the seeded random source. */
  readonly probability?: number;
}

export interface FaultRule {
  readonly match: FaultMatch;
  readonly fault: Fault;
  /** Fire at most this many times; absent = no limit. */
  readonly timesMax?: number;
}

/** The kind of exchange a fault acts on. */
export type FaultLayer = 'gateway' | 'notify' | 'trade' | 'refund' | 'bill' | 'buyer';

/** Which exchanges each fault type can change: the `api` it applies to when a rule names none. */
export const faultLayer: Record<FaultType, FaultLayer> = {
  delay: 'gateway', hang: 'gateway', reset: 'gateway', http_error: 'gateway', malformed_body: 'gateway', response_lost: 'gateway',
  bad_signature: 'gateway', business_error: 'gateway', rate_limit: 'gateway',
  drop: 'notify', notify_delay: 'notify', duplicate: 'notify', reorder: 'notify', tamper_amount: 'notify', tamper_identity: 'notify', forge_signature: 'notify',
  // Grouped with notify faults on the surface (match.api "notify"); they act on the trade's timeline.
  late_success: 'trade', early_notify: 'trade',
  refund_stuck: 'refund', refund_fail: 'refund', refund_after_queries: 'refund',
  bill_missing_row: 'bill', bill_extra_row: 'bill', bill_amount_mismatch: 'bill', bill_status_mismatch: 'bill', bill_duplicate_row: 'bill',
  bill_not_ready: 'bill', bill_corrupt: 'bill',
  pay_after_expiry: 'buyer', pay_twice: 'buyer', abandon: 'buyer',
};

export const faultTypes = Object.keys(faultLayer) as FaultType[];
export const notifyKinds = ['trade_paid', 'trade_closed', 'trade_finished', 'refund_succeeded', 'refund_failed'] as const;

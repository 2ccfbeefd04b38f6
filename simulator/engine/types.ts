// Channel-neutral records of the simulated channel. Dialects (simulator/channels/*) map these to their
// own wire names; the engine never knows a channel's status strings or field names.

/**
 * A channel's name, as its module registers it (`alipay`, `wechatpay`, …). The engine knows no channel:
 * the list of channels is the simulator's module list (simulator/channels/modules.ts).
 */
export type ChannelName = string;

export interface App {
  readonly channel: ChannelName;
  /** The merchant's id at the channel (Alipay app_id, WeChat Pay mchid), in the dialect's shape. */
  readonly appId: string;
  /** Seller/merchant account at the channel (Alipay: 2088… PID), drawn by the dialect. */
  readonly sellerId: string;
  readonly sellerEmail: string;
  readonly name: string;
  /** The merchant's public key: verifies the merchant's requests. */
  readonly merchantPublicKeyPem: string;
  /** The channel's key pair for this app: signs responses and notifications. */
  readonly channelPrivateKeyPem: string;
  readonly channelPublicKeyPem: string;
  readonly createdAtMs: number;
  /**
   * What else the channel keeps for the app, by its own names (WeChat Pay: APIv3 key, merchant
   * certificate serial, platform certificate, public key id and its key pair). The engine never reads it.
   */
  readonly channelData?: Readonly<Record<string, string>>;
}

/**
 * What kind of checkout created the trade (Alipay: page, wap, precreate, create, barcode); the dialect's
 * own names, which it reads back to decide how the trade is shown and paid.
 */
export type TradeProduct = string;

export type TradeState =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'paid'; readonly paidAtMs: number }
  | { readonly kind: 'closed'; readonly closedAtMs: number; readonly reason: CloseReason; readonly paidAtMs?: number }
  | { readonly kind: 'finished'; readonly paidAtMs: number; readonly finishedAtMs: number };

export type CloseReason = 'merchant_close' | 'cancel' | 'expired' | 'refunded';

export interface Buyer {
  readonly id: string;
  readonly logonId: string;
  readonly name: string;
}

export interface Trade {
  readonly key: string;
  readonly channel: ChannelName;
  readonly appId: string;
  readonly outTradeNo: string;
  readonly tradeNo: string;
  readonly product: TradeProduct;
  readonly amountFen: number;
  readonly subject: string;
  readonly body?: string;
  readonly state: TradeState;
  readonly createdAtMs: number;
  /** When the buyer opened the cashier or scanned the code; until then the trade is not queryable. */
  readonly visibleAtMs?: number;
  readonly expiresAtMs: number;
  readonly buyer?: Buyer;
  readonly notifyUrl?: string;
  readonly returnUrl?: string;
  readonly quitUrl?: string;
  readonly cashierToken: string;
  /** Cumulative fen of refunds accepted (processing or succeeded). */
  readonly refundAcceptedFen: number;
  /** Cumulative fen of refunds that succeeded. */
  readonly refundedFen: number;
  /** The buyer's last attempt to pay failed (insufficient balance) at this time; a later payment may still succeed. */
  readonly payFailedAtMs?: number;
  /** A barcode payment the buyer is still confirming (USERPAYING) completes at this time. */
  readonly buyerConfirmsAtMs?: number;
  /** Request fields echoed back by the dialect (passback_params, store_id …). */
  readonly echo: Readonly<Record<string, string>>;
}

export type RefundState =
  | { readonly kind: 'processing' }
  | { readonly kind: 'succeeded'; readonly succeededAtMs: number }
  | { readonly kind: 'failed'; readonly failedAtMs: number; readonly reason: string };

export interface Refund {
  readonly key: string;
  readonly tradeKey: string;
  readonly channel: ChannelName;
  readonly appId: string;
  readonly outTradeNo: string;
  readonly tradeNo: string;
  readonly outRequestNo: string;
  readonly refundNo: string;
  readonly amountFen: number;
  readonly reason?: string;
  /** Where its outcome is notified, when the refund request named a place (else the trade's notify URL). */
  readonly notifyUrl?: string;
  readonly state: RefundState;
  readonly createdAtMs: number;
  readonly completesAtMs: number;
  /** Queries seen for this refund (a fault can make success wait for N queries). */
  readonly queryCount: number;
  /** Set by a fault: the refund completes only once it has been queried this many times. */
  readonly succeedAfterQueries?: number;
  /** Set by a fault: the refund will fail with this reason instead of succeeding. */
  readonly plannedFailure?: string;
}

export type NotificationKind = 'trade_paid' | 'trade_closed' | 'trade_finished' | 'refund_succeeded' | 'refund_failed';

export interface NotificationAttempt {
  readonly atMs: number;
  readonly status?: number;
  readonly responseBody?: string;
  readonly error?: string;
  readonly acknowledged: boolean;
  /** An attempt outside the schedule (a duplicate or a delayed copy injected by a fault). */
  readonly extra?: boolean;
  /** Sent by hand (POST /_sim/notifications/:id/resend), outside the schedule. */
  readonly resent?: boolean;
}

export type NotificationState = 'pending' | 'acknowledged' | 'exhausted';

export interface Notification {
  readonly id: string;
  readonly channel: ChannelName;
  readonly appId: string;
  readonly kind: NotificationKind;
  readonly tradeKey: string;
  readonly refundKey?: string;
  readonly url: string;
  /** The business fields, fixed when the event happened; each attempt adds its own time and signature. */
  readonly fields: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
  readonly state: NotificationState;
  readonly attempts: readonly NotificationAttempt[];
  readonly nextAttemptAtMs?: number;
}

export function tradeKeyOf(channel: ChannelName, appId: string, outTradeNo: string): string {
  return `${channel}:${appId}:${outTradeNo}`;
}

/** The out_trade_no a notification is about (the last part of its trade key). */
export function outTradeNoOf(notification: Pick<Notification, 'channel' | 'appId' | 'tradeKey'>): string {
  return notification.tradeKey.slice(notification.channel.length + notification.appId.length + 2);
}

export function refundKeyOf(tradeKey: string, outRequestNo: string): string {
  return `${tradeKey}:${outRequestNo}`;
}

export function isPaid(trade: Trade): boolean {
  return trade.state.kind === 'paid' || trade.state.kind === 'finished' || (trade.state.kind === 'closed' && trade.state.paidAtMs !== undefined);
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

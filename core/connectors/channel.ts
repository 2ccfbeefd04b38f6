// The one interface the core's services see of a payment channel. Each connector implements it on top
// of the channel's official SDK; services never see wire names, yuan strings or signatures.
//
// Three kinds of failure, three treatments: a definite answer from the channel is a returned value; a
// transport failure (timeout, reset, 5xx, unparseable or unverifiable answer) throws
// ChannelUnavailableError and means "outcome unknown", never "failed"; a bug is an assertion.
import type { ChannelName, PayMethod } from '../domain/routing.ts';

export class ChannelUnavailableError extends Error {
  constructor(
    readonly channel: ChannelName,
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`${channel} ${operation}: outcome unknown (${reason})`);
  }
}

export interface CreatePaymentRequest {
  /** Our payment number: the out_trade_no the channel sees. */
  readonly paymentNo: string;
  readonly method: PayMethod;
  readonly amountFen: number;
  readonly subject: string;
  /** The channel must stop accepting payment at this instant (derived from the order's expiry). */
  readonly expiresAtMs: number;
  readonly notifyUrl: string;
  readonly returnUrl?: string;
  readonly quitUrl?: string;
  /** The address the pay request came from: WeChat Pay H5 requires the payer's IP (scene_info.payer_client_ip). */
  readonly payerClientIp?: string;
}

export type CreatePaymentResult =
  | { readonly kind: 'created'; readonly payUrl?: string; readonly qrCode?: string }
  /** The channel refused definitively (already paid, closed, inconsistent …): nothing was created. */
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

/** What the channel says about a payment, in the core's terms. */
export type ChannelPaymentStatus =
  | { readonly kind: 'notFound' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'paid'; readonly channelTradeNo: string; readonly amountFen: number; readonly paidAtMs?: number; readonly buyerId?: string }
  /** Closed at the channel; `wasPaid` when it closed because it was fully refunded. */
  | { readonly kind: 'closed'; readonly wasPaid: boolean; readonly channelTradeNo?: string; readonly amountFen?: number }
  /** A status string this core does not know: never guessed at. */
  | { readonly kind: 'unrecognized'; readonly raw: string };

export type ClosePaymentResult =
  | { readonly kind: 'closed' }
  /** The channel has no such trade (e.g. the buyer never opened the cashier). */
  | { readonly kind: 'notFound' }
  | { readonly kind: 'alreadyPaid' }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

export interface RefundRequest {
  readonly paymentNo: string;
  /** Our refund number: the out_request_no the channel sees. */
  readonly refundNo: string;
  readonly amountFen: number;
  readonly reason?: string;
  /** The payment's whole amount: WeChat Pay wants it beside the refund (amount.total). */
  readonly paymentAmountFen?: number;
  /** Where the channel notifies the refund's outcome (WeChat Pay takes it per refund; Alipay uses the payment's). */
  readonly notifyUrl?: string;
}

export type RefundResult =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

export type ChannelRefundStatus =
  | { readonly kind: 'succeeded'; readonly amountFen: number; readonly succeededAtMs?: number }
  | { readonly kind: 'processing' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'notFound' };

/** A verified notification, in the core's terms. */
export type ChannelNotification =
  | {
      readonly kind: 'payment';
      readonly paymentNo: string;
      readonly channelTradeNo: string;
      readonly status: ChannelPaymentStatus;
      /** Identity claimed by the notification: checked against our configuration. */
      readonly appId: string;
      readonly sellerId?: string;
      readonly amountFen: number;
      readonly notificationId: string;
    }
  | {
      readonly kind: 'refund';
      readonly paymentNo: string;
      readonly refundNo: string;
      readonly appId: string;
      readonly sellerId?: string;
      readonly refundedTotalFen: number;
      readonly notificationId: string;
    }
  /** Not verifiable (bad signature, malformed): it changes nothing, but it is a reason to query. */
  | { readonly kind: 'invalid'; readonly reason: string; readonly paymentNo?: string };

/** A notification as it arrived: the connector verifies it (a channel may sign headers, time and body). */
export interface IncomingNotification {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as received: the signature covers these bytes. */
  readonly rawBody: string;
  /**
   * When the core received it, on the injected clock. A channel whose signed timestamp follows real time
   * (WeChat Pay: its servers' clock, which the SDK also compares with Date.now()) checks it against its
   * own wall clock instead (core/connectors/wechatpay/options.ts `wallClock`).
   */
  readonly receivedAtMs: number;
}

/** How the core answers a notification on the channel's wire. */
export interface NotifyWireReply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/**
 * What the core decided about a notification: `acknowledged` (state durable, stop resending),
 * `rejected` (it does not check out) or `unconfirmed` (try again later). Only the first stops the channel.
 */
export type NotifyVerdict = 'acknowledged' | 'rejected' | 'unconfirmed';

export type BillDownload =
  | { readonly kind: 'ready'; readonly file: Buffer; readonly fileName: string }
  | { readonly kind: 'notReady' }
  | { readonly kind: 'empty' };

export interface Channel {
  readonly name: ChannelName;
  /** The identity notifications must claim: app id and, where the channel has one, seller id. */
  readonly appId: string;
  readonly sellerId?: string;
  createPayment(request: CreatePaymentRequest): Promise<CreatePaymentResult>;
  queryPayment(paymentNo: string): Promise<ChannelPaymentStatus>;
  closePayment(paymentNo: string): Promise<ClosePaymentResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
  queryRefund(paymentNo: string, refundNo: string): Promise<ChannelRefundStatus>;
  /** Verifies and decodes a notification; resolves `invalid` for bad input, never rejects for it. */
  verifyNotification(incoming: IncomingNotification): Promise<ChannelNotification>;
  /** The channel's own answer for a verdict: Alipay wants exactly `success`, anything else makes it resend. */
  notifyReply(verdict: NotifyVerdict): NotifyWireReply;
  /** The payment a buyer's sync return names, from the channel's return parameters: a hint to query, never proof. */
  paymentNoOfReturn(params: Readonly<Record<string, string>>): string | undefined;
  /** The day's bill file (Beijing date yyyy-MM-dd). */
  downloadBill(billDate: string): Promise<BillDownload>;
  /**
   * The file's rows in the core's terms, streamed in batches, in file order: reconciliation sees only
   * these, never the channel's format. Throws BillFormatError when the file cannot be read (corrupt zip,
   * unknown layout).
   */
  readBill(file: Buffer): AsyncIterable<readonly BillRow[]>;
}

/** One row of a channel's bill, normalised. Amounts are positive fen; the kind says which way money went. */
export interface BillRow {
  readonly kind: 'payment' | 'refund';
  /** Our payment number (the channel's out_trade_no). */
  readonly paymentNo: string;
  /** Our refund number (Alipay out_request_no); refunds only. */
  readonly refundNo?: string;
  readonly channelTradeNo: string;
  readonly amountFen: number;
  /** The fee on this row: charged on a payment (positive), given back on a refund (negative or 0). */
  readonly feeFen: number;
  /** When the payment or refund completed at the channel. */
  readonly atMs: number;
  /**
   * Set when the row is not a completed payment or refund: a bill may list a refund still in flight or
   * failed when the file was made (WeChat Pay lists refunds on the day they were asked for, with their
   * status then), or a payment reversed since. Such a row moved no money as our books count it; it is
   * compared with the record's status instead.
   */
  readonly incomplete?: IncompleteRow;
}

export interface IncompleteRow {
  /** processing: a refund in flight; failed: a refund that failed; reversed: a payment revoked; unknown: a status we do not know. */
  readonly state: 'processing' | 'failed' | 'reversed' | 'unknown';
  /** The channel's own word for it (PROCESSING, ABNORMAL, REVOKED …), as the report shows it. */
  readonly channelStatus: string;
}

/** A bill file that cannot be read: the run fails, nothing is written but its reason. */
export class BillFormatError extends Error {
  override readonly name = 'BillFormatError';
}

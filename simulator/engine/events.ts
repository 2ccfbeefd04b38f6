// Typed lifecycle events of the simulated channel. The journal, logs, the dashboard and scenario
// timelines are listeners; nothing in the engine logs directly.
import type { ChannelName, NotificationKind } from './types.ts';

export interface HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: string;
}

export type SimEvent =
  | { type: 'trade.created'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string; tradeNo: string; amountFen: number }
  | { type: 'trade.visible'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string }
  | { type: 'trade.paid'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string; tradeNo: string; amountFen: number }
  | { type: 'trade.closed'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string; reason: string }
  | { type: 'refund.created'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string; outRequestNo: string; amountFen: number }
  | { type: 'refund.succeeded'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string; outRequestNo: string; amountFen: number }
  | { type: 'refund.failed'; atMs: number; channel: ChannelName; appId: string; outTradeNo: string; outRequestNo: string; reason: string }
  /** `outTradeNo` names the trade even where the body does not show it (WeChat Pay encrypts its resource). */
  | { type: 'notify.scheduled'; atMs: number; channel: ChannelName; notificationId: string; kind: NotificationKind; outTradeNo: string; dueAtMs: number }
  | { type: 'notify.attempted'; atMs: number; channel: ChannelName; notificationId: string; attempt: number; url: string; requestBody: string; status?: number; responseBody?: string; error?: string; acknowledged: boolean; resent?: boolean }
  | { type: 'notify.exhausted'; atMs: number; channel: ChannelName; notificationId: string }
  | { type: 'http.exchange'; atMs: number; channel: ChannelName | 'sim'; api: string; exchange: HttpExchange }
  | { type: 'buyer.acted'; atMs: number; channel: ChannelName; outTradeNo: string; action: string }
  | { type: 'fault.injected'; atMs: number; ruleId: string; faultType: string; channel?: ChannelName; api: string; detail?: string }
  /** An interceptor (fault injection) threw: its exchange was failed with a 500, not silently left unfaulted. */
  | { type: 'interceptor.failed'; atMs: number; interceptor: string; channel: ChannelName; api: string; error: string }
  | { type: 'sim.reset'; atMs: number };

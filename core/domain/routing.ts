// Payment routing: which channel takes a pay method, whether it is available now, and what it costs.
// The table is data (config), checked once at start; routing itself is a pure lookup.
import { assertFen, fenMax } from '../../lib/money.ts';
import { assert, assertNever } from './assert.ts';

/**
 * A pay method (`alipay.qr`, `wechatpay.native`, `balance` …). The methods are the routing table's keys:
 * the table below (the public surface's methods) plus those each connector module brings.
 */
export type PayMethod = string;

/** A channel's name, as its connector module names it; `balance` is the core's own stored value. */
export type ChannelName = string;

/** The methods of the default routing table, in order. */
export const payMethods: readonly PayMethod[] = ['alipay.page', 'alipay.wap', 'alipay.qr', 'wechatpay.native', 'wechatpay.h5', 'balance'];

/** A name a channel or method may have: lower-case words, dots between method parts. */
const channelNamePattern = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * How a fee in fractions of a fen becomes whole fen. The default is half up (四舍五入), the usual
 * reading of both channels' fee rules: 0.6% of 0.50 yuan = 0.3 fen → 0.00; of 0.84 yuan = 0.504 fen
 * → 0.01. The exact rule is contract-specific and not confirmed, so it is data, not code.
 */
export type FeeRounding = 'halfUp' | 'floor' | 'ceil';

export interface MethodRoute {
  readonly method: PayMethod;
  readonly channel: ChannelName;
  readonly enabled: boolean;
  /** Fee in basis points of the amount (60 = 0.60%). */
  readonly feeBasisPoints: number;
  readonly feeRounding: FeeRounding;
  readonly amountFenMin: number;
  readonly amountFenMax: number;
}

export type RoutingTable = Readonly<Record<PayMethod, MethodRoute>>;

export const channelRoute = (method: PayMethod, channel: ChannelName, feeBasisPoints: number): MethodRoute => ({
  method,
  channel,
  enabled: true,
  feeBasisPoints,
  feeRounding: 'halfUp',
  // Channels take at least 0.01 yuan: a 0-amount order never reaches one.
  amountFenMin: 1,
  amountFenMax: fenMax,
});

export const defaultRoutingTable = {
  'alipay.page': channelRoute('alipay.page', 'alipay', 60),
  'alipay.wap': channelRoute('alipay.wap', 'alipay', 60),
  'alipay.qr': channelRoute('alipay.qr', 'alipay', 60),
  'wechatpay.native': channelRoute('wechatpay.native', 'wechatpay', 60),
  'wechatpay.h5': channelRoute('wechatpay.h5', 'wechatpay', 60),
  balance: channelRoute('balance', 'balance', 0),
} as const satisfies RoutingTable;

export type RouteOutcome =
  | { readonly outcome: 'routed'; readonly route: MethodRoute; readonly feeFen: number }
  | { readonly outcome: 'unknownMethod'; readonly method: string; readonly known: readonly PayMethod[] }
  | { readonly outcome: 'disabled'; readonly method: PayMethod }
  | { readonly outcome: 'channelUnavailable'; readonly method: PayMethod; readonly channel: ChannelName }
  | { readonly outcome: 'amountOutOfRange'; readonly method: PayMethod; readonly amountFenMin: number; readonly amountFenMax: number };

/** Picks the route for `method`; `unavailableChannels` is the live view (e.g. an open circuit breaker). */
export function routePayment(
  method: string,
  amountFen: number,
  table: RoutingTable = defaultRoutingTable,
  unavailableChannels: ReadonlySet<ChannelName> = new Set(),
): RouteOutcome {
  assertFen(amountFen);
  const route = Object.hasOwn(table, method) ? table[method] : undefined;
  if (route === undefined) return { outcome: 'unknownMethod', method, known: Object.keys(table) };
  if (!route.enabled) return { outcome: 'disabled', method };
  if (unavailableChannels.has(route.channel)) return { outcome: 'channelUnavailable', method, channel: route.channel };
  if (amountFen < route.amountFenMin || amountFen > route.amountFenMax) {
    return { outcome: 'amountOutOfRange', method, amountFenMin: route.amountFenMin, amountFenMax: route.amountFenMax };
  }
  return { outcome: 'routed', route, feeFen: feeFen(amountFen, route.feeBasisPoints, route.feeRounding) };
}

/** `numerator / denominator` rounded to an integer by `rounding`, exactly (BigInt, no float). */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: FeeRounding): bigint {
  assert(numerator >= 0n && denominator > 0n, `cannot round ${numerator}/${denominator}`);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  switch (rounding) {
    case 'floor':
      return quotient;
    case 'ceil':
      return remainder === 0n ? quotient : quotient + 1n;
    case 'halfUp':
      return remainder * 2n >= denominator ? quotient + 1n : quotient;
    default:
      return assertNever(rounding, 'fee rounding');
  }
}

/** The channel fee for a payment of `amountFen`, in whole fen. */
export function feeFen(amountFen: number, basisPoints: number, rounding: FeeRounding = 'halfUp'): number {
  assertFen(amountFen);
  assert(amountFen >= 0, `fee of a negative amount ${amountFen}`);
  assert(Number.isInteger(basisPoints) && basisPoints >= 0 && basisPoints <= 10_000, `fee basis points ${basisPoints} outside 0..10000`);
  return Number(divideRounded(BigInt(amountFen) * BigInt(basisPoints), 10_000n, rounding));
}

/**
 * The part of the payment's fee a refund gives back, proportional to the amount refunded. It is
 * computed on cumulative amounts (share after this refund − share before it), so the shares of any
 * sequence of refunds add up to exactly the whole fee when the whole payment is refunded.
 */
export function refundFeeReturnFen(input: {
  readonly paymentAmountFen: number;
  readonly paymentFeeFen: number;
  readonly refundedBeforeFen: number;
  readonly refundFen: number;
}): number {
  const { paymentAmountFen, paymentFeeFen, refundedBeforeFen, refundFen } = input;
  for (const value of [paymentAmountFen, paymentFeeFen, refundedBeforeFen, refundFen]) assertFen(value);
  assert(paymentAmountFen > 0, 'a refund needs a payment with a positive amount');
  assert(paymentFeeFen >= 0 && paymentFeeFen <= paymentAmountFen, `fee ${paymentFeeFen} outside 0..${paymentAmountFen}`);
  assert(refundedBeforeFen >= 0 && refundFen > 0, 'refund amounts must be positive');
  assert(refundedBeforeFen + refundFen <= paymentAmountFen, 'refunds exceed the payment');
  const share = (refundedFen: number) =>
    divideRounded(BigInt(paymentFeeFen) * BigInt(refundedFen), BigInt(paymentAmountFen), 'halfUp');
  return Number(share(refundedBeforeFen + refundFen) - share(refundedBeforeFen));
}

/** Checks a routing table from config; a bad table fails loudly at start, never at pay time. */
export function validateRoutingTable(table: RoutingTable): string[] {
  const problems: string[] = [];
  for (const [method, route] of Object.entries(table)) {
    if (route === null || typeof route !== 'object') {
      problems.push(`routing entry ${method} must be a route object`);
      continue;
    }
    if (route.method !== method) problems.push(`routing entry ${method} names method ${route.method}`);
    if (typeof route.channel !== 'string' || !channelNamePattern.test(route.channel)) problems.push(`${method}: channel must be a channel name such as alipay, got ${JSON.stringify(route.channel)}`);
    if (!Number.isInteger(route.feeBasisPoints) || route.feeBasisPoints < 0 || route.feeBasisPoints > 10_000) {
      problems.push(`${method}: feeBasisPoints must be an integer 0..10000, got ${route.feeBasisPoints}`);
    }
    if (!['halfUp', 'floor', 'ceil'].includes(route.feeRounding)) problems.push(`${method}: unknown feeRounding ${route.feeRounding}`);
    if (!Number.isSafeInteger(route.amountFenMin) || route.amountFenMin < 1) problems.push(`${method}: amountFenMin must be at least 1 fen`);
    if (!Number.isSafeInteger(route.amountFenMax) || route.amountFenMax > fenMax || route.amountFenMax < route.amountFenMin) {
      problems.push(`${method}: amountFenMax must be between amountFenMin and ${fenMax}`);
    }
  }
  return problems;
}

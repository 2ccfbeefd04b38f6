// Builders for domain tests. They go through the real domain functions, so each test starts from a
// state the domain itself can reach.
import {
  applyChannelSuccess,
  createPayment,
  feeFen,
  markCalledOut,
  openOrder,
  startPaying,
  validateOrderRequest,
  type ChannelSuccessEvidence,
  type Order,
  type Payment,
} from '../../../core/domain/index.ts';

export const startMs = Date.UTC(2025, 11, 31, 16, 0, 0); // 2026-01-01 00:00 Beijing
export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;

export function expectOk<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

export function newOrder(amount = '88.80', options: { outOrderNo?: string; expireInSec?: number; nowMs?: number; orderNo?: string } = {}): Order {
  const check = validateOrderRequest({ outOrderNo: options.outOrderNo ?? 'BIZ-1', amount, subject: 'A cup of tea', expireInSec: options.expireInSec ?? 1800 });
  const opened = openOrder(undefined, expectOk(check).request, { orderNo: options.orderNo ?? 'O2026010100000000000001', nowMs: options.nowMs ?? startMs });
  if (opened.outcome !== 'created') throw new Error('expected a new order');
  return opened.order;
}

/** An order with a PENDING alipay payment on it. */
export function payingOrder(amount = '88.80', paymentNo = 'P2026010100000000000001', nowMs = startMs + minuteMs): { order: Order; payment: Payment } {
  return addPayment(newOrder(amount), paymentNo, nowMs);
}

export function addPayment(order: Order, paymentNo: string, nowMs: number, channel: 'alipay' | 'wechatpay' = 'alipay'): { order: Order; payment: Payment } {
  const paying = expectOk(startPaying(order, paymentNo, nowMs));
  const created = expectOk(
    createPayment({
      paymentNo,
      order: paying.order,
      channel,
      method: channel === 'alipay' ? 'alipay.qr' : 'wechatpay.native',
      feeFen: feeFen(paying.order.amountFen, 60),
      appId: channel === 'alipay' ? '2021000000000001' : 'wx0000000000000001',
      sellerId: channel === 'alipay' ? '2088000000000001' : '1900000001',
      nowMs,
    }),
  );
  return { order: paying.order, payment: expectOk(markCalledOut(created.payment, nowMs)).payment };
}

export function evidenceFor(payment: Payment, overrides: Partial<ChannelSuccessEvidence> = {}): ChannelSuccessEvidence {
  return {
    amountFen: payment.amountFen,
    tradeNo: `2026010122001400000000${payment.paymentNo.slice(-6)}`,
    appId: payment.appId,
    sellerId: payment.sellerId,
    paidAtMs: payment.createdAtMs + 2 * minuteMs,
    ...overrides,
  };
}

/** An order paid by one credited payment. */
export function paidOrder(amount = '88.80'): { order: Order; payment: Payment } {
  const { order, payment } = payingOrder(amount);
  const result = applyChannelSuccess(payment, order, evidenceFor(payment), startMs + 3 * minuteMs);
  if (result.outcome !== 'credited') throw new Error(`expected credited, got ${result.outcome}`);
  return { order: result.order, payment: result.payment };
}

// The pay flow, in the seed's order: validate → route → risk (block / step-up / pass) → persist the
// payment with its unique key BEFORE calling out → call the channel → the pay URL or QR. A retried
// request reuses the open payment of the same method (the same out_trade_no: the channel dedupes),
// and an unknown outcome of the call leaves the payment to the query schedule, never failed.
import {
  assessRisk,
  coreError,
  createPayment,
  errorForPayRefusal,
  errorForRisk,
  errorForRoute,
  isExpired,
  isPaymentOpen,
  markPaymentFailed,
  routePayment,
  startPaying,
  type ChannelName,
  type CoreError,
  type Order,
  type Payment,
} from '../domain/index.ts';
import { identifierProblem, isPlainObject, unknownField } from '../domain/validate.ts';
import type { Components } from './components.ts';
import type { ServiceContext } from './context.ts';
import { BuyerWindow } from './buyer-window.ts';
import { writeBuyerPayment, writeOrder, writePayment } from './records.ts';

export interface PayRequest {
  readonly method: string;
  /** The business system's id of the buyer, for the velocity and blocklist risk rules. */
  readonly buyerId?: string;
}

export type PayOutcome =
  | { readonly ok: true; readonly payment: Payment; readonly payUrl?: string; readonly qrCode?: string }
  | { readonly ok: false; readonly error: CoreError; readonly paymentNo?: string };

export interface PayService {
  pay(orderNo: string, request: PayRequest): Promise<PayOutcome>;
}

const payFields = ['method', 'buyerId'] as const;

/** Checks `POST /api/orders/:orderNo/pay`; the method itself is checked by routing. */
export function parsePayRequest(body: unknown): { ok: true; request: PayRequest } | { ok: false; error: CoreError } {
  if (!isPlainObject(body)) return { ok: false, error: coreError('INVALID_PARAMETER', 'the body must be a JSON object {method, buyerId?}') };
  const extra = unknownField(body, payFields);
  if (extra !== undefined) return { ok: false, error: coreError('INVALID_PARAMETER', `unknown field "${extra.slice(0, 40)}"; allowed: ${payFields.join(', ')}`) };
  if (typeof body.method !== 'string' || body.method === '') {
    return { ok: false, error: coreError('INVALID_PARAMETER', 'method is required: one of alipay.page, alipay.wap, alipay.qr, wechatpay.native, wechatpay.h5, balance') };
  }
  if (body.buyerId !== undefined) {
    const problem = identifierProblem(body.buyerId, 'buyerId', 64);
    if (problem) return { ok: false, error: coreError('INVALID_PARAMETER', problem) };
  }
  return { ok: true, request: { method: body.method, ...(body.buyerId !== undefined ? { buyerId: body.buyerId as string } : {}) } };
}

export function createPayService(context: ServiceContext, components: Components): PayService {
  const { records, clock, config, events } = context;
  const buyers = new BuyerWindow(records, config.riskRules);
  const unavailableChannels = () => new Set((['alipay', 'wechatpay', 'balance'] as const).filter((name: ChannelName) => !context.channels.has(name)));

  /** Calls the channel for a persisted payment and turns its answer into the response. */
  async function callOut(payment: Payment, order: Order): Promise<PayOutcome> {
    const channel = context.channels.get(payment.channel)!;
    const base = context.callbackBaseUrl();
    let result;
    try {
      result = await channel.createPayment({
        paymentNo: payment.paymentNo,
        method: payment.method,
        amountFen: payment.amountFen,
        subject: order.subject,
        expiresAtMs: payment.expiresAtMs,
        notifyUrl: `${base}/notify/${payment.channel}`,
        returnUrl: `${base}/return/${payment.channel}`,
      });
    } catch (error) {
      // Timeout, reset, 5xx, unverifiable answer: the channel may have the trade. Query, never assume.
      await components.payments.calledOut(payment.paymentNo);
      events.emit({ type: 'payment.calledOut', atMs: clock.now(), paymentNo: payment.paymentNo, outcome: 'unknown' });
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        paymentNo: payment.paymentNo,
        error: coreError('CHANNEL_ERROR', `payment ${payment.paymentNo}: the channel did not answer (${reason.slice(0, 200)}); its outcome is resolved by query, and retrying this request is safe`),
      };
    }
    if (result.kind === 'created') {
      const current = await components.payments.calledOut(payment.paymentNo);
      events.emit({ type: 'payment.calledOut', atMs: clock.now(), paymentNo: payment.paymentNo, outcome: 'created' });
      return { ok: true, payment: current ?? payment, ...(result.payUrl ? { payUrl: result.payUrl } : {}), ...(result.qrCode ? { qrCode: result.qrCode } : {}) };
    }
    events.emit({ type: 'payment.calledOut', atMs: clock.now(), paymentNo: payment.paymentNo, outcome: 'rejected' });
    return rejected(payment.paymentNo, `${result.code}: ${result.message}`);
  }

  /** The channel refused to create the trade. Only a query saying it has no such trade makes it FAILED. */
  async function rejected(paymentNo: string, refusal: string): Promise<PayOutcome> {
    await components.payments.calledOut(paymentNo);
    const { payment, answer } = await components.payments.confirm(paymentNo);
    if (payment && isPaymentOpen(payment) && answer?.kind === 'notFound') {
      const change = markPaymentFailed(payment, refusal, clock.now());
      if (change.ok) {
        await context.commit([writePayment(change.payment)]);
        components.payments.arm(paymentNo);
        events.emit({ type: 'payment.changed', atMs: clock.now(), paymentNo, status: 'FAILED' });
      }
      return { ok: false, paymentNo, error: coreError('CHANNEL_ERROR', `the channel refused payment ${paymentNo} (${refusal.slice(0, 200)}); nothing was charged, another pay request starts a new payment`) };
    }
    if (payment?.status === 'SUCCEEDED') return { ok: false, paymentNo, error: errorForPayRefusal('alreadyPaid', payment.orderNo) };
    return { ok: false, paymentNo, error: coreError('CHANNEL_ERROR', `the channel refused payment ${paymentNo} (${refusal.slice(0, 200)}); its state is resolved by query`) };
  }

  return {
    async pay(orderNo, request) {
      // Validation, routing, risk and the write of the payment form one synchronous block.
      const order = records.order(orderNo);
      if (!order) return { ok: false, error: coreError('ORDER_NOT_FOUND', `no order ${orderNo.slice(0, 64)}`) };
      const nowMs = clock.now();
      if (order.status === 'PAID') return { ok: false, error: errorForPayRefusal('alreadyPaid', orderNo) };
      if (order.status === 'CLOSED') return { ok: false, error: errorForPayRefusal('closed', orderNo) };
      if (isExpired(order, nowMs)) return { ok: false, error: errorForPayRefusal('expired', orderNo) };

      const route = routePayment(request.method, order.amountFen, config.routing, unavailableChannels());
      if (route.outcome !== 'routed') return { ok: false, error: errorForRoute(route) };

      // A retried request (after a timeout, or a buyer pressing twice): the same payment, the same trade.
      const retried = records.paymentsOf(order).find((payment) => payment.method === route.route.method && (payment.status === 'CREATED' || payment.status === 'PENDING'));
      if (retried) {
        if (retried.expiresAtMs - nowMs < config.policy.payment.channelExpiryMinMs) return { ok: false, error: errorForPayRefusal('tooCloseToExpiry', orderNo) };
        return callOut(retried, order);
      }

      const buyerKey = request.buyerId;
      const risk = assessRisk({ buyerKey, amountFen: order.amountFen, method: route.route.method, nowMs, recentPayments: buyers.recent(buyerKey, nowMs) }, config.riskRules);
      if (risk.decision !== 'pass') return { ok: false, error: errorForRisk(risk) };

      const paymentNo = context.numbers.next('payment');
      const started = startPaying(order, paymentNo, nowMs, config.policy.order);
      if (!started.ok) return { ok: false, error: errorForPayRefusal(started.reason, orderNo) };
      const channel = context.channels.get(route.route.channel)!;
      const created = createPayment(
        { paymentNo, order, channel: route.route.channel, method: route.route.method, feeFen: route.feeFen, appId: channel.appId, sellerId: channel.sellerId ?? '', nowMs },
        config.policy.payment,
      );
      if (!created.ok) return { ok: false, error: errorForPayRefusal(created.reason, orderNo) };
      const payment = created.payment;
      const buyerEntry = buyerKey === undefined ? undefined : { paymentNo, buyerKey, amountFen: payment.amountFen, atMs: nowMs };
      // Persisted with its unique key before any call out: whatever happens next, there is a record to query.
      const committed = context.commit([writePayment(payment), writeOrder(started.order), ...(buyerEntry ? [writeBuyerPayment(buyerEntry)] : [])]);
      if (buyerEntry) buyers.add(buyerEntry);
      await committed;
      events.emit({ type: 'payment.created', atMs: nowMs, paymentNo, orderNo, channel: payment.channel });
      return callOut(payment, order);
    },
  };
}

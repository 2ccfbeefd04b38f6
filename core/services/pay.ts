// The pay flow, in the seed's order: validate → route → risk (block / step-up / pass) → persist the
// payment with its unique key BEFORE calling out → call the channel → the pay URL or QR. A retried
// request reuses the open payment of the same method (the same out_trade_no: the channel dedupes),
// and an unknown outcome of the call leaves the payment to the query schedule, never failed.
import {
  assessRisk,
  buyerKeyOf,
  coreError,
  createPayment,
  errorForPayRefusal,
  errorForRisk,
  errorForRoute,
  isExpired,
  isOrderPayable,
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
import { ChannelUnavailableError } from '../connectors/channel.ts';
import type { ComponentDependencies } from './components.ts';
import type { ServiceContext } from './context.ts';
import { BuyerWindow } from './buyer-window.ts';
import { parseStepUpProof, StepUpChallenges, type StepUpProof } from './step-up.ts';
import { writeBuyerPayment, writeOrder, writePayment } from './records.ts';

export interface PayRequest {
  readonly method: string;
  /** The business system's id of the buyer, for the velocity and blocklist risk rules. */
  readonly buyerId?: string;
  /** Proof of a passed step-up challenge (see step-up.ts), when an earlier attempt answered RISK_STEP_UP_REQUIRED. */
  readonly stepUp?: StepUpProof;
  /** The address the request came from, set by the HTTP layer (never read from the body): the buyer key when there is no buyerId. */
  readonly clientAddress?: string;
}

export type PayOutcome =
  | { readonly ok: true; readonly payment: Payment; readonly payUrl?: string; readonly qrCode?: string }
  | { readonly ok: false; readonly error: CoreError; readonly paymentNo?: string; readonly challengeId?: string };

export interface PayService {
  pay(orderNo: string, request: PayRequest): Promise<PayOutcome>;
}

const payFields = ['method', 'buyerId', 'stepUp'] as const;

/** Checks `POST /api/orders/:orderNo/pay`; the method itself is checked by routing. */
export function parsePayRequest(body: unknown): { ok: true; request: PayRequest } | { ok: false; error: CoreError } {
  if (!isPlainObject(body)) return { ok: false, error: coreError('INVALID_PARAMETER', 'the body must be a JSON object {method, buyerId?, stepUp?}') };
  const extra = unknownField(body, payFields);
  if (extra !== undefined) return { ok: false, error: coreError('INVALID_PARAMETER', `unknown field "${extra.slice(0, 40)}"; allowed: ${payFields.join(', ')}`) };
  if (typeof body.method !== 'string' || body.method === '') {
    return { ok: false, error: coreError('INVALID_PARAMETER', 'method is required: one of alipay.page, alipay.wap, alipay.qr, wechatpay.native, wechatpay.h5, balance') };
  }
  if (body.buyerId !== undefined) {
    const problem = identifierProblem(body.buyerId, 'buyerId', 64);
    if (problem) return { ok: false, error: coreError('INVALID_PARAMETER', problem) };
  }
  let stepUp: StepUpProof | undefined;
  if (body.stepUp !== undefined) {
    const parsed = parseStepUpProof(body.stepUp);
    if (!parsed.ok) return { ok: false, error: coreError('INVALID_PARAMETER', parsed.problem) };
    stepUp = parsed.proof;
  }
  return { ok: true, request: { method: body.method, ...(body.buyerId !== undefined ? { buyerId: body.buyerId as string } : {}), ...(stepUp ? { stepUp } : {}) } };
}

export function createPayService(context: ServiceContext, components: ComponentDependencies['pay']): PayService {
  const { records, clock, config, events } = context;
  const buyers = new BuyerWindow(records, config.riskRules);
  const stepUps = new StepUpChallenges(context, () => components.stepUpVerifier);
  // Channels the routing table names that this core has no connector for (balance has none yet).
  const unavailableChannels = () => new Set(Object.values(config.routing).map((route) => route.channel).filter((name: ChannelName) => !context.channels.has(name)));

  /**
   * Why the buyer must not be handed this payment's QR code or pay URL any more, judged from the state
   * after the channel call: the order was paid, closed or asked to close meanwhile (a close that raced
   * the call), or the payment itself was settled. Undefined while it may still be paid.
   */
  function refusalAfterCall(paymentNo: string, orderNo: string): CoreError | undefined {
    const order = records.order(orderNo);
    const payment = records.payment(paymentNo);
    if (order?.status === 'PAID' || payment?.status === 'SUCCEEDED') return errorForPayRefusal('alreadyPaid', orderNo);
    if (!order || !isOrderPayable(order)) return errorForPayRefusal('closed', orderNo);
    if (payment?.status !== 'CLOSED') return undefined;
    if (isExpired(order, clock.now())) return errorForPayRefusal('expired', orderNo);
    return coreError('CHANNEL_ERROR', `payment ${paymentNo} was closed at the channel; nothing was charged, another pay request starts a new payment`);
  }

  /** Calls the channel for a persisted payment and turns its answer into the response. */
  async function callOut(payment: Payment, order: Order, clientAddress: string | undefined): Promise<PayOutcome> {
    // A retried request for an order the business system asked to close: the close only waits for it.
    if (!isOrderPayable(order)) return { ok: false, paymentNo: payment.paymentNo, error: errorForPayRefusal(order.status === 'PAID' ? 'alreadyPaid' : 'closed', order.orderNo) };
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
        ...(clientAddress ? { payerClientIp: clientAddress } : {}),
      });
    } catch (error) {
      // Only the channel's "outcome unknown" (timeout, reset, 5xx, unverifiable answer) means the channel
      // may have the trade: query, never assume. Anything else is a bug, and fails the request loudly.
      if (!(error instanceof ChannelUnavailableError)) throw error;
      await components.payments.calledOut(payment.paymentNo);
      events.emit({ type: 'payment.calledOut', atMs: clock.now(), paymentNo: payment.paymentNo, outcome: 'unknown' });
      const refusal = refusalAfterCall(payment.paymentNo, order.orderNo);
      if (refusal) return { ok: false, paymentNo: payment.paymentNo, error: refusal };
      const reason = error.message;
      return {
        ok: false,
        paymentNo: payment.paymentNo,
        error: coreError('CHANNEL_ERROR', `payment ${payment.paymentNo}: the channel did not answer (${reason.slice(0, 200)}); its outcome is resolved by query, and retrying this request is safe`),
      };
    }
    if (result.kind === 'created') {
      const current = await components.payments.calledOut(payment.paymentNo);
      events.emit({ type: 'payment.calledOut', atMs: clock.now(), paymentNo: payment.paymentNo, outcome: 'created' });
      // A close may have started while the call was in flight: then the QR code or URL is not handed
      // out, and the close settles the trade (at the latest at the payment's expiry).
      const refusal = refusalAfterCall(payment.paymentNo, order.orderNo);
      if (refusal) return { ok: false, paymentNo: payment.paymentNo, error: refusal };
      return { ok: true, payment: current ?? payment, ...(result.payUrl ? { payUrl: result.payUrl } : {}), ...(result.qrCode ? { qrCode: result.qrCode } : {}) };
    }
    events.emit({ type: 'payment.calledOut', atMs: clock.now(), paymentNo: payment.paymentNo, outcome: 'rejected' });
    return rejected(payment.paymentNo, order.orderNo, `${result.code}: ${result.message}`);
  }

  /** The channel refused to create the trade. Only a query saying it has no such trade makes it FAILED. */
  async function rejected(paymentNo: string, orderNo: string, refusal: string): Promise<PayOutcome> {
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
    // The query may have settled it (paid, closed at the channel, the order closed): answer that.
    const settled = refusalAfterCall(paymentNo, orderNo);
    if (settled) return { ok: false, paymentNo, error: settled };
    return { ok: false, paymentNo, error: coreError('CHANNEL_ERROR', `the channel refused payment ${paymentNo} (${refusal.slice(0, 200)}); its state is resolved by query`) };
  }

  const service = {
    /**
     * `verifiedChallengeId` (internal): a step-up challenge this request proved in an earlier pass.
     * Verifying may wait on the verifier, so it ends a pass, and the next one starts over on fresh state.
     */
    async pay(orderNo: string, request: PayRequest, verifiedChallengeId?: string): Promise<PayOutcome> {
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
        return callOut(retried, order, request.clientAddress);
      }

      // Risk: block / step-up / pass. Block wins over any proof; a step-up is passed only by a challenge
      // of this order verified in this request and still unused, which the payment's commit uses up.
      const identity = { buyerId: request.buyerId, clientAddress: request.clientAddress };
      const buyerKey = buyerKeyOf(identity);
      const verified = verifiedChallengeId === undefined ? undefined : stepUps.usable(verifiedChallengeId, orderNo, nowMs);
      const risk = assessRisk(
        { ...identity, amountFen: order.amountFen, method: route.route.method, nowMs, recentPayments: buyers.recent(buyerKey, nowMs), stepUpVerified: verified !== undefined },
        config.riskRules,
      );
      if (risk.decision === 'block') return { ok: false, error: errorForRisk(risk) };
      if (risk.decision === 'stepUp') {
        if (request.stepUp === undefined) return { ok: false, ...(await stepUps.require(order, risk, nowMs)) };
        if (verifiedChallengeId !== undefined) {
          return { ok: false, error: coreError('RISK_STEP_UP_FAILED', `step-up challenge ${verifiedChallengeId} was used or expired while it was being verified; pay again without stepUp for a new challenge`) };
        }
        const check = await stepUps.verify(orderNo, request.stepUp, nowMs);
        if (!check.ok) return { ok: false, error: check.error };
        return service.pay(orderNo, request, check.challengeId);
      }

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
      const stepUpUse = verified !== undefined && risk.steppedUpRuleId !== undefined ? [stepUps.use(verified, paymentNo)] : [];
      const committed = context.commit([writePayment(payment), writeOrder(started.order), ...(buyerEntry ? [writeBuyerPayment(buyerEntry)] : []), ...stepUpUse]);
      if (buyerEntry) buyers.add(buyerEntry);
      await committed;
      events.emit({ type: 'payment.created', atMs: nowMs, paymentNo, orderNo, channel: payment.channel });
      return callOut(payment, order, request.clientAddress);
    },
  };
  return service satisfies PayService;
}

// The business system's API (`/api`): orders, pay, refunds, the manual queue and the checks. Each
// route reads and checks its input, calls one service, and answers with a view or `{code, message}`.
import { Router, type Request } from 'express';
import {
  coreError,
  errorForClose,
  errorForInvalidRequest,
  errorForOrderConflict,
  errorForRefund,
  httpStatusOf,
  validateOrderRequest,
  validateRefundRequest,
  type Order,
} from '../domain/index.ts';
import type { Components } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { parsePayRequest } from '../services/pay.ts';
import { findStepUpChallenge, stepUpState } from '../services/step-up.ts';
import { readJson, readText } from './body.ts';
import { sendError } from './errors.ts';
import { checkReportView, formatTime, notificationView, orderView, refundView } from './views.ts';

export function apiRoutes(context: ServiceContext, components: Components): Router {
  const { records, config } = context;
  const router = Router();
  const json = (request: Request) => readJson(request, config.bodyBytesMax);
  // Routes without a body still drain (and size-limit) whatever was sent.
  const drain = (request: Request) => readText(request, config.bodyBytesMax);
  const param = (request: Request, name: string) => String(request.params[name] ?? '');

  router.post('/orders', async (request, response) => {
    const check = validateOrderRequest(await json(request), config.policy.order);
    if (!check.ok) return sendError(response, errorForInvalidRequest(check));
    const outcome = await components.orders.create(check.request);
    if (outcome.outcome === 'conflict') return sendError(response, errorForOrderConflict(check.request.outOrderNo, outcome.field));
    response.status(outcome.outcome === 'created' ? 201 : 200).json(orderView(outcome.order, records));
  });

  // The newest orders first (the dashboard's list; a business system keeps its own index by outOrderNo).
  router.get('/orders', (request, response) => {
    const listing = parseOrderListing(request.query as Record<string, unknown>);
    if (!listing.ok) return sendError(response, coreError('INVALID_PARAMETER', listing.message));
    const orders = records
      .all<Order>('orders')
      .filter((order) => listing.status === undefined || order.status === listing.status)
      .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.orderNo < b.orderNo ? 1 : -1));
    response.json({ total: orders.length, orders: orders.slice(0, listing.limit).map((order) => orderView(order, records)) });
  });

  router.get('/orders/:orderNo', (request, response) => {
    const order = components.orders.get(param(request, 'orderNo'));
    if (!order) return sendError(response, orderNotFound(param(request, 'orderNo')));
    response.json(orderView(order, records));
  });

  router.post('/orders/:orderNo/close', async (request, response) => {
    await drain(request);
    const orderNo = param(request, 'orderNo');
    const outcome = await components.orders.close(orderNo);
    switch (outcome.outcome) {
      case 'notFound':
        return sendError(response, orderNotFound(orderNo));
      case 'closed':
      case 'alreadyClosed':
        return void response.json(orderView(outcome.order, records));
      case 'paid':
        return sendError(response, errorForClose('alreadyPaid', orderNo)!);
      case 'pending':
        // No new payment starts, but one already handed to the buyer may still be paid, and then the order is paid.
        return sendError(response, coreError('ORDER_CLOSE_PENDING', `order ${orderNo} is not closed yet: a payment is not closed at the channel (unreachable, or a QR code or pay URL the buyer has not opened, which stays payable until it expires); the close is retried at ${formatTime(outcome.retryAtMs)}`));
    }
  });

  router.post('/orders/:orderNo/pay', async (request, response) => {
    const parsed = parsePayRequest(await json(request));
    if (!parsed.ok) return sendError(response, parsed.error);
    // The client address keys the buyer risk rules when no buyerId is given. `request.ip` is the socket
    // peer unless Express is told to trust a proxy, so a forwarded-for header cannot choose it.
    const clientAddress = request.ip ?? request.socket.remoteAddress;
    const outcome = await components.pay.pay(param(request, 'orderNo'), { ...parsed.request, ...(clientAddress ? { clientAddress } : {}) });
    if (!outcome.ok && outcome.challengeId !== undefined) {
      // RISK_STEP_UP_REQUIRED carries the challenge to verify: {code, message, challengeId}.
      const { code, message } = outcome.error;
      return void response.status(httpStatusOf(code)).json({ code, message, challengeId: outcome.challengeId });
    }
    if (!outcome.ok) return sendError(response, outcome.error);
    response.json({
      paymentNo: outcome.payment.paymentNo,
      channel: outcome.payment.channel,
      ...(outcome.payUrl !== undefined ? { payUrl: outcome.payUrl } : {}),
      ...(outcome.qrCode !== undefined ? { qrCode: outcome.qrCode } : {}),
    });
  });

  // A risk step-up challenge (core/services/step-up.ts); `code` only where the verifier reveals it (tests, paysim up).
  router.get('/risk/challenges/:challengeId', (request, response) => {
    const challengeId = param(request, 'challengeId');
    const challenge = findStepUpChallenge(context, challengeId);
    if (!challenge) return sendError(response, coreError('NOT_FOUND', `no step-up challenge ${challengeId.slice(0, 64)}`));
    const code = components.stepUpVerifier.reveal(challenge);
    response.json({
      challengeId: challenge.id,
      orderNo: challenge.orderNo,
      ruleId: challenge.ruleId,
      status: stepUpState(challenge, context.clock.now()),
      attempts: challenge.attempts,
      attemptsMax: challenge.attemptsMax,
      createdAt: formatTime(challenge.createdAtMs),
      expiresAt: formatTime(challenge.expiresAtMs),
      ...(challenge.usedByPaymentNo !== null ? { paymentNo: challenge.usedByPaymentNo } : {}),
      ...(code !== undefined ? { code } : {}),
    });
  });

  router.post('/orders/:orderNo/refunds', async (request, response) => {
    const check = validateRefundRequest(await json(request), config.policy.refund);
    if (!check.ok) return sendError(response, errorForInvalidRequest(check));
    const orderNo = param(request, 'orderNo');
    const outcome = await components.refunds.request(orderNo, check.request);
    switch (outcome.outcome) {
      case 'orderNotFound':
        return sendError(response, orderNotFound(orderNo));
      case 'created':
      case 'replay':
        return void response.status(outcome.outcome === 'created' ? 201 : 200).json(refundView(outcome.refund));
      default:
        return sendError(response, errorForRefund(outcome));
    }
  });

  router.get('/refunds/:refundNo', (request, response) => {
    const refund = records.refund(param(request, 'refundNo'));
    if (!refund) return sendError(response, coreError('REFUND_NOT_FOUND', `no refund ${param(request, 'refundNo').slice(0, 64)}`));
    response.json(refundView(refund));
  });

  router.get('/manual-queue', (_request, response) => {
    response.json({ notifications: components.notifications.manualQueue().map(notificationView) });
  });

  router.post('/manual-queue/:id/resend', async (request, response) => {
    await drain(request);
    const id = param(request, 'id');
    const outcome = await components.notifications.resend(id);
    switch (outcome.outcome) {
      case 'notFound':
        return sendError(response, coreError('NOTIFICATION_NOT_FOUND', `no business-system notification ${id.slice(0, 100)}`));
      case 'notManual':
        return sendError(response, coreError('NOTIFICATION_NOT_IN_MANUAL_QUEUE', `notification ${id.slice(0, 100)} is ${outcome.notification.status}, not in the manual queue`));
      case 'resent':
        return void response.json(notificationView(outcome.notification));
    }
  });

  router.get('/checks', (_request, response) => {
    response.json(checkReportView(components.checks.latest()));
  });

  router.post('/checks/run', async (request, response) => {
    await drain(request);
    response.json(checkReportView(components.checks.run()));
  });

  return router;
}

export const orderListingLimitDefault = 50;
export const orderListingLimitMax = 500;
const orderStatuses: readonly Order['status'][] = ['CREATED', 'PAYING', 'PAID', 'CLOSED'];

function parseOrderListing(query: Record<string, unknown>): { ok: true; limit: number; status?: Order['status'] } | { ok: false; message: string } {
  const unknown = Object.keys(query).filter((key) => key !== 'limit' && key !== 'status');
  if (unknown.length > 0) return { ok: false, message: `unknown query parameter ${unknown.map((key) => key.slice(0, 40)).join(', ')}; known: limit, status` };
  const limit = query.limit === undefined ? orderListingLimitDefault : Number(query.limit);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > orderListingLimitMax) return { ok: false, message: `limit must be an integer from 1 to ${orderListingLimitMax}, got ${JSON.stringify(String(query.limit).slice(0, 20))}` };
  if (query.status !== undefined && !orderStatuses.includes(query.status as Order['status'])) {
    return { ok: false, message: `status must be one of ${orderStatuses.join(', ')}, got ${JSON.stringify(String(query.status).slice(0, 20))}` };
  }
  return { ok: true, limit, ...(query.status !== undefined ? { status: query.status as Order['status'] } : {}) };
}

function orderNotFound(orderNo: string) {
  return coreError('ORDER_NOT_FOUND', `no order ${orderNo.slice(0, 64)}`);
}

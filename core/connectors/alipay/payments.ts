// Payments on Alipay: create (precreate for QR; a signed page/wap URL for the browser), query, close.
import { formatFen } from '../../../lib/money.ts';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { assert, assertNever } from '../../domain/assert.ts';
import type { PayMethod } from '../../domain/routing.ts';
import type { ChannelPaymentStatus, ClosePaymentResult, CreatePaymentRequest, CreatePaymentResult } from '../channel.ts';
import { unavailable, type GatewayReply } from './errors.ts';
import { alipayMethods } from './methods.ts';
import type { Gateway, SigningCalls } from './sdk.ts';
import { closedAfterPayment, fenField, instantField, textField } from './wire.ts';

/** Refusals of a checkout call that mean "nothing was created" (docs/alipay-protocol.md §7.2). */
const createRefusals = new Set([
  'ACQ.TRADE_HAS_SUCCESS', 'ACQ.TRADE_HAS_CLOSE', 'ACQ.CONTEXT_INCONSISTENT', 'ACQ.TOTAL_FEE_EXCEED', 'ACQ.INVALID_PARAMETER',
  'ACQ.BUYER_SELLER_EQUAL', 'ACQ.ACCESS_FORBIDDEN', 'ACQ.EXIST_FORBIDDEN_WORD', 'ACQ.PARTNER_ERROR', 'ACQ.INVALID_RECEIVE_ACCOUNT',
  'ACQ.BUYER_ENABLE_STATUS_FORBID', 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
]);
const queryAnswers = new Set(['ACQ.TRADE_NOT_EXIST']);
const closeAnswers = new Set(['ACQ.TRADE_NOT_EXIST', 'ACQ.TRADE_STATUS_ERROR', 'ACQ.REASON_TRADE_STATUS_INVALID', 'ACQ.INVALID_PARAMETER']);

/** The pay methods this connector serves (its module's routes). */
export { alipayMethods };
type AlipayMethod = (typeof alipayMethods)[number];

function isAlipayMethod(method: PayMethod): method is AlipayMethod {
  return (alipayMethods as readonly string[]).includes(method);
}

const pageProducts = {
  'alipay.page': { method: 'alipay.trade.page.pay', productCode: 'FAST_INSTANT_TRADE_PAY' },
  'alipay.wap': { method: 'alipay.trade.wap.pay', productCode: 'QUICK_WAP_WAY' },
} as const;

export interface PaymentDeps {
  readonly calls: SigningCalls;
  readonly gateway: Gateway;
}

function orderFields(request: CreatePaymentRequest): Record<string, unknown> {
  return {
    out_trade_no: request.paymentNo,
    total_amount: formatFen(request.amountFen),
    subject: request.subject,
    // The channel stops taking money when the core's order expires, in Beijing time whatever our TZ.
    time_expire: formatBeijingDateTime(request.expiresAtMs),
  };
}

export async function createPayment(deps: PaymentDeps, request: CreatePaymentRequest): Promise<CreatePaymentResult> {
  const method = request.method;
  // Routing hands this connector Alipay methods only: anything else is a bug, not a channel answer.
  assert(isAlipayMethod(method), `the Alipay connector was asked to create a ${method} payment`);
  assert(Number.isSafeInteger(request.expiresAtMs), `expiresAtMs must be epoch milliseconds, got ${request.expiresAtMs}`);
  switch (method) {
    case 'alipay.qr':
      return precreate(deps, request);
    case 'alipay.page':
    case 'alipay.wap':
      return signPageUrl(deps, request, method);
    default:
      return assertNever(method, 'Alipay pay method');
  }
}

async function precreate(deps: PaymentDeps, request: CreatePaymentRequest): Promise<CreatePaymentResult> {
  const settled = await deps.gateway({
    operation: 'createPayment',
    method: 'alipay.trade.precreate',
    bizContent: { ...orderFields(request), product_code: 'FACE_TO_FACE_PAYMENT' },
    common: { notify_url: request.notifyUrl },
    definiteSubCodes: createRefusals,
  });
  if (settled.kind === 'business') return { kind: 'rejected', code: settled.subCode, message: settled.message };
  const qrCode = textField(settled.fields.qr_code);
  if (!qrCode) throw unavailable('createPayment', 'precreate answered 10000 without qr_code');
  return { kind: 'created', qrCode };
}

/** pageExec only signs a URL (no HTTP call): the trade appears at Alipay when the buyer opens it. */
async function signPageUrl(deps: PaymentDeps, request: CreatePaymentRequest, method: 'alipay.page' | 'alipay.wap'): Promise<CreatePaymentResult> {
  const product = pageProducts[method];
  const bizContent: Record<string, unknown> = { ...orderFields(request), product_code: product.productCode };
  if (method === 'alipay.wap' && request.quitUrl) bizContent.quit_url = request.quitUrl;
  const common: Record<string, string> = { notify_url: request.notifyUrl };
  if (request.returnUrl) common.return_url = request.returnUrl;
  try {
    return { kind: 'created', payUrl: await deps.calls.pageExec(product.method, 'GET', { ...common, bizContent }) };
  } catch (error) {
    // Only a key or parameter problem on our side can make signing fail.
    throw unavailable('createPayment', `could not sign the ${product.method} URL: ${(error as Error).message}`);
  }
}

export async function queryPayment(deps: PaymentDeps, paymentNo: string): Promise<ChannelPaymentStatus> {
  const settled = await deps.gateway({
    operation: 'queryPayment',
    method: 'alipay.trade.query',
    bizContent: { out_trade_no: paymentNo },
    definiteSubCodes: queryAnswers,
  });
  if (settled.kind === 'business') return { kind: 'notFound' }; // ACQ.TRADE_NOT_EXIST, the only definite one
  return paymentStatusOf(paymentNo, settled.fields);
}

type AlipayTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED';
const tradeStatuses: readonly string[] = ['WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED'] satisfies AlipayTradeStatus[];

/** Maps a 10000 query answer; an answer that is not about this trade or lacks the paid amount is unusable. */
function paymentStatusOf(paymentNo: string, fields: GatewayReply): ChannelPaymentStatus {
  const answeredFor = textField(fields.out_trade_no);
  if (answeredFor !== undefined && answeredFor !== paymentNo) throw unavailable('queryPayment', `asked about ${paymentNo}, the answer is about ${answeredFor}`);
  const raw = textField(fields.trade_status) ?? '';
  if (!tradeStatuses.includes(raw)) return { kind: 'unrecognized', raw };
  const status = raw as AlipayTradeStatus;
  const channelTradeNo = textField(fields.trade_no);
  const amountFen = fenField(fields.total_amount);
  switch (status) {
    case 'WAIT_BUYER_PAY':
      return { kind: 'waiting' };
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED': {
      if (channelTradeNo === undefined || amountFen === undefined) {
        throw unavailable('queryPayment', `${status} without a usable trade_no / total_amount (${JSON.stringify(fields.trade_no)}, ${JSON.stringify(fields.total_amount)})`);
      }
      const paidAtMs = instantField(fields.send_pay_date);
      const buyerId = textField(fields.buyer_user_id) ?? textField(fields.buyer_open_id);
      return { kind: 'paid', channelTradeNo, amountFen, ...(paidAtMs !== undefined ? { paidAtMs } : {}), ...(buyerId ? { buyerId } : {}) };
    }
    case 'TRADE_CLOSED':
      return {
        kind: 'closed',
        wasPaid: closedAfterPayment(fields, 'send_pay_date'),
        ...(channelTradeNo !== undefined ? { channelTradeNo } : {}),
        ...(amountFen !== undefined ? { amountFen } : {}),
      };
    default:
      return assertNever(status, 'Alipay trade status');
  }
}

export async function closePayment(deps: PaymentDeps, paymentNo: string): Promise<ClosePaymentResult> {
  const settled = await deps.gateway({
    operation: 'closePayment',
    method: 'alipay.trade.close',
    bizContent: { out_trade_no: paymentNo },
    definiteSubCodes: closeAnswers,
  });
  if (settled.kind === 'success') return { kind: 'closed' };
  switch (settled.subCode) {
    case 'ACQ.TRADE_NOT_EXIST':
      return { kind: 'notFound' };
    case 'ACQ.TRADE_STATUS_ERROR':
    case 'ACQ.REASON_TRADE_STATUS_INVALID':
      return explainStatusError(deps, paymentNo, settled.subCode, settled.message);
    default:
      return { kind: 'rejected', code: settled.subCode, message: settled.message };
  }
}

/**
 * Close is refused for a trade that is not waiting: paid, or already closed. Only a query tells
 * which, and the difference is money: a paid trade must be recorded (or refunded), not closed.
 */
async function explainStatusError(deps: PaymentDeps, paymentNo: string, code: string, message: string): Promise<ClosePaymentResult> {
  const status = await queryPayment(deps, paymentNo);
  switch (status.kind) {
    case 'paid':
      return { kind: 'alreadyPaid' };
    case 'closed':
      // Closed after a full refund still means the buyer paid: the core must know of that payment.
      return status.wasPaid ? { kind: 'alreadyPaid' } : { kind: 'closed' };
    case 'notFound':
      return { kind: 'notFound' };
    case 'waiting':
    case 'unrecognized':
      return { kind: 'rejected', code, message: `${message} (query says ${status.kind === 'waiting' ? 'WAIT_BUYER_PAY' : status.raw})` };
    default:
      return assertNever(status, 'payment status');
  }
}

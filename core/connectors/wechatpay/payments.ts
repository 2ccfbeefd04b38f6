// Payments on WeChat Pay API v3 (docs/wechatpay-protocol.md §6.1–6.3): create a Native (QR code_url) or
// H5 (h5_url) order, query it by out_trade_no, close it.
import type { Wechatpay } from 'wechatpay-axios-plugin';
import { assert, assertNever } from '../../domain/assert.ts';
import type { PayMethod } from '../../domain/routing.ts';
import type { ChannelPaymentStatus, ClosePaymentResult, CreatePaymentRequest, CreatePaymentResult } from '../channel.ts';
import { unavailable } from './errors.ts';
import { wechatpayMethods } from './methods.ts';
import type { ResolvedOptions } from './options.ts';
import { call, isRecord, settle } from './sdk.ts';
import { amountField, formatRfc3339Beijing, instantField, textField } from './wire.ts';

/** The pay methods this connector serves (its module's routes). */
export { wechatpayMethods };
type WechatpayMethod = (typeof wechatpayMethods)[number];

function isWechatpayMethod(method: PayMethod): method is WechatpayMethod {
  return (wechatpayMethods as readonly string[]).includes(method);
}

/**
 * Refusals of an order call after which nothing was created (§7): the number is taken or closed, or the
 * request breaks a business rule. The pay service still queries before it calls the attempt failed.
 */
const createRefusals = new Set([
  'PARAM_ERROR', 'INVALID_REQUEST', 'ORDER_CLOSED', 'ORDERPAID', 'OUT_TRADE_NO_USED', 'APPID_MCHID_NOT_MATCH', 'MCH_NOT_EXISTS',
  'NO_AUTH', 'RULE_LIMIT', 'TRADE_ERROR', 'ACCOUNT_ERROR', 'NOT_ENOUGH',
]);
const queryAnswers = new Set(['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS']);
/** A close refused with any of these needs a query to know whether the order is paid or already closed. */
const closeRefusals = new Set(['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS', 'ORDERPAID', 'ORDER_PAID', 'ORDER_CLOSED', 'INVALID_REQUEST', 'TRADE_ERROR', 'PARAM_ERROR']);

/** WeChat's description is string(127). */
const descriptionLengthMax = 127;

export interface PaymentDeps {
  readonly sdk: Wechatpay;
  readonly options: ResolvedOptions;
}

function orderBody(options: ResolvedOptions, request: CreatePaymentRequest): Record<string, unknown> {
  return {
    appid: options.appid,
    mchid: options.mchid,
    description: [...request.subject].slice(0, descriptionLengthMax).join(''),
    out_trade_no: request.paymentNo,
    // The channel stops taking payment a minute before the core's order expires, in Beijing time whatever our TZ.
    time_expire: formatRfc3339Beijing(request.expiresAtMs),
    notify_url: request.notifyUrl,
    amount: { total: request.amountFen, currency: 'CNY' },
  };
}

/** Node reports an IPv4 caller on a dual-stack socket as ::ffff:a.b.c.d; WeChat wants the address itself. */
function payerIp(address: string | undefined): string {
  if (address === undefined || address === '') return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export async function createPayment(deps: PaymentDeps, request: CreatePaymentRequest): Promise<CreatePaymentResult> {
  const method = request.method;
  // Routing hands this connector WeChat methods only: anything else is a bug, not a channel answer.
  assert(isWechatpayMethod(method), `the WeChat Pay connector was asked to create a ${method} payment`);
  assert(Number.isSafeInteger(request.expiresAtMs), `expiresAtMs must be epoch milliseconds, got ${request.expiresAtMs}`);
  const body = orderBody(deps.options, request);
  switch (method) {
    case 'wechatpay.native': {
      const settled = settle('createPayment', await call('createPayment', () => deps.sdk.chain('v3/pay/transactions/native').post(body)), createRefusals);
      if (settled.kind === 'refused') return { kind: 'rejected', code: settled.code, message: settled.message };
      const codeUrl = isRecord(settled.data) ? textField(settled.data.code_url) : undefined;
      if (!codeUrl) throw unavailable('createPayment', 'native order answered without code_url');
      return { kind: 'created', qrCode: codeUrl };
    }
    case 'wechatpay.h5': {
      const h5 = { ...body, scene_info: { payer_client_ip: payerIp(request.payerClientIp), h5_info: { type: 'Wap' } } };
      const settled = settle('createPayment', await call('createPayment', () => deps.sdk.chain('v3/pay/transactions/h5').post(h5)), createRefusals);
      if (settled.kind === 'refused') return { kind: 'rejected', code: settled.code, message: settled.message };
      const h5Url = isRecord(settled.data) ? textField(settled.data.h5_url) : undefined;
      if (!h5Url) throw unavailable('createPayment', 'h5 order answered without h5_url');
      return { kind: 'created', payUrl: withRedirect(h5Url, request) };
    }
    default:
      return assertNever(method, 'WeChat Pay method');
  }
}

/**
 * After an H5 payment the buyer's browser goes to the `redirect_url` the merchant appends to h5_url
 * (URL-encoded). WeChat adds nothing to it, so we name the payment ourselves: the return is a hint to
 * query, never proof.
 */
function withRedirect(h5Url: string, request: CreatePaymentRequest): string {
  if (!request.returnUrl) return h5Url;
  const target = new URL(request.returnUrl);
  target.searchParams.set('out_trade_no', request.paymentNo);
  return `${h5Url}${h5Url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(target.toString())}`;
}

export async function queryPayment(deps: PaymentDeps, paymentNo: string): Promise<ChannelPaymentStatus> {
  const answer = await call('queryPayment', () =>
    deps.sdk.chain('v3/pay/transactions/out-trade-no/{out_trade_no}').get({ params: { mchid: deps.options.mchid }, out_trade_no: paymentNo }),
  );
  const settled = settle('queryPayment', answer, queryAnswers);
  if (settled.kind === 'refused') return { kind: 'notFound' };
  return paymentStatusOf(deps.options, paymentNo, settled.data);
}

type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'USERPAYING' | 'CLOSED';
const tradeStates: readonly string[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'USERPAYING', 'CLOSED'] satisfies TradeState[];

/** Maps a 200 query answer; an answer that is not about this order and merchant, or lacks the paid amount, is unusable. */
export function paymentStatusOf(options: ResolvedOptions, paymentNo: string, data: unknown): ChannelPaymentStatus {
  if (!isRecord(data)) throw unavailable('queryPayment', 'the answer is not a JSON object');
  const answeredFor = textField(data.out_trade_no);
  if (answeredFor !== undefined && answeredFor !== paymentNo) throw unavailable('queryPayment', `asked about ${paymentNo}, the answer is about ${answeredFor}`);
  const mchid = textField(data.mchid);
  if (mchid !== undefined && mchid !== options.mchid) throw unavailable('queryPayment', `the answer names merchant ${mchid}, this connector is ${options.mchid}`);
  const raw = textField(data.trade_state) ?? '';
  // REVOKED and PAYERROR belong to payment-code trades, which this core never makes: never guessed at.
  if (!tradeStates.includes(raw)) return { kind: 'unrecognized', raw };
  const state = raw as TradeState;
  const channelTradeNo = textField(data.transaction_id);
  const amountFen = amountField(data, 'total');
  switch (state) {
    case 'NOTPAY':
    case 'USERPAYING':
      return { kind: 'waiting' };
    // REFUND (转入退款): it was paid, and a refund has been accepted since; the payment itself succeeded.
    case 'SUCCESS':
    case 'REFUND': {
      if (channelTradeNo === undefined || amountFen === undefined) {
        throw unavailable('queryPayment', `${state} without a usable transaction_id / amount.total (${JSON.stringify(data.transaction_id)}, ${JSON.stringify(data.amount)})`);
      }
      const paidAtMs = instantField(data.success_time);
      const buyerId = isRecord(data.payer) ? textField(data.payer.openid) : undefined;
      return { kind: 'paid', channelTradeNo, amountFen, ...(paidAtMs !== undefined ? { paidAtMs } : {}), ...(buyerId ? { buyerId } : {}) };
    }
    case 'CLOSED':
      // Only unpaid orders close at WeChat Pay: a paid one goes to REFUND, never to CLOSED.
      return { kind: 'closed', wasPaid: false, ...(channelTradeNo !== undefined ? { channelTradeNo } : {}), ...(amountFen !== undefined ? { amountFen } : {}) };
    default:
      return assertNever(state, 'WeChat Pay trade state');
  }
}

export async function closePayment(deps: PaymentDeps, paymentNo: string): Promise<ClosePaymentResult> {
  const answer = await call('closePayment', () =>
    deps.sdk.chain('v3/pay/transactions/out-trade-no/{out_trade_no}/close').post({ mchid: deps.options.mchid }, { out_trade_no: paymentNo }),
  );
  const settled = settle('closePayment', answer, closeRefusals);
  if (settled.kind === 'ok') return { kind: 'closed' };
  // The codes for closing a paid, closed or unknown order are not settled (§6.3, §11): only a query
  // tells which, and the difference is money: a paid order must be recorded (or refunded), not closed.
  const status = await queryPayment(deps, paymentNo);
  switch (status.kind) {
    case 'paid':
      return { kind: 'alreadyPaid' };
    case 'closed':
      return status.wasPaid ? { kind: 'alreadyPaid' } : { kind: 'closed' };
    case 'notFound':
      return { kind: 'notFound' };
    case 'waiting':
    case 'unrecognized':
      return { kind: 'rejected', code: settled.code, message: `${settled.message} (query says ${status.kind === 'waiting' ? 'NOTPAY' : status.raw})` };
    default:
      return assertNever(status, 'payment status');
  }
}

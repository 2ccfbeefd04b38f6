// alipay.trade.precreate / create / pay / query / close / cancel (docs/alipay-protocol.md §5).
import type { CreateTradeOutcome } from '../../engine/trades.ts';
import type { Buyer, TradeProduct } from '../../engine/types.ts';
import { createFaker } from '../../../lib/random.ts';
import { alipayBuyer } from './ids.ts';
import { alipayErrors, userPaying, type AlipayError } from './errors.ts';
import { failure, findTrade, readAll, success, type MethodCall, type MethodResult, type MethodSpec } from './method.ts';
import { fundBillList, paidAtMsOf, queryFields } from './trade-fields.ts';
import { beijingTime, callbackUrlError, expiryFrom, merchantNumberPattern, yuan } from './wire.ts';

const commonCreateFields = [
  'out_trade_no', 'total_amount', 'subject', 'body', 'product_code', 'goods_detail', 'time_expire', 'timeout_express',
  'extend_params', 'passback_params', 'store_id', 'operator_id', 'terminal_id', 'seller_id', 'merchant_order_no',
  'discountable_amount', 'undiscountable_amount', 'business_params', 'promo_params', 'goods_type', 'query_options',
  'enable_pay_channels', 'disable_pay_channels', 'settle_info', 'sub_merchant', 'royalty_info', 'invoice_info',
  'ext_user_info', 'agreement_sign_params', 'specified_channel', 'auth_token', 'merchant_order_no', 'alipay_store_id',
] as const;

/** The fields every checkout method reads, validated the same way. */
export function readOrder(call: MethodCall) {
  return readAll({
    outTradeNo: call.reader.string('out_trade_no', { required: true, pattern: merchantNumberPattern }),
    amountFen: call.reader.amountFen('total_amount', { required: true }),
    subject: call.reader.string('subject', { required: true, maxLength: 256 }),
    body: call.reader.string('body', { maxLength: 128 }),
    expiresAtMs: expiryFrom(call.biz, call.engine.clock.now(), call.config.timeExpireRange === 'enforce'),
    passback: call.reader.string('passback_params', { maxLength: 512 }),
    storeId: call.reader.string('store_id', { maxLength: 32 }),
  });
}

/** Creates the trade of a checkout method, or explains why the same out_trade_no cannot be reused. */
export async function createOrder(call: MethodCall, product: TradeProduct, visible: boolean, buyer?: Buyer): Promise<CreateTradeOutcome | { kind: 'invalid'; error: AlipayError }> {
  const read = readOrder(call);
  if (!read.ok) return { kind: 'invalid', error: read.error };
  const { outTradeNo, amountFen, subject, body, expiresAtMs, passback, storeId } = read.values;
  if (expiresAtMs !== undefined && expiresAtMs <= call.engine.clock.now()) {
    return { kind: 'invalid', error: alipayErrors.invalidParameter('time_expire 早于当前时间') };
  }
  const badUrl = callbackUrlError('notify_url', call.params.notify_url) ?? callbackUrlError('return_url', call.params.return_url);
  if (badUrl) return { kind: 'invalid', error: badUrl };
  const echo: Record<string, string> = {};
  if (passback) echo.passback_params = passback;
  if (storeId) echo.store_id = storeId;
  return call.engine.trades.create({
    channel: 'alipay',
    appId: call.app.appId,
    outTradeNo: outTradeNo!,
    product,
    amountFen: amountFen!,
    subject: subject!,
    ...(body ? { body } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
    ...(call.params.notify_url ? { notifyUrl: call.params.notify_url } : {}),
    ...(call.params.return_url ? { returnUrl: call.params.return_url } : {}),
    ...(typeof call.biz.quit_url === 'string' && call.biz.quit_url ? { quitUrl: call.biz.quit_url } : {}),
    visible,
    echo,
    ...(buyer ? { buyer } : {}),
  });
}

/**
 * The buyer `alipay.trade.create` names by `buyer_id`: that id, with a logon id and name of its own drawn
 * from a source forked by the id (the same buyer id gives the same buyer, and no other draw moves).
 */
function namedBuyer(call: MethodCall, buyerId: string): Buyer {
  const random = call.engine.ctx.random.fork(`alipay-buyer:${buyerId}`);
  return { ...alipayBuyer(random, createFaker(random)), id: buyerId };
}

/** Maps a refused re-submission of the same out_trade_no to Alipay's error. */
export function resubmissionError(outcome: CreateTradeOutcome | { kind: 'invalid'; error: AlipayError }): AlipayError | undefined {
  switch (outcome.kind) {
    case 'invalid':
      return outcome.error;
    case 'inconsistent':
      return alipayErrors.contextInconsistent();
    case 'alreadyPaid':
      return alipayErrors.tradeHasSuccess();
    case 'alreadyClosed':
      return alipayErrors.tradeHasClose();
    case 'limitReached':
      return alipayErrors.businessSystemError();
    case 'created':
    case 'existing':
      return undefined;
  }
}

const precreate: MethodSpec = {
  fields: [...commonCreateFields, 'qr_code_timeout_express'],
  async handle(call) {
    const outcome = await createOrder(call, 'precreate', !call.engine.config.invisibleUntilOpened);
    const error = resubmissionError(outcome);
    if (error || !('trade' in outcome)) return failure(error ?? alipayErrors.businessSystemError());
    return success({ out_trade_no: outcome.trade.outTradeNo, qr_code: `${call.baseUrl}/cashier/${outcome.trade.cashierToken}` });
  },
};

const create: MethodSpec = {
  fields: [...commonCreateFields, 'buyer_id', 'buyer_open_id', 'op_app_id', 'op_buyer_open_id', 'buyer_logon_id'],
  async handle(call) {
    const buyerId = call.reader.string('buyer_id', { pattern: /^2088\d{12}$/ });
    if (!buyerId.ok) return failure(buyerId.error);
    const buyerOpenId = call.reader.string('buyer_open_id', { maxLength: 128 });
    if (!buyerOpenId.ok) return failure(buyerOpenId.error);
    if (!buyerId.value && !buyerOpenId.value) return failure(alipayErrors.missingParameter('buyer_id'));
    const outcome = await createOrder(call, 'create', true, buyerId.value ? namedBuyer(call, buyerId.value) : undefined);
    const error = resubmissionError(outcome);
    if (error || !('trade' in outcome)) return failure(error ?? alipayErrors.businessSystemError());
    return success({ out_trade_no: outcome.trade.outTradeNo, trade_no: outcome.trade.tradeNo });
  },
};

/** Auth codes starting with 2800 leave the buyer confirming (10003 USERPAYING) for a while. */
export const userPayingAuthCodePrefix = '2800';

const pay: MethodSpec = {
  fields: [...commonCreateFields, 'scene', 'auth_code', 'auth_no', 'buyer_id'],
  async handle(call) {
    const scene = call.reader.string('scene', { required: true, pattern: /^(bar_code|security_code|wave_code)$/ });
    if (!scene.ok) return failure(scene.error);
    const authCode = call.reader.string('auth_code', { required: true });
    if (!authCode.ok) return failure(authCode.error);
    if (!/^\d{16,24}$/.test(authCode.value!)) return failure(alipayErrors.authCodeInvalid());
    const outcome = await createOrder(call, 'barcode', true);
    const error = resubmissionError(outcome);
    if (error || !('trade' in outcome)) return failure(error ?? alipayErrors.businessSystemError());
    let trade = outcome.trade;
    const confirming = authCode.value!.startsWith(userPayingAuthCodePrefix) || call.forceUserPaying === true;
    if (confirming) {
      if (outcome.kind === 'created') await call.engine.trades.awaitBuyerConfirmation(trade.key, call.engine.clock.now() + call.engine.config.barcodeUserPayingMs);
      return { ok: true, status: userPaying, fields: { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, total_amount: yuan(trade.amountFen) } };
    }
    const paid = await call.engine.trades.pay(trade.key);
    if (paid.kind !== 'paid') return failure(alipayErrors.tradeStatusError());
    trade = paid.trade;
    const amount = yuan(trade.amountFen);
    return success({
      trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, buyer_logon_id: trade.buyer!.logonId, total_amount: amount,
      receipt_amount: amount, buyer_pay_amount: amount, point_amount: '0.00', invoice_amount: amount,
      gmt_payment: beijingTime(paidAtMsOf(trade)!), fund_bill_list: fundBillList(trade), buyer_user_id: trade.buyer!.id,
    });
  },
};

const query: MethodSpec = {
  fields: ['out_trade_no', 'trade_no', 'org_pid', 'query_options'],
  async handle(call) {
    const found = findTrade(call);
    return found.ok ? success(queryFields(call.engine.viewForQuery(found.value))) : failure(found.error);
  },
};

const close: MethodSpec = {
  fields: ['out_trade_no', 'trade_no', 'operator_id'],
  async handle(call) {
    const found = findTrade(call);
    if (!found.ok) return failure(found.error);
    const outcome = await call.engine.trades.close(found.value.key, 'merchant_close');
    if (outcome.kind !== 'closed') return failure(alipayErrors.tradeStatusError());
    return success({ trade_no: outcome.trade.tradeNo, out_trade_no: outcome.trade.outTradeNo });
  },
};

const cancelWindowMs = 24 * 60 * 60 * 1000;

const cancel: MethodSpec = {
  fields: ['out_trade_no', 'trade_no'],
  async handle(call) {
    const found = findTrade(call);
    if (!found.ok) return failure(found.error);
    const trade = found.value;
    const ids = { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo };
    if (call.engine.clock.now() - trade.createdAtMs > cancelWindowMs) return failure(alipayErrors.cancelTimeout());
    switch (trade.state.kind) {
      case 'waiting': {
        await call.engine.trades.close(trade.key, 'cancel');
        return success({ ...ids, retry_flag: 'N', action: 'close' });
      }
      case 'paid': {
        // Refunds already under way take back everything: the cancel is their refund, not a 0-fen one.
        const leftFen = trade.amountFen - trade.refundAcceptedFen;
        if (leftFen === 0) return success({ ...ids, retry_flag: 'N', action: 'refund' });
        const refund = await call.engine.refunds.request({ tradeKey: trade.key, outRequestNo: `CANCEL${trade.outTradeNo}`.slice(0, 64), amountFen: leftFen, reason: 'cancel' });
        if (refund.kind !== 'accepted') return failure(alipayErrors.tradeStatusError());
        await call.engine.refunds.complete(refund.refund.key);
        return success({ ...ids, retry_flag: 'N', action: 'refund', gmt_refund_pay: beijingTime(call.engine.clock.now()) });
      }
      case 'closed':
        return success({ ...ids, retry_flag: 'N', ...(trade.state.paidAtMs === undefined ? { action: 'close' } : { action: 'refund' }) });
      case 'finished':
        return failure(alipayErrors.tradeHasFinished());
    }
  },
};

export const tradeMethods: Record<string, MethodSpec> = {
  'alipay.trade.precreate': precreate,
  'alipay.trade.create': create,
  'alipay.trade.pay': pay,
  'alipay.trade.query': query,
  'alipay.trade.close': close,
  'alipay.trade.cancel': cancel,
};

export const pageMethodFields = [...commonCreateFields, 'quit_url', 'qr_pay_mode', 'qrcode_width', 'integration_type', 'request_from_url', 'time_expire'];

export type { MethodResult };

// Orders: create (native, h5, jsapi, app), query by out_trade_no and by transaction_id, close
// (docs/wechatpay-protocol.md §6.1–§6.3).
import type { Trade } from '../../engine/types.ts';
import { failure, json, numberOf, textOf, type ApiCall, type ApiResult, type ApiSpec } from './api.ts';
import { wechatpayErrors } from './errors.ts';
import { prepayIdOf } from './ids.ts';
import { transactionFields, type WechatpayProduct } from './trade-fields.ts';
import { BodyReader, ParamFailure, parseRfc3339 } from './wire.ts';
import { notifyUrlProblem } from './urls.ts';

const outTradeNoPattern = /^[0-9A-Za-z_\-*]{6,32}$/;

/** Reads the request body strictly: PARAM_ERROR for the first problem. */
export async function reading(read: () => Promise<ApiResult>): Promise<ApiResult> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ParamFailure) return failure(error.error);
    throw error;
  }
}

/** The `mchid` a call names must be the one that signed it. */
export function sameMerchant(call: ApiCall, mchid: string, location: 'body' | 'query'): ApiResult | undefined {
  if (mchid === call.app.appId) return undefined;
  return failure(wechatpayErrors.paramError('mchid', `与 Authorization 中的商户号 ${call.app.appId} 不一致`, location, mchid));
}

function payAnswer(call: ApiCall, product: WechatpayProduct, trade: Trade): ApiResult {
  const cashier = `${call.baseUrl}/cashier/${trade.cashierToken}`;
  const real = call.config.payUrlStyle === 'real';
  switch (product) {
    case 'native':
      return json({ code_url: real ? `weixin://wxpay/bizpayurl?pr=${trade.cashierToken.slice(0, 9)}&paysim=${trade.cashierToken}` : cashier });
    case 'h5':
      return json({ h5_url: real ? `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayIdOf(trade)}&package=${trade.cashierToken}` : cashier });
    case 'jsapi':
    case 'app':
      return json({ prepay_id: prepayIdOf(trade) });
  }
}

/**
 * A waiting order sent again with other content than the engine compares (amount, description): another
 * `appid`, `notify_url` or `attach` is another order under a used `out_trade_no`, not a retry. [M] §6.1
 */
function resubmittedOtherwise(existing: Trade, sent: { appid: string; notifyUrl: string; attach: string | undefined }): boolean {
  if (existing.state.kind !== 'waiting') return false;
  return existing.echo.appid !== sent.appid || existing.notifyUrl !== sent.notifyUrl || existing.echo.attach !== sent.attach;
}

function createOrder(product: WechatpayProduct): ApiSpec {
  return {
    name: `POST /v3/pay/transactions/${product}`,
    method: 'POST',
    path: new RegExp(`^/v3/pay/transactions/${product}$`),
    createsTrade: true,
    facts: ({ body }) => {
      const amount = body.amount as Record<string, unknown> | undefined;
      const total = numberOf(amount?.total);
      const outTradeNo = textOf(body.out_trade_no);
      const subject = textOf(body.description);
      return { ...(outTradeNo ? { outTradeNo } : {}), ...(total !== undefined ? { amountFen: total } : {}), ...(subject ? { subject } : {}) };
    },
    handle: (call) =>
      reading(async () => {
        const body = BodyReader.parse(call.body);
        const appid = body.string('appid', { lengthMax: 32 });
        const mismatch = sameMerchant(call, body.string('mchid', { lengthMax: 32 }), 'body');
        if (mismatch) return mismatch;
        const description = body.string('description', { lengthMax: 127 });
        const outTradeNo = body.string('out_trade_no', { lengthMax: 32, pattern: outTradeNoPattern });
        const notifyUrl = body.string('notify_url', { lengthMax: 255 });
        const urlProblem = notifyUrlProblem(notifyUrl);
        if (urlProblem) return failure(wechatpayErrors.paramError('notify_url', urlProblem, 'body', notifyUrl));
        const amount = body.object('amount');
        const totalFen = amount.fen('total');
        amount.currency();
        const attach = body.optionalString('attach', { lengthMax: 128 });
        const timeExpire = body.optionalString('time_expire', { lengthMax: 64 });
        const expiresAtMs = timeExpire === undefined ? undefined : parseRfc3339(timeExpire);
        if (timeExpire !== undefined && expiresAtMs === undefined) return failure(wechatpayErrors.paramError('time_expire', '必须是 RFC 3339 时间，如 2026-01-01T12:00:00+08:00', 'body', timeExpire));
        const echo: Record<string, string> = { appid, ...(attach !== undefined ? { attach } : {}) };
        let openid: string | undefined;
        if (product === 'jsapi') openid = body.object('payer').string('openid', { lengthMax: 128 });
        if (product === 'h5') {
          const scene = body.object('scene_info');
          echo.payer_client_ip = scene.string('payer_client_ip', { lengthMax: 45 });
          scene.object('h5_info').string('type', { lengthMax: 32 });
        }
        const existing = call.engine.trades.find('wechatpay', call.app.appId, { outTradeNo });
        if (existing && (existing.product !== product || resubmittedOtherwise(existing, { appid, notifyUrl, attach }))) return failure(wechatpayErrors.outTradeNoUsed());
        const outcome = await call.engine.trades.create({
          channel: 'wechatpay', appId: call.app.appId, outTradeNo, product, amountFen: totalFen, subject: description, notifyUrl, visible: true, echo,
          ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
          ...(openid ? { buyer: { id: openid, logonId: openid, name: openid } } : {}),
        });
        switch (outcome.kind) {
          case 'created':
          case 'existing':
            if (call.userPaying) await call.engine.trades.awaitBuyerConfirmation(outcome.trade.key, call.engine.clock.now() + call.engine.config.barcodeUserPayingMs);
            return payAnswer(call, product, outcome.trade);
          case 'inconsistent':
            return failure(wechatpayErrors.outTradeNoUsed());
          case 'alreadyPaid':
            return failure(wechatpayErrors.orderPaid());
          case 'alreadyClosed':
            // A paid order refunded in full is closed here, but to WeChat Pay it stays paid (trade_state REFUND).
            return failure(outcome.trade.state.kind === 'closed' && outcome.trade.state.paidAtMs !== undefined ? wechatpayErrors.orderPaid() : wechatpayErrors.orderClosed());
          case 'limitReached':
            return failure(wechatpayErrors.systemError());
        }
      }),
  };
}

function queryMchid(call: ApiCall): ApiResult | undefined {
  const mchid = call.query.get('mchid');
  if (!mchid) return failure(wechatpayErrors.paramError('mchid', '此字段为必填项', 'query'));
  return sameMerchant(call, mchid, 'query');
}

const queryByOutTradeNo: ApiSpec = {
  name: 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}',
  method: 'GET',
  path: /^\/v3\/pay\/transactions\/out-trade-no\/(?<out_trade_no>[^/]+)$/,
  facts: ({ params }) => ({ outTradeNo: params.out_trade_no! }),
  async handle(call) {
    const refused = queryMchid(call);
    if (refused) return refused;
    const trade = call.engine.trades.find('wechatpay', call.app.appId, { outTradeNo: call.params.out_trade_no! });
    if (!trade) return failure(wechatpayErrors.orderNotExist());
    return json(transactionFields(call.engine.viewForQuery(trade), call.app));
  },
};

const queryByTransactionId: ApiSpec = {
  name: 'GET /v3/pay/transactions/id/{transaction_id}',
  method: 'GET',
  path: /^\/v3\/pay\/transactions\/id\/(?<transaction_id>[^/]+)$/,
  facts: () => ({}),
  async handle(call) {
    const refused = queryMchid(call);
    if (refused) return refused;
    const trade = call.engine.trades.find('wechatpay', call.app.appId, { tradeNo: call.params.transaction_id! });
    // A transaction_id exists for the merchant only once the order is paid.
    const seen = trade ? call.engine.viewForQuery(trade) : undefined;
    if (!seen || !('paidAtMs' in seen.state) || seen.state.paidAtMs === undefined) return failure(wechatpayErrors.orderNotExist());
    return json(transactionFields(seen, call.app));
  },
};

const close: ApiSpec = {
  name: 'POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close',
  method: 'POST',
  path: /^\/v3\/pay\/transactions\/out-trade-no\/(?<out_trade_no>[^/]+)\/close$/,
  facts: ({ params }) => ({ outTradeNo: params.out_trade_no! }),
  handle: (call) =>
    reading(async () => {
      const mismatch = sameMerchant(call, BodyReader.parse(call.body).string('mchid', { lengthMax: 32 }), 'body');
      if (mismatch) return mismatch;
      const trade = call.engine.trades.find('wechatpay', call.app.appId, { outTradeNo: call.params.out_trade_no! });
      if (!trade) return failure(wechatpayErrors.orderNotExist());
      const outcome = await call.engine.trades.close(trade.key, 'merchant_close');
      if (outcome.kind === 'closed') return { kind: 'empty' };
      if (outcome.kind === 'notFound') return failure(wechatpayErrors.orderNotExist());
      // Closing a closed order again changes nothing; a paid one cannot be closed. [L] §6.3
      const state = outcome.trade.state;
      return state.kind === 'closed' && state.paidAtMs === undefined ? { kind: 'empty' } : failure(wechatpayErrors.orderPaid());
    }),
};

export const transactionApis: readonly ApiSpec[] = [
  createOrder('native'), createOrder('h5'), createOrder('jsapi'), createOrder('app'), queryByOutTradeNo, queryByTransactionId, close,
];


// alipay.trade.page.pay (PC) and alipay.trade.wap.pay (H5): the browser arrives at the gateway with a
// signed GET or auto-posted form; the trade is created and the buyer is sent on to the cashier. An
// invalid request shows an error page, as Alipay does, never JSON.
import { escapeHtml } from '../../../lib/http.ts';
import type { Engine } from '../../engine/engine.ts';
import type { App } from '../../engine/types.ts';
import type { AlipayConfig } from './config.ts';
import { alipayErrors, type AlipayError } from './errors.ts';
import { unknownField } from './gateway.ts';
import { createOrder, pageMethodFields, resubmissionError } from './trade-methods.ts';
import { BizReader, type Biz } from './wire.ts';

const productCodes: Record<string, string> = {
  'alipay.trade.page.pay': 'FAST_INSTANT_TRADE_PAY',
  'alipay.trade.wap.pay': 'QUICK_WAP_WAY',
};

export interface PagePayInput {
  engine: Engine;
  app: App;
  method: string;
  biz: Biz;
  params: Record<string, string>;
  config: AlipayConfig;
  baseUrl: string;
}

export async function startPagePay(input: PagePayInput): Promise<{ ok: true; cashierPath: string } | { ok: false; error: AlipayError }> {
  const unknown = unknownField(input.biz, pageMethodFields, input.config);
  if (unknown) return { ok: false, error: unknown };
  const reader = new BizReader(input.biz);
  const productCode = reader.string('product_code', { required: true });
  if (!productCode.ok) return productCode;
  const expected = productCodes[input.method]!;
  if (productCode.value !== expected) {
    return { ok: false, error: alipayErrors.invalidParameter(`product_code 应为 ${expected}，收到 ${productCode.value}`) };
  }
  const call = { engine: input.engine, app: input.app, biz: input.biz, reader, params: input.params, baseUrl: input.baseUrl, config: input.config };
  // Opening the page is the buyer arriving at the cashier: the trade is visible from now on.
  const outcome = await createOrder(call, input.method === 'alipay.trade.wap.pay' ? 'wap' : 'page', true);
  const error = resubmissionError(outcome);
  if (error || !('trade' in outcome)) return { ok: false, error: error ?? alipayErrors.businessSystemError() };
  await input.engine.trades.makeVisible(outcome.trade);
  return { ok: true, cashierPath: `/cashier/${outcome.trade.cashierToken}` };
}

export function renderPageError(error: AlipayError): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>支付宝 - 错误</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;color:#333}code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
<body><h1>抱歉，请求出错了</h1>
<p id="error-code">错误代码 <code>${escapeHtml(error.subCode)}</code> (${escapeHtml(error.code)} ${escapeHtml(error.msg)})</p>
<p id="error-message">${escapeHtml(error.subMsg)}</p>
<p>paysim: this is the page Alipay shows a buyer when a page or wap pay request is invalid.</p>
</body></html>`;
}

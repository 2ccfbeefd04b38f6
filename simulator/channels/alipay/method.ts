// The shape of one gateway method: the biz_content fields it defines and its handler. Handlers return
// values; routes wrap them as v2 envelopes or v3 bodies.
import type { Engine } from '../../engine/engine.ts';
import type { App, Trade } from '../../engine/types.ts';
import type { AlipayConfig } from './config.ts';
import { alipayErrors, type AlipayError } from './errors.ts';
import { BizReader, merchantNumberPattern, type Biz, type Outcome } from './wire.ts';

export interface MethodCall {
  readonly engine: Engine;
  readonly app: App;
  readonly biz: Biz;
  readonly reader: BizReader;
  /** Common (non-biz) parameters: notify_url, return_url … */
  readonly params: Readonly<Record<string, string>>;
  readonly baseUrl: string;
  readonly config: AlipayConfig;
  /** A fault made the buyer still confirm this barcode payment (10003 USERPAYING). */
  readonly forceUserPaying?: boolean;
}

export type MethodResult =
  | { ok: true; fields: Record<string, unknown>; status?: { code: string; msg: string } }
  | { ok: false; error: AlipayError; fields?: Record<string, unknown> };

export interface MethodSpec {
  /** Every biz_content field the method defines; others are rejected in strict mode. */
  readonly fields: readonly string[];
  handle(call: MethodCall): Promise<MethodResult>;
}

export const success = (fields: Record<string, unknown>): MethodResult => ({ ok: true, fields });
export const failure = (error: AlipayError, fields?: Record<string, unknown>): MethodResult => ({ ok: false, error, ...(fields ? { fields } : {}) });

/**
 * Finds the trade a request names by trade_no or out_trade_no (trade_no wins). A trade the buyer has
 * not opened yet does not exist at the channel.
 */
export function findTrade(call: MethodCall): Outcome<Trade> {
  const outTradeNo = call.reader.string('out_trade_no', { pattern: merchantNumberPattern });
  if (!outTradeNo.ok) return outTradeNo;
  const tradeNo = call.reader.string('trade_no', { pattern: /^\d{1,64}$/ });
  if (!tradeNo.ok) return tradeNo;
  if (!outTradeNo.value && !tradeNo.value) return { ok: false, error: alipayErrors.missingParameter('out_trade_no') };
  const trade = call.engine.trades.find('alipay', call.app.appId, {
    ...(outTradeNo.value ? { outTradeNo: outTradeNo.value } : {}),
    ...(tradeNo.value ? { tradeNo: tradeNo.value } : {}),
  });
  if (!trade || trade.visibleAtMs === undefined) return { ok: false, error: alipayErrors.tradeNotExist() };
  return { ok: true, value: trade };
}

/** Reads several fields; the first failure wins. */
export function readAll<T extends Record<string, Outcome<unknown>>>(
  outcomes: T,
): { ok: true; values: { [K in keyof T]: T[K] extends Outcome<infer V> ? V : never } } | { ok: false; error: AlipayError } {
  const values: Record<string, unknown> = {};
  for (const [name, outcome] of Object.entries(outcomes)) {
    if (!outcome.ok) return { ok: false, error: outcome.error };
    values[name] = outcome.value;
  }
  return { ok: true, values: values as never };
}

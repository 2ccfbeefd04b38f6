// What one WeChat Pay API is to the routes: its name (the fault rules' `match.api`), its method and path,
// what fault matching needs to know of a call, and its handler, which returns a value (never throws for a
// client's mistake: a ParamFailure becomes PARAM_ERROR).
import type { Random } from '../../../lib/random.ts';
import type { Engine } from '../../engine/engine.ts';
import type { App } from '../../engine/types.ts';
import type { BillFiles } from './bill-files.ts';
import type { WechatpayConfig } from './config.ts';
import type { WechatpayError } from './errors.ts';

export interface ApiCall {
  readonly engine: Engine;
  readonly config: WechatpayConfig;
  readonly app: App;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The raw request body (empty for GET). */
  readonly body: string;
  readonly baseUrl: string;
  readonly random: Random;
  readonly billFiles: BillFiles;
  /** A `business_error USERPAYING` fault: the order is created and the buyer is still confirming. */
  readonly userPaying: boolean;
}

export type ApiResult =
  | { readonly kind: 'json'; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly error: WechatpayError }
  /** A file, unsigned, as /v3/billdownload/file answers (§6.6). */
  | { readonly kind: 'file'; readonly bytes: Buffer; readonly contentType: string };

/** What fault rules can match on. */
export interface CallFacts {
  readonly outTradeNo?: string;
  readonly outRequestNo?: string;
  readonly amountFen?: number;
  readonly subject?: string;
}

export interface ApiSpec {
  /** `METHOD /path` with `{name}` for path parameters, as fault rules name it. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Matches the request path; named groups are the path parameters. */
  readonly path: RegExp;
  /** Creates a trade (gateway magic values act on these only). */
  readonly createsTrade?: boolean;
  facts(call: { params: Readonly<Record<string, string>>; query: URLSearchParams; body: Record<string, unknown> }): CallFacts;
  handle(call: ApiCall): Promise<ApiResult>;
}

export const json = (fields: Readonly<Record<string, unknown>>): ApiResult => ({ kind: 'json', fields });
export const failure = (error: WechatpayError): ApiResult => ({ kind: 'error', error });

/** A lenient look at a JSON body for fault matching (the handler reads it strictly). */
export function looseBody(text: string): Record<string, unknown> {
  if (text === '') return {}; // a GET's: no exception to build
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);

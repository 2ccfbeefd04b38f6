// The v2 gateway pipeline shared by JSON methods and page methods: merge parameters, check the common
// ones, verify the merchant's signature, parse biz_content. Every failure is an Alipay error value.
import type { Engine } from '../../engine/engine.ts';
import { publicKeyObject } from '../../engine/keys.ts';
import type { App } from '../../engine/types.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';
import type { AlipayConfig } from './config.ts';
import { alipayErrors, type AlipayError } from './errors.ts';
import { requestSignContent, verify, type SignType } from './sign.ts';
import { dateTimePattern, mergeParameters, parseBizContent, type Biz } from './wire.ts';

/** Parameters that are not biz_content: never rejected as unknown. */
const commonParameters = new Set([
  'app_id', 'method', 'format', 'charset', 'sign_type', 'sign', 'timestamp', 'version', 'notify_url', 'return_url',
  'biz_content', 'auth_token', 'app_auth_token', 'app_cert_sn', 'alipay_root_cert_sn', 'ws_service_url', 'alipay_sdk',
  'encrypt_type', 'prod_code', 'terminal_type', 'terminal_info',
]);

export interface GatewayRequest {
  readonly method: string;
  readonly app: App;
  readonly params: Record<string, string>;
  readonly biz: Biz;
  readonly signType: SignType;
}

export type GatewayOutcome =
  | { ok: true; request: GatewayRequest }
  | { ok: false; method: string | undefined; app: App | undefined; error: AlipayError; signType: SignType };

export const signTypeOf = (value: string | null | undefined): SignType => (value === 'RSA' ? 'RSA' : 'RSA2');

/** Runs every gateway check in the order the real gateway reports them. */
export function admitV2(engine: Engine, config: AlipayConfig, query: URLSearchParams, body: URLSearchParams, knownMethod: (method: string) => boolean): GatewayOutcome {
  const merged = mergeParameters(query, body);
  const method = query.get('method') ?? body.get('method') ?? undefined;
  // An error found before the app is checked is still signed with that app's channel key when the
  // app_id names a known app: the merchant's SDK verifies every answer with its own Alipay public key.
  const namedApp = (appId: string | null | undefined) => (appId ? engine.apps.get('alipay', appId) : undefined);
  // Errors are signed with the request's sign type as soon as it names one the SDK can verify with.
  if (!merged.ok) return { ok: false, method, app: namedApp(query.get('app_id') ?? body.get('app_id')), error: merged.error, signType: 'RSA2' };
  const params = merged.value;
  const refuse = (error: AlipayError, app?: App): GatewayOutcome => ({
    ok: false, method: params.method || undefined, app: app ?? namedApp(params.app_id), error, signType: signTypeOf(params.sign_type),
  });
  if (!params.method) return refuse(alipayErrors.missingMethod());
  if (!knownMethod(params.method)) return refuse(alipayErrors.invalidMethod(params.method));
  if (!params.app_id) return refuse(alipayErrors.missingAppId());
  const app = engine.apps.get('alipay', params.app_id);
  if (!app) return refuse(alipayErrors.invalidAppId(params.app_id));
  if (params.charset && params.charset.toLowerCase() !== 'utf-8') return refuse(alipayErrors.invalidCharset(params.charset), app);
  if (params.format && params.format.toUpperCase() !== 'JSON') return refuse(alipayErrors.invalidFormat(params.format), app);
  if (!params.sign_type) return refuse(alipayErrors.missingSignType(), app);
  if (params.sign_type !== 'RSA2' && params.sign_type !== 'RSA') return refuse(alipayErrors.invalidSignType(params.sign_type), app);
  if (!params.sign) return refuse(alipayErrors.missingSignature(), app);
  if (!params.timestamp) return refuse(alipayErrors.missingTimestamp(), app);
  if (!dateTimePattern.test(params.timestamp) || parseBeijingDateTime(params.timestamp) === undefined) return refuse(alipayErrors.invalidTimestamp(params.timestamp), app);
  if (!params.version) return refuse(alipayErrors.missingVersion(), app);
  const content = requestSignContent(params);
  if (!verify(content, params.sign, publicKeyObject(app.merchantPublicKeyPem), params.sign_type)) {
    return refuse(alipayErrors.invalidSignature(content), app);
  }
  const biz = parseBizContent(params.biz_content);
  if (!biz.ok) return refuse(biz.error, app);
  return { ok: true, request: { method: params.method, app, params, biz: biz.value, signType: params.sign_type } };
}

/** In strict mode a biz_content field the method does not define is an error that names it. */
export function unknownField(biz: Biz, fields: readonly string[], config: AlipayConfig): AlipayError | undefined {
  if (!config.strictParameters) return undefined;
  const known = new Set(fields);
  const unknown = Object.keys(biz).find((name) => !known.has(name));
  return unknown === undefined
    ? undefined
    : alipayErrors.invalidParameter(`biz_content 含有该接口未定义的参数 ${unknown}（检查拼写；如确需透传，可关闭 alipay.strictParameters）`);
}

/** Custom top-level parameters the gateway does not know (they would be biz fields misplaced). */
export function unknownCommonParameter(params: Record<string, string>, config: AlipayConfig): AlipayError | undefined {
  if (!config.strictParameters) return undefined;
  const unknown = Object.keys(params).find((name) => !commonParameters.has(name));
  return unknown === undefined ? undefined : alipayErrors.invalidParameter(`未知的公共参数 ${unknown}（业务参数应放在 biz_content 中）`);
}

// The official alipay-sdk client and the one way this connector calls the v2 gateway: every answer's
// signature verified, every thrown error (timeout, reset, non-200, malformed JSON, bad signature)
// turned into ChannelUnavailableError, because none of them tells us what the channel did.
import type { KeyObject } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { privateKeyObject, publicKeyObject } from '../../../lib/key-objects.ts';
import type { ChannelUnavailableError } from '../channel.ts';
import { settleReply, unavailable, type GatewayReply, type SettledReply } from './errors.ts';
import type { ResolvedOptions } from './options.ts';
import { threadedSdk } from './sdk-thread.ts';

/** The SDK's constructor options, as both the in-loop client and the SDK thread's are built from them. */
export function sdkConfig(options: ResolvedOptions) {
  return {
    appId: options.appId,
    privateKey: options.privateKeyPem,
    keyType: 'PKCS1',
    alipayPublicKey: options.alipayPublicKeyPem,
    signType: 'RSA2',
    gateway: options.gatewayUrl,
    endpoint: options.endpoint,
    timeout: options.timeoutMs,
    // Keep Alipay's own field names (trade_status, sub_code), as the protocol notes and docs spell them.
    camelcase: false,
  } as const;
}

export function createSdk(options: ResolvedOptions): AlipaySdk {
  const sdk = new AlipaySdk(sdkConfig(options));
  // The SDK keeps the PEM strings and hands them to createSign/createVerify, which parse them again on
  // every call (about 0.7 ms of a 1 ms signature). node:crypto takes KeyObjects in the same calls, so the
  // keys are parsed once here; requests and answers still go through the SDK's own formats and checks.
  const config = sdk.config as unknown as { privateKey: string | KeyObject; alipayPublicKey: string | KeyObject };
  config.privateKey = privateKeyObject(options.privateKeyPem);
  config.alipayPublicKey = publicKeyObject(options.alipayPublicKeyPem);
  return sdk;
}

/**
 * The SDK calls that sign: exec (sign the request, HTTP, verify the answer) and pageExec (sign a pay
 * URL). In the event loop by default; on the SDK thread (sdk-thread.ts) with the `sdkThread` option.
 */
export interface SigningCalls {
  exec(method: string, params: Record<string, unknown>, options: Record<string, unknown>): Promise<unknown>;
  pageExec(method: string, httpMethod: 'GET', params: Record<string, unknown>): Promise<string>;
}

export function signingCalls(sdk: AlipaySdk, options: ResolvedOptions): SigningCalls {
  if (options.sdkThread) return threadedSdk(sdkConfig(options));
  return {
    exec: (method, params, execOptions) => sdk.exec(method, params, execOptions),
    pageExec: async (method, httpMethod, params) => sdk.pageExec(method, httpMethod, params),
  };
}

export interface GatewayCall {
  /** The core's name for the operation, for error messages (e.g. `queryPayment`). */
  readonly operation: string;
  /** The v2 method, e.g. `alipay.trade.query`. */
  readonly method: string;
  /** biz_content with Alipay's snake_case names. */
  readonly bizContent: Record<string, unknown>;
  /** Common parameters outside biz_content (notify_url). */
  readonly common?: Record<string, string>;
  /** 40004 sub codes that are definite answers for this operation. */
  readonly definiteSubCodes: ReadonlySet<string>;
}

export type Gateway = (call: GatewayCall) => Promise<SettledReply>;

export function createGateway(calls: SigningCalls): Gateway {
  return async (call) => {
    let reply: unknown;
    try {
      // validateSign is off by default in v4: without it a forged or corrupted answer would be believed.
      reply = await calls.exec(call.method, { ...call.common, bizContent: call.bizContent }, { validateSign: true });
    } catch (error) {
      throw transportFailure(call.operation, error);
    }
    if (!isReply(reply)) throw unavailable(call.operation, `answer without a code: ${JSON.stringify(reply).slice(0, 200)}`);
    return settleReply(call.operation, reply, call.definiteSubCodes);
  };
}

function isReply(value: unknown): value is GatewayReply {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

function transportFailure(operation: string, error: unknown): ChannelUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  // The SDK's signature failure quotes the whole answer: keep the start, which says what failed.
  return unavailable(operation, `${name}: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`);
}

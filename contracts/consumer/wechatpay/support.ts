// Building blocks of the WeChat Pay API interactions: what the connector's SDK sends (a signed
// Authorization over method, path and query, timestamp, nonce and the JSON body), a signed answer that
// verifies in the connector exactly as a real one does, the connector itself pointed at the mock server,
// and the check that every request the connector made carries a merchant signature that verifies.
//
// The SDK compares an answer's Wechatpay-Timestamp with Date.now() (±300 s), and the pact file must hold
// fixed examples to stay byte-stable: so the consumer tests run with Date pinned to the examples' time
// (pinExampleTime), which also makes the SDK stamp its requests with that time.
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
// The builder types are not re-exported from the package root.
import type { V4MockServer, V4RequestBuilder, V4ResponseBuilder } from '@pact-foundation/pact/src/v4/http/types.js';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { Channel } from '../../../core/connectors/channel.ts';
import { createWechatpayChannel } from '../../../core/connectors/wechatpay/index.ts';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { consumerName, pactDirectory, pactLogLevel, wechatpayApiProviderName, wechatpayContract } from '../../support/participants.ts';
import { mockServerBookkeeping } from '../../support/mock-server-bookkeeping.ts';
import { authorization, canonicalWechatJson, requestSignatureProblem, requestSignContent, responseSignContent, sha256RsaSign, wechatPatterns } from '../../support/wechatpay-wire.ts';
import { startRequestRecorder, type RecordedRequest } from '../support/request-recorder.ts';

const { regex, reify } = MatchersV3;

/** 2026-01-01 08:00:00 Beijing: the time of every example request and answer. */
export const exampleTimeMs = Date.parse('2026-01-01T08:00:00+08:00');
export const exampleTimestamp = String(exampleTimeMs / 1000);
const exampleRequestNonce = 'PAYSIMCONTRACTNONCE0123456789abc';
const exampleAnswerNonce = '2dbad5dcaa6a84099a1944e26fce1e24';

/** Date pinned to the examples' time for every test of the file (only Date: timers run as usual). */
export function pinExampleTime(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: exampleTimeMs });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

export function wechatpayPact(options: { port?: number; dir?: string } = {}): PactV4 {
  return new PactV4({
    consumer: consumerName,
    provider: wechatpayApiProviderName,
    dir: options.dir ?? pactDirectory,
    logLevel: pactLogLevel,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
}

/** The core's real WeChat Pay connector (wechatpay-axios-plugin inside, every answer verified), at `baseUrl`. */
export function wechatpayConnectorAt(baseUrl: string, options: { privateKeyPem?: string } = {}): Channel {
  return createWechatpayChannel({
    mchid: wechatpayContract.mchid,
    appid: wechatpayContract.appid,
    merchantSerialNo: wechatpayContract.merchantSerialNo,
    privateKeyPem: options.privateKeyPem ?? fixtureKeys.merchant.privateKeyPem,
    platformKeys: { [wechatpayContract.platformKeyId]: fixtureKeys.channel.publicKeyPem },
    apiV3Key: wechatpayContract.apiV3Key,
    baseUrl,
    timeoutMs: 5_000,
  });
}

export interface ApiCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The query in the order the SDK writes it. */
  readonly query?: Readonly<Record<string, string>>;
  /** The JSON body in the connector's key order: the SDK signs JSON.stringify of it. */
  readonly body?: Readonly<Record<string, unknown>>;
  readonly privateKeyPem?: string;
}

/** The request as the connector's SDK sends it, with an Authorization signed for real over the example. */
export function apiRequest(builder: V4RequestBuilder, call: ApiCall): void {
  const search = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  const bodyText = call.body === undefined ? '' : JSON.stringify(call.body);
  const signature = sha256RsaSign(requestSignContent(call.method, `${call.path}${search}`, exampleTimestamp, exampleRequestNonce, bodyText), call.privateKeyPem ?? fixtureKeys.merchant.privateKeyPem);
  const example = authorization({ mchid: wechatpayContract.mchid, serial_no: wechatpayContract.merchantSerialNo, timestamp: exampleTimestamp, nonce_str: exampleRequestNonce, signature });
  builder.headers({ Authorization: regex(wechatPatterns.authorization, example) });
  if (call.query) builder.query({ ...call.query });
  if (call.body !== undefined) builder.jsonBody(call.body);
}

/**
 * A WeChat Pay answer signed with the fixture channel key under the contract's public key id, over the
 * exact bytes the mock server sends (it writes the JSON body canonical: keys sorted, compact; an absent
 * body is the empty string of a 204). Matchers stay in the template; only their example values are signed.
 */
export function signedAnswer(builder: V4ResponseBuilder, body?: Readonly<Record<string, unknown>>): void {
  const text = body === undefined ? '' : canonicalWechatJson(reify(body));
  const signature = sha256RsaSign(responseSignContent(exampleTimestamp, exampleAnswerNonce, text), fixtureKeys.channel.privateKeyPem);
  builder.headers({
    'Wechatpay-Timestamp': regex(wechatPatterns.timestamp, exampleTimestamp),
    'Wechatpay-Nonce': regex('^[0-9A-Za-z]{16,64}$', exampleAnswerNonce),
    'Wechatpay-Serial': regex(wechatPatterns.serial, wechatpayContract.platformKeyId),
    'Wechatpay-Signature': regex(wechatPatterns.signature, signature),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    ...(body === undefined ? {} : { 'Content-Type': regex('^application/json.*$', 'application/json; charset=utf-8') }),
  });
  if (body !== undefined) builder.jsonBody(body);
}

/** A signed WeChat error: `{code, message}`, the message matched as any text. */
export function errorBody(code: string, message: string): Record<string, unknown> {
  return { code, message: regex(wechatPatterns.text, message) };
}

/**
 * The body of a consumer test: the connector is pointed at a recorder in front of the mock server; when
 * the body is done, every `/v3/` request it made (`requests` of them) must carry an Authorization that
 * verifies with the merchant's public key (or `signedWith`) over the request as sent (§2.1), and the mock
 * server must have caught up with recording its matches (contracts/support/mock-server-bookkeeping.ts).
 */
export function signedWechatRequests(
  use: (baseUrl: string, mockServer: V4MockServer) => Promise<void>,
  options: { readonly requests: number; readonly signedWith?: string },
): (mockServer: V4MockServer) => Promise<void> {
  return async (mockServer) => {
    const recorder = await startRequestRecorder(mockServer.url);
    try {
      await use(recorder.url, mockServer);
      const api = recorder.requests.filter((request: RecordedRequest) => request.url.startsWith('/v3/'));
      expect(api).toHaveLength(options.requests);
      const publicKeyPem = options.signedWith ?? fixtureKeys.merchant.publicKeyPem;
      const unverified = api.flatMap((request) => {
        const problem = requestSignatureProblem(request, publicKeyPem);
        return problem === undefined ? [] : [`${request.method} ${request.url.slice(0, 100)}: ${problem}`];
      });
      expect(unverified, 'every request the connector made must carry an Authorization that verifies (docs/wechatpay-protocol.md §2.1)').toEqual([]);
      await mockServerBookkeeping(mockServer.port);
    } finally {
      await recorder.close();
    }
  };
}

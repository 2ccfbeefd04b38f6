// Building blocks of the gateway interactions: what the connector's SDK sends to `/gateway.do`, and a
// signed answer whose signature verifies in the connector exactly as a real one does.
import { MatchersV3, PactV4, type Matcher } from '@pact-foundation/pact';
// The builder types are not re-exported from the package root.
import type { V4RequestBuilder, V4ResponseBuilder } from '@pact-foundation/pact/src/v4/http/types.js';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { consumerName, contractAppId, gatewayProviderName, pactDirectory, pactLogLevel } from '../../support/participants.ts';
import { canonicalJson, merchantSignature, patterns, responseKey, rsa2Sign } from '../../support/alipay-wire.ts';

const { equal, regex, reify } = MatchersV3;

/**
 * A pact of the core against the simulator's HTTP surface; `port` pins the mock server (bill links),
 * `dir` writes the pact file elsewhere than contracts/pacts (the tests of verification failures).
 */
export function gatewayPact(options: { port?: number; dir?: string } = {}): PactV4 {
  return new PactV4({
    consumer: consumerName,
    provider: gatewayProviderName,
    dir: options.dir ?? pactDirectory,
    logLevel: pactLogLevel,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
}

/** The timestamp of the recorded example requests; the provider re-stamps and re-signs each replay. */
export const exampleTimestamp = '2026-01-01 08:00:00';
const exampleTraceId = '0b0f6a0e17358963206551234e1b5d';

type QueryValue = string | Matcher<string>;

export interface GatewayCall {
  /** The v2 method, e.g. `alipay.trade.query`. */
  readonly method: string;
  /** biz_content in the connector's key order: the SDK sends JSON.stringify of it, so order is on the wire. */
  readonly bizContent: Readonly<Record<string, unknown>>;
  /** Common parameters the call adds to the query string (notify_url, return_url). */
  readonly common?: Readonly<Record<string, QueryValue>>;
  /** The key the example request is signed with (the merchant's, unless the test says otherwise). */
  readonly privateKeyPem?: string;
}

/** The common parameters alipay-sdk v4 puts in the query string of every call (docs/alipay-protocol.md §2.1). */
function commonQuery(method: string): Record<string, QueryValue> {
  return {
    app_id: contractAppId,
    method,
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    timestamp: regex(patterns.dateTime, exampleTimestamp),
  };
}

function signedQuery(query: Record<string, QueryValue>, signedAlongside: Record<string, string>, privateKeyPem: string): Record<string, QueryValue> {
  // The example is signed for real, so the pact file holds a request the gateway would accept as recorded.
  const example = { ...(reify(query) as Record<string, string>), ...signedAlongside };
  return { ...query, sign: regex(patterns.signature, merchantSignature(example, privateKeyPem)) };
}

/** `POST /gateway.do?<common, sign>` with `biz_content` in a form body, as `sdk.exec` sends it. */
export function execRequest(builder: V4RequestBuilder, call: GatewayCall): void {
  const bizContent = JSON.stringify(call.bizContent);
  const query = { ...commonQuery(call.method), ...call.common };
  builder.query(signedQuery(query, { biz_content: bizContent }, call.privateKeyPem ?? fixtureKeys.merchant.privateKeyPem));
  formBody(builder, { biz_content: bizContent });
}

/** `GET /gateway.do?<everything>` as the buyer's browser opens the URL `sdk.pageExec(method, 'GET', …)` signed. */
export function pageRequest(builder: V4RequestBuilder, call: GatewayCall): void {
  const query = {
    ...commonQuery(call.method),
    ...call.common,
    // pageExec adds the SDK's name to what it signs (docs/alipay-protocol.md §2.5).
    alipay_sdk: 'alipay-sdk-nodejs-4.0.0',
    // Wrapped in a matcher: a bare query value that looks like JSON is read by the pact core as a
    // matcher definition and re-serialised with its keys sorted, which is not what the SDK sends.
    biz_content: equal(JSON.stringify(call.bizContent)),
  };
  builder.query(signedQuery(query, {}, call.privateKeyPem ?? fixtureKeys.merchant.privateKeyPem));
}

/**
 * A text body (an HTML page) that must match `pattern` as a whole: pact-js V4 has no public text
 * body with a matcher, so the body goes in through the builder's FFI handle (see formBody) and the
 * rule through `matchingRules`.
 */
export function textBody(builder: V4ResponseBuilder, contentType: string, example: string, pattern: string): void {
  const handle = (builder as unknown as { interaction?: { withResponseBody?: (body: string, contentType: string) => boolean } }).interaction;
  if (typeof handle?.withResponseBody !== 'function') {
    throw new Error('textBody: the pact-js response builder no longer exposes interaction.withResponseBody; update contracts/consumer/support/gateway.ts for this pact-js version');
  }
  if (!handle.withResponseBody(example, contentType)) throw new Error('textBody: the pact core refused the body');
  builder.matchingRules({ body: { path: '$', rules: [regex(pattern, example)] } });
}

/**
 * A form body whose fields may carry matchers. pact-js V4 offers a form body only as opaque bytes
 * (`body(contentType, Buffer)`), which the pact core records with a content-type check alone and
 * then fails to recognise as a form; its FFI call underneath (`pactffi_with_body`) does take the
 * integration-JSON form of a `application/x-www-form-urlencoded` body and records field by field.
 * The request builder holds that FFI handle; it is reached here, in one place.
 */
export function formBody(builder: V4RequestBuilder, fields: Readonly<Record<string, unknown>>): void {
  const handle = (builder as unknown as { interaction?: { withRequestBody?: (body: string, contentType: string) => boolean } }).interaction;
  if (typeof handle?.withRequestBody !== 'function') {
    throw new Error('formBody: the pact-js request builder no longer exposes interaction.withRequestBody; update contracts/consumer/support/gateway.ts for this pact-js version');
  }
  if (!handle.withRequestBody(JSON.stringify(fields), 'application/x-www-form-urlencoded')) {
    throw new Error('formBody: the pact core refused the form body');
  }
}

/**
 * `{"<method>_response":{…},"sign":"…"}` signed with the fixture channel key over the exact bytes the
 * mock server will send. The SDK (validateSign: true) cuts `{…}` out of the raw body and verifies it,
 * so the bytes matter. The pact core parses the expected JSON body and writes it out again, keys sorted
 * and compact; the signature is therefore made over the example in that canonical form, which the mock
 * server reproduces byte for byte (and `"alipay_…_response"` sorts before `"sign"`, the order the SDK
 * needs). Matchers stay in the template, so only their example values are signed.
 */
export function signedAnswer(builder: V4ResponseBuilder, method: string, inner: Readonly<Record<string, unknown>>): void {
  const key = responseKey(method);
  if (!(key < 'sign')) throw new Error(`signedAnswer: ${key} would sort after "sign", and the SDK could not cut it out`);
  const signature = rsa2Sign(canonicalJson(reify(inner)), fixtureKeys.channel.privateKeyPem);
  builder.headers({
    // The pact core's regex matchers must match the whole value (and its engine is Oniguruma:
    // write `[\s\S]` rather than flags such as `(?s)`).
    'Content-Type': regex('^application/json.*$', 'application/json;charset=utf-8'),
    trace_id: regex(patterns.traceId, exampleTraceId),
  });
  builder.jsonBody({ [key]: inner, sign: regex(patterns.signature, signature) });
}

/** The fields every successful answer starts with. */
export const success = { code: '10000', msg: 'Success' } as const;

/** A definite business refusal (40004) with its sub_code; the message text may vary. */
export function businessFailure(subCode: string, subMsg: string): Record<string, unknown> {
  return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: regex(patterns.text, subMsg) };
}

// Transport faults of the gateway (delay, hang, reset, http_error, malformed_body, response_lost), seen
// by the official alipay-sdk with validateSign on every call. Faults acting before processing leave the
// state alone; malformed_body and response_lost let the call change state and spoil only the answer.
import { AlipaySdk, type AlipaySdk as AlipaySdkType } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { addFault, clearFaults, faultEntries, journalMark, outcome, removeFault, until, watch } from '../../support/fault-api.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { barcodeOrder, buyerId, createOrder, precreateOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, defaultAppId, verified } from '../../support/sdk.ts';
import { callGateway, innerOf } from '../../support/signed-gateway.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';
import { startWireRecorder, type WireRecorder } from '../../support/wire-recorder.ts';

let env: RunningSimulator;
let sdk: AlipaySdkType;
let recorder: WireRecorder;
/** The SDK behind a wire recorder: what went over the wire for the faults that still answer. */
let recordedSdk: AlipaySdkType;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  recorder = await startWireRecorder(env.url);
  recordedSdk = alipaySdk(recorder.url);
});
afterEach(() => clearFaults(env.url));
afterAll(async () => {
  await recorder.close();
  await env.close();
});

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, verified);

async function tradeOf(outTradeNo: string): Promise<{ status: number; trade?: { state: { kind: string }; refundAcceptedFen: number } }> {
  const response = await fetch(`${env.url}/_sim/trades/alipay/${outTradeNo}`);
  return { status: response.status, ...(response.status === 200 ? { trade: await response.json() } : {}) };
}

function impatientSdk(timeoutMs: number): AlipaySdkType {
  return new AlipaySdk({
    appId: defaultAppId,
    privateKey: fixtureKeys.merchant.privateKeyPem,
    alipayPublicKey: fixtureKeys.channel.publicKeyPem,
    gateway: `${env.url}/gateway.do`,
    endpoint: env.url,
    timeout: timeoutMs,
  });
}

it('holds a call under delay {ms} until the virtual clock has moved ms forward, then answers normally', async () => {
  const outTradeNo = uniqueNo('DLY');
  await exec('alipay.trade.create', createOrder(outTradeNo));
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.query' }, fault: { type: 'delay', ms: 5_000 } });
  const mark = await journalMark(env.url);

  const call = watch(exec('alipay.trade.query', { outTradeNo }));
  await until(async () => (await faultEntries(env.url, mark)).length === 1, 'the delay to fire');
  await env.clock.advance(4_999);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(call.settled).toBe(false);
  await env.clock.advance(1);
  expect(await call.result).toMatchObject({ code: '10000', outTradeNo, tradeStatus: 'WAIT_BUYER_PAY' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'delay', api: 'alipay.trade.query', channel: 'alipay', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY' });
});

/** Delays drawn for `count` queries by a fresh simulator with this seed: the time each query waited on the virtual clock. */
async function sampledDelays(seed: number, fault: Record<string, unknown>, count: number): Promise<number[]> {
  const own = await startSimulator({ seed });
  try {
    const ownSdk = alipaySdk(own.url);
    await addFault(own.url, { match: { api: 'alipay.trade.query' }, fault });
    const delays: number[] = [];
    for (let index = 0; index < count; index++) {
      const call = ownSdk.exec('alipay.trade.query', { bizContent: { outTradeNo: `NOPE${index}` } }, verified);
      await until(() => own.clock.pendingCount() === 1, 'the delayed query to wait on the clock');
      const delayMs = own.clock.nextAtMs()! - own.clock.now();
      delays.push(delayMs);
      await own.clock.advance(delayMs);
      expect(await call).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
    }
    return delays;
  } finally {
    await own.close();
  }
}

it('draws uniform delays within [minMs, maxMs], the same for the same seed and different for another', async () => {
  const fault = { type: 'delay', distribution: { kind: 'uniform', minMs: 1_000, maxMs: 9_000 } };
  const first = await sampledDelays(11, fault, 12);
  const again = await sampledDelays(11, fault, 12);
  const other = await sampledDelays(12, fault, 12);
  expect(first.every((delayMs) => delayMs >= 1_000 && delayMs <= 9_000)).toBe(true);
  expect(new Set(first).size).toBeGreaterThan(6);
  expect(again).toEqual(first);
  expect(other).not.toEqual(first);
});

it('draws lognormal delays around medianMs, positive, the same for the same seed and different for another', async () => {
  const fault = { type: 'delay', distribution: { kind: 'lognormal', medianMs: 2_000, sigma: 0.5 } };
  const first = await sampledDelays(21, fault, 15);
  const again = await sampledDelays(21, fault, 15);
  const other = await sampledDelays(22, fault, 15);
  // Within ±4.5 sigma of the median; a draw outside has a chance of about 1e-5.
  expect(first.every((delayMs) => delayMs >= 2_000 * Math.exp(-4.5 * 0.5) && delayMs <= 2_000 * Math.exp(4.5 * 0.5))).toBe(true);
  const sorted = [...first].sort((a, b) => a - b);
  expect(sorted[7]).toBeGreaterThan(800);
  expect(sorted[7]).toBeLessThan(5_000);
  expect(new Set(first).size).toBeGreaterThan(10);
  expect(again).toEqual(first);
  expect(other).not.toEqual(first);
});

it('hangs the call under hang so that the client times out, and creates nothing', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.precreate' }, fault: { type: 'hang' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('HANG');
  const hung = await outcome(impatientSdk(300).exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified));
  expect(hung.ok).toBe(false);
  expect(hung.ok ? '' : hung.error.message).toMatch(/HttpClient Request error: .*timeout/i);
  expect((await tradeOf(outTradeNo)).status).toBe(404);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'hang', api: 'alipay.trade.precreate', detail: outTradeNo })]);

  await removeFault(env.url, ruleId);
  expect(await impatientSdk(2_000).exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified)).toMatchObject({ code: '10000', outTradeNo });
});

it('resets the connection under reset: the SDK sees a socket error after its one resend, and nothing is created', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.precreate' }, fault: { type: 'reset' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('RST');
  const reset = await outcome(exec('alipay.trade.precreate', precreateOrder(outTradeNo)));
  expect(reset.ok).toBe(false);
  expect(reset.ok ? '' : `${reset.error.message} ${String((reset.error.cause as Error | undefined)?.message)}`).toMatch(/ECONNRESET|socket hang up|other side closed/);
  expect((await tradeOf(outTradeNo)).status).toBe(404);
  // urllib (under alipay-sdk) resends a request once after a socket error (socketErrorRetry: 1): two resets.
  const entries = await faultEntries(env.url, mark);
  expect(entries).toEqual([0, 1].map(() => expect.objectContaining({ ruleId, faultType: 'reset', api: 'alipay.trade.precreate', detail: outTradeNo })));

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo))).toMatchObject({ code: '10000', outTradeNo });
});

it('answers http_error {status: 502} with a 502 HTML page that the SDK throws on, and processes nothing', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.pay' }, fault: { type: 'http_error', status: 502 } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('502');
  const failed = await outcome(recordedSdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo) }, verified));
  expect(failed.ok ? '' : failed.error.message).toBe('HTTP 请求错误, status: 502');
  const wire = recorder.exchanges.at(-1)!;
  expect(wire).toMatchObject({ method: 'POST', status: 502 });
  expect(wire.body).toContain('<h1>502</h1>');
  expect((await tradeOf(outTradeNo)).status).toBe(404);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'http_error', api: 'alipay.trade.pay' })]);

  await removeFault(env.url, ruleId);
  expect(await recordedSdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo) }, verified)).toMatchObject({ code: '10000', outTradeNo });
  expect(recorder.exchanges.at(-1)!.status).toBe(200);
});

it('cuts the body under malformed_body after processing: the SDK throws "Response 格式错误" but the trade exists', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.precreate' }, fault: { type: 'malformed_body' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('MAL');
  const failed = await outcome(recordedSdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified));
  expect(failed.ok ? '' : failed.error.message).toMatch(/^Response 格式错误 \(traceId: [0-9a-f]+\)$/);
  const wire = recorder.exchanges.at(-1)!;
  expect(wire.status).toBe(200);
  expect(wire.body.startsWith('{"alipay_trade_precreate_response":{"code":"10000"')).toBe(true);
  expect(() => JSON.parse(wire.body)).toThrow(SyntaxError);
  expect((await tradeOf(outTradeNo)).trade?.state.kind).toBe('waiting');
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'malformed_body', api: 'alipay.trade.precreate' })]);

  await removeFault(env.url, ruleId);
  const retried = await recordedSdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified);
  expect(retried).toMatchObject({ code: '10000', outTradeNo });
  expect(wire.body.startsWith(recorder.exchanges.at(-1)!.body.slice(0, wire.body.length))).toBe(true);
});

/** The http.exchange journal entries after `mark`: status and whether urllib marked the request as its resend. */
function exchangesSince(mark: number) {
  return env.sim.engine.journal.list({ type: 'http.exchange', sinceSeq: mark }).map((entry) =>
    entry.type === 'http.exchange' ? { status: entry.exchange.status, resend: entry.exchange.requestHeaders['x-urllib-retry-on-socket-error'] ?? null } : undefined);
}

it('processes a precreate under response_lost but drops the connection; an explicit retry gets the existing trade', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.precreate' }, fault: { type: 'response_lost' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('LOST');
  const lost = await outcome(exec('alipay.trade.precreate', precreateOrder(outTradeNo)));
  expect(lost.ok).toBe(false);
  expect(lost.ok ? '' : lost.error.message).toMatch(/^HttpClient Request error: (other side closed|socket hang up)/);
  expect((await tradeOf(outTradeNo)).trade?.state.kind).toBe('waiting');
  expect(await faultEntries(env.url, mark)).toEqual([0, 1].map(() => expect.objectContaining({ ruleId, faultType: 'response_lost', api: 'alipay.trade.precreate' })));
  expect(exchangesSince(mark)).toEqual([{ status: 0, resend: null }, { status: 0, resend: '1/1' }]);

  await removeFault(env.url, ruleId);
  const retried = await exec('alipay.trade.precreate', precreateOrder(outTradeNo));
  expect(retried).toMatchObject({ code: '10000', outTradeNo });
  expect(retried.qrCode).toMatch(/\/cashier\/[0-9a-f]+$/);
  expect((await (await fetch(`${env.url}/_sim/trades`)).json()).filter((trade: { outTradeNo: string }) => trade.outTradeNo === outTradeNo)).toHaveLength(1);
});

it('hides a single response_lost from the SDK caller: urllib resends once and gets the existing trade', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.precreate' }, fault: { type: 'response_lost' }, timesMax: 1 });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('LOST1');
  expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo))).toMatchObject({ code: '10000', outTradeNo });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'response_lost' })]);
  expect(exchangesSince(mark)).toEqual([{ status: 0, resend: null }, { status: 200, resend: '1/1' }]);
});

it('accepts a refund under response_lost; the retry with the same out_request_no answers fund_change N and moves no more money', async () => {
  const outTradeNo = uniqueNo('LOSTR');
  await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '30.00'));
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.refund' }, fault: { type: 'response_lost' } });
  const refund = { outTradeNo, refundAmount: '10.00', outRequestNo: 'LR1' };
  const lost = await outcome(exec('alipay.trade.refund', refund));
  expect(lost.ok).toBe(false);
  expect((await tradeOf(outTradeNo)).trade?.refundAcceptedFen).toBe(1_000);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.refund', refund)).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '10.00' });
  expect((await tradeOf(outTradeNo)).trade?.refundAcceptedFen).toBe(1_000);
});

it('applies a one-off fault from the x-paysim-fault header to that request only', async () => {
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('HDR');
  const faulted = await callGateway(env.url, 'alipay.trade.precreate', { out_trade_no: outTradeNo, total_amount: '8.80', subject: 'header' }, { headers: { 'x-paysim-fault': '{"type":"http_error","status":503}' } });
  expect(faulted.status).toBe(503);
  expect(faulted.text).toContain('<h1>503</h1>');
  expect((await tradeOf(outTradeNo)).status).toBe(404);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: 'header', faultType: 'http_error', api: 'alipay.trade.precreate' })]);

  const plain = await callGateway(env.url, 'alipay.trade.precreate', { out_trade_no: outTradeNo, total_amount: '8.80', subject: 'header' });
  expect(plain.status).toBe(200);
  expect(innerOf(plain, 'alipay.trade.precreate')).toMatchObject({ code: '10000', out_trade_no: outTradeNo });
});

it('loses the answer of the one request whose x-paysim-fault header says response_lost, after processing it', async () => {
  const outTradeNo = uniqueNo('HDRL');
  const lost = await outcome(callGateway(env.url, 'alipay.trade.create', { out_trade_no: outTradeNo, total_amount: '8.80', subject: 'header', buyer_id: buyerId }, { headers: { 'x-paysim-fault': '{"type":"response_lost"}' } }));
  expect(lost.ok).toBe(false);
  expect(lost.ok ? '' : String(lost.error.code ?? lost.error.message)).toMatch(/ECONNRESET|socket hang up/);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY' });
});

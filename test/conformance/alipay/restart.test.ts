// A simulator with a data dir keeps its state and the default app's keys across a restart, so a
// merchant's configuration and its trades stay valid between runs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { VirtualClock } from '../../../lib/clock.ts';
import { createSimulator, type Simulator } from '../../../simulator/server.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, defaultAppId, verified } from '../../support/sdk.ts';

let dataDir: string;
const running: Simulator[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-restart-'));
});
afterEach(async () => {
  for (const sim of running.splice(0)) await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

const keyDirectory = () => join(dataDir, 'keys', 'alipay', defaultAppId);

async function start(): Promise<Simulator> {
  const sim = await createSimulator({ dataDir, port: 0, clock: 'virtual' });
  running.push(sim);
  await sim.listen();
  return sim;
}

async function stop(sim: Simulator): Promise<void> {
  running.splice(running.indexOf(sim), 1);
  await sim.close();
}

async function readKeys() {
  return {
    appPrivateKey: await readFile(join(keyDirectory(), 'app_private_key.pem'), 'utf8'),
    appPublicKey: await readFile(join(keyDirectory(), 'app_public_key.pem'), 'utf8'),
    alipayPublicKey: await readFile(join(keyDirectory(), 'alipay_public_key.pem'), 'utf8'),
  };
}

/** An SDK configured from the key files the simulator wrote, as a developer would. */
async function sdkFromKeyFiles(sim: Simulator) {
  const keys = await readKeys();
  return alipaySdk(sim.url, { privateKey: keys.appPrivateKey, alipayPublicKey: keys.alipayPublicKey });
}

it('writes the default app keys under <dataDir>/keys/alipay/<appId>/ and keeps them across a restart', async () => {
  const first = await start();
  const before = await readKeys();
  expect(before.appPrivateKey).toContain('-----BEGIN RSA PRIVATE KEY-----');
  expect(before.appPublicKey).toContain('-----BEGIN PUBLIC KEY-----');
  expect(before.alipayPublicKey).toContain('-----BEGIN PUBLIC KEY-----');
  await stop(first);

  const second = await start();
  expect(await readKeys()).toEqual(before);
  const sdk = await sdkFromKeyFiles(second);
  expect(await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: 'NONE' } }, verified)).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
});

it('answers the same trade and refund after a restart on the same data dir', async () => {
  const first = await start();
  const sdk = await sdkFromKeyFiles(first);
  const outTradeNo = uniqueNo('KEEP');
  const paid = await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '50.00') }, verified);
  await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '20.00', outRequestNo: 'KEEP-R1' } }, verified);
  await (first.clock as VirtualClock).advance(first.engine.config.refundDelayMs);
  const queryBefore = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified);
  const refundBefore = await sdk.exec('alipay.trade.fastpay.refund.query', { bizContent: { outTradeNo, outRequestNo: 'KEEP-R1' } }, verified);
  expect(refundBefore.refundStatus).toBe('REFUND_SUCCESS');
  await stop(first);

  const second = await start();
  const sdkAfter = await sdkFromKeyFiles(second);
  const queryAfter = await sdkAfter.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified);
  const refundAfter = await sdkAfter.exec('alipay.trade.fastpay.refund.query', { bizContent: { outTradeNo, outRequestNo: 'KEEP-R1' } }, verified);
  const { traceId: _queryTrace, ...queryBeforeFields } = queryBefore;
  const { traceId: _refundTrace, ...refundBeforeFields } = refundBefore;
  expect(queryAfter).toMatchObject({ ...queryBeforeFields, tradeNo: paid.tradeNo, tradeStatus: 'TRADE_SUCCESS' });
  expect(refundAfter).toMatchObject({ ...refundBeforeFields, refundAmount: '20.00', refundStatus: 'REFUND_SUCCESS' });
  // trade_no still finds the trade: the index is rebuilt from the stored records.
  expect((await sdkAfter.exec('alipay.trade.query', { bizContent: { tradeNo: paid.tradeNo } }, verified)).outTradeNo).toBe(outTradeNo);
});

it('completes a refund that was still processing when the simulator stopped', async () => {
  const first = await start();
  const sdk = await sdkFromKeyFiles(first);
  const outTradeNo = uniqueNo('PEND');
  await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '9.00') }, verified);
  await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '9.00', outRequestNo: 'PEND-R1' } }, verified);
  await stop(first);

  const second = await start();
  const sdkAfter = await sdkFromKeyFiles(second);
  await (second.clock as VirtualClock).advance(second.engine.config.refundDelayMs);
  expect((await sdkAfter.exec('alipay.trade.fastpay.refund.query', { bizContent: { outTradeNo, outRequestNo: 'PEND-R1' } }, verified)).refundStatus).toBe('REFUND_SUCCESS');
  expect((await sdkAfter.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('TRADE_CLOSED');
});

// A trade the buyer saw and the merchant then closes is reported by a TRADE_CLOSED notification
// (configurable, since the protocol notes mark it [H]); a barcode payment still being confirmed when
// the simulator stops completes after the restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { VirtualClock } from '../../../lib/clock.ts';
import { createSimulator } from '../../../simulator/server.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, confirmingAuthCode, createOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function running(options: Parameters<typeof startSimulator>[0] = {}): Promise<{ simulator: RunningSimulator; receiver: MerchantReceiver }> {
  const simulator = await startSimulator(options);
  const receiver = await startMerchantReceiver(() => simulator.clock.now());
  cleanups.push(() => simulator.close(), () => receiver.close());
  return { simulator, receiver };
}

it('sends a signed TRADE_CLOSED notification when the merchant closes a trade the buyer saw', async () => {
  const { simulator, receiver } = await running();
  const sdk = alipaySdk(simulator.url);
  const outTradeNo = uniqueNo('CLOSE');
  await sdk.exec('alipay.trade.create', { notifyUrl: receiver.notifyUrl('close'), bizContent: createOrder(outTradeNo) }, verified);
  const closed = await sdk.exec('alipay.trade.close', { bizContent: { outTradeNo } }, verified);
  expect(closed.code).toBe('10000');
  await simulator.clock.advance(0);
  const [notification] = receiver.notifications('close');
  expect(notification?.params).toMatchObject({ out_trade_no: outTradeNo, trade_status: 'TRADE_CLOSED' });
  expect(notification?.params.gmt_close).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(sdk.checkNotifySignV2(notification!.params)).toBe(true);
});

it('sends no notification on merchant close when notifyOnMerchantClose is off', async () => {
  const { simulator, receiver } = await running({ engine: { notifyOnMerchantClose: false } });
  const sdk = alipaySdk(simulator.url);
  const outTradeNo = uniqueNo('QUIET');
  await sdk.exec('alipay.trade.create', { notifyUrl: receiver.notifyUrl('quiet'), bizContent: createOrder(outTradeNo) }, verified);
  await sdk.exec('alipay.trade.close', { bizContent: { outTradeNo } }, verified);
  await simulator.clock.advance(60_000);
  expect(receiver.notifications('quiet')).toHaveLength(0);
});

it('completes a barcode payment that was still USERPAYING when the simulator stopped, after the restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-userpaying-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const keys = { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel };
  const outTradeNo = uniqueNo('CONFIRM');
  const first = await createSimulator({ dataDir, port: 0, clock: 'virtual', defaultAppKeys: { alipay: keys  }});
  const firstUrl = await first.listen();
  const paying = await alipaySdk(firstUrl).exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '12.30', confirmingAuthCode) }, verified);
  expect(paying.code).toBe('10003');
  await first.close();

  const second = await createSimulator({ dataDir, port: 0, clock: 'virtual', defaultAppKeys: { alipay: keys  }});
  cleanups.push(() => second.close());
  const sdk = alipaySdk(await second.listen());
  expect((await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('WAIT_BUYER_PAY');
  await (second.clock as VirtualClock).advance(second.engine.config.barcodeUserPayingMs);
  expect((await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('TRADE_SUCCESS');
});

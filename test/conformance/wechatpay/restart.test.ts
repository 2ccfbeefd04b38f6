// A WeChat Pay merchant survives a restart on the same data dir: the same APIv3 key, certificates and
// public key id, its orders still queryable, and a notification still pending is resent afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { nativeOrder, startNotifyReceiver, startWechatpaySimulator, type NotifyReceiver } from '../../support/wechatpay.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('keeps the merchant\'s keys and orders, and resends a pending notification after a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-wechatpay-restart-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const receiver: NotifyReceiver = await startNotifyReceiver();
  cleanups.push(() => receiver.close());
  receiver.status = 503;

  const first = await startWechatpaySimulator({ dataDir });
  await first.axios().v3.pay.transactions.native.post(nativeOrder(first.mchid, 'RS-0001', 300, receiver.url));
  await first.buyerPays('RS-0001');
  await first.env.clock.advance(0);
  expect(receiver.arrivals).toHaveLength(1);
  const before = { ...first.data };
  await first.close();

  const second = await startWechatpaySimulator({ dataDir });
  cleanups.push(() => second.close());
  expect(second.data).toEqual(before);
  const queried = await second.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: second.mchid }, out_trade_no: 'RS-0001' });
  expect(queried.data.trade_state).toBe('SUCCESS');
  receiver.status = 204;
  await second.env.clock.advance(15_000);
  expect(receiver.arrivals).toHaveLength(2);
  expect(JSON.parse(receiver.arrivals[1]!.body).id).toBe(JSON.parse(receiver.arrivals[0]!.body).id);
});

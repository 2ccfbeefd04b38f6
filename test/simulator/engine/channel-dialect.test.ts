// The engine is channel-neutral: a channel's trade numbers and notification ids come from the dialect
// it registered, and Alipay's keep their real shapes and their values for a given seed.
import { expect, it } from 'vitest';
import { MemoryStore } from '../../../lib/store/store.ts';
import { alipayChannelDialect } from '../../../simulator/channels/alipay/index.ts';
import type { ChannelDialect } from '../../../simulator/engine/context.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { appId, createTrade, startEngine } from './support.ts';

/** A second channel for the test: Alipay's notification rules, identifiers of its own shape. */
const otherChannel: ChannelDialect = {
  ...alipayChannelDialect,
  tradeNo: (random) => `OTHER-T-${random.digits(6)}`,
  notificationId: (random, nowMs) => `OTHER-N-${nowMs}-${random.digits(6)}`,
  appIdPattern: /^\d{10}$/,
};

it('takes trade numbers and notification ids from the dialect of the trade\'s channel', async () => {
  const { engine } = await startEngine(new MemoryStore());
  engine.registerDialect('wechatpay', otherChannel);
  await engine.apps.register({ channel: 'wechatpay', appId: '1900000109', merchantPublicKeyPem: fixtureKeys.merchant.publicKeyPem, channelKeys: fixtureKeys.channel });
  const outcome = await engine.trades.create({ channel: 'wechatpay', appId: '1900000109', outTradeNo: 'WX-1', product: 'precreate', amountFen: 100, subject: 's', notifyUrl: 'http://127.0.0.1:9/notify', visible: true });
  expect(outcome.kind).toBe('created');
  if (outcome.kind !== 'created') return;
  expect(outcome.trade.tradeNo).toMatch(/^OTHER-T-\d{6}$/);
  await engine.trades.pay(outcome.trade.key);
  expect(engine.outbox.all().map((notification) => notification.id)).toEqual([expect.stringMatching(/^OTHER-N-\d+-\d{6}$/)]);
  expect(engine.trades.find('wechatpay', '1900000109', { tradeNo: outcome.trade.tradeNo })?.outTradeNo).toBe('WX-1');
  engine.stop();
});

it('gives Alipay trades 28-digit trade numbers and 34-digit notify ids, the same ones for the same seed', async () => {
  const { engine } = await startEngine(new MemoryStore(), { seed: 1 });
  const trade = await createTrade(engine, 'T1', { notifyUrl: 'http://127.0.0.1:9/notify' });
  await engine.trades.pay(trade.key);
  // Known answers for seed 1 from before the ids moved into the Alipay dialect: journals of earlier
  // runs stay comparable.
  expect(trade.tradeNo).toMatch(/^20260101\d{20}$/);
  expect(engine.outbox.all()[0]?.id).toMatch(/^20260101\d{26}$/);
  expect(trade.tradeNo).toBe('2026010122001119349311473933');
  expect(trade.cashierToken).toBe('dc215717a1e485629ed792325e7c6411');
  expect(engine.outbox.all().map((notification) => notification.id)).toEqual(['2026010100221482235959918660424918']);
  engine.stop();
});

it('refuses to create a trade for a channel whose dialect was never registered', async () => {
  const { engine } = await startEngine(new MemoryStore());
  await expect(engine.trades.create({ channel: 'wechatpay', appId, outTradeNo: 'NO-DIALECT', product: 'precreate', amountFen: 100, subject: 's', visible: true })).rejects.toThrow(
    /no dialect registered for channel "wechatpay"/,
  );
  engine.stop();
});

it('draws another trade number and notify id when the random source repeats one given out before a restart', async () => {
  const store = new MemoryStore();
  const first = await startEngine(store, { seed: 1 });
  const before = await createTrade(first.engine, 'BEFORE', { notifyUrl: 'http://127.0.0.1:9/notify' });
  await first.engine.trades.pay(before.key);
  first.engine.stop();

  // Same seed, same store, same virtual time: the random source repeats its first draws.
  const second = await startEngine(store, { seed: 1, registerApp: false });
  const after = await createTrade(second.engine, 'AFTER', { notifyUrl: 'http://127.0.0.1:9/notify' });
  await second.engine.trades.pay(after.key);
  expect(after.tradeNo).not.toBe(before.tradeNo);
  expect(after.cashierToken).not.toBe(before.cashierToken);
  expect(second.engine.trades.find('alipay', appId, { tradeNo: before.tradeNo })?.outTradeNo).toBe('BEFORE');
  expect(second.engine.trades.byToken(before.cashierToken)?.outTradeNo).toBe('BEFORE');
  const notifications = second.engine.outbox.all();
  expect(notifications.map((notification) => notification.tradeKey)).toEqual([before.key, after.key]);
  second.engine.stop();
});

// `channels.alipay.notifyTimeOnResend` (the protocol notes mark notify_time per attempt [M]): `send`, the
// default, signs each attempt with its own notify_time; `first` resends the first attempt's signed body,
// notify_time and signature unchanged, still verified by the official SDK.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

const minuteMs = 60_000;
let merchant: MerchantReceiver;
const started: RunningSimulator[] = [];

beforeAll(async () => {
  merchant = await startMerchantReceiver(() => started.at(-1)?.clock.now() ?? 0);
});
afterAll(async () => {
  for (const env of started) await env.close();
  await merchant.close();
});

/** Three attempts of one never-acknowledged notification (+0, 4m, 14m) on a simulator with `notifyTimeOnResend`. */
async function threeAttempts(notifyTimeOnResend?: 'send' | 'first') {
  const env = await startSimulator(notifyTimeOnResend ? { channelConfig: { alipay: { notifyTimeOnResend } } } : {});
  started.push(env);
  const sdk = alipaySdk(env.url);
  const name = uniqueNo('resend');
  merchant.replyTo(name, () => 'fail');
  const outTradeNo = uniqueNo('NR');
  const paid = await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '18.80'), notifyUrl: merchant.notifyUrl(name) }, verified);
  expect(paid.code).toBe('10000');
  await env.clock.advance(0);
  await env.clock.advance(14 * minuteMs);
  const arrivals = merchant.notifications(name);
  expect(arrivals.map((arrival) => arrival.atMs - arrivals[0]!.atMs)).toEqual([0, 4 * minuteMs, 14 * minuteMs]);
  for (const arrival of arrivals) expect(sdk.checkNotifySignV2(arrival.params)).toBe(true);
  return arrivals;
}

it('signs each resend with its own notify_time by default', async () => {
  const arrivals = await threeAttempts();
  expect(new Set(arrivals.map((arrival) => arrival.params.notify_time)).size).toBe(3);
  expect(new Set(arrivals.map((arrival) => arrival.params.sign)).size).toBe(3);
});

it('resends the first attempt as it was under notifyTimeOnResend: first: same notify_time, same signature, same notify_id', async () => {
  const arrivals = await threeAttempts('first');
  const [first] = arrivals;
  for (const arrival of arrivals) expect(arrival.params).toEqual(first!.params);
  expect(first!.params.notify_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

it('refuses any other value of notifyTimeOnResend, naming the choices', async () => {
  await expect(startSimulator({ channelConfig: { alipay: { notifyTimeOnResend: 'last' } } })).rejects.toThrow(/notifyTimeOnResend.*send.*first|send.*first.*notifyTimeOnResend/);
});

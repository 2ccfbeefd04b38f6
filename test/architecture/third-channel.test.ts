// Adding a channel is a folder on each side and one line in each module list: a made-up third channel
// (test/architecture/fakepay.ts), registered only through the lists, is served by the engine, the
// control API, the cashier and the fault layer, and paid through the core's services, none of which
// know it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore, type Core } from '../../core/app.ts';
import { connectorModules } from '../../core/connectors/modules.ts';
import { connectorOptionsFor } from '../../scenarios/harness/connect.ts';
import { channelModules } from '../../simulator/channels/modules.ts';
import { createSimulator, type Simulator } from '../../simulator/server.ts';
import { VirtualClock } from '../../lib/clock.ts';
import { fixtureKeys } from '../support/keys.ts';
import { fakeConnector, fakeSimulatorModule } from './fakepay.ts';

let sim: Simulator;
let core: Core;
let clock: VirtualClock;

const keys = { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel };

beforeAll(async () => {
  sim = await createSimulator({ port: 0, clock: 'virtual', channels: [...channelModules, fakeSimulatorModule], defaultAppKeys: { alipay: keys, fakepay: keys } });
  await sim.listen();
  clock = sim.clock as VirtualClock;
  const connectors = connectorOptionsFor(sim, { bridges: { fakepay: ({ app, simulatorUrl }) => ({ baseUrl: simulatorUrl, appId: app.appId }) } });
  core = await createCore({ clock, memory: true, connectorModules: [...connectorModules, fakeConnector], connectors, config: { port: 0, checksIntervalMs: 0 } });
  await core.listen();
});

afterAll(async () => {
  await core?.close();
  await sim?.close();
});

const call = async (url: string, method = 'GET', body?: unknown) => {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, text, body: text.startsWith('{') || text.startsWith('[') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

async function newOrder(outOrderNo: string, amount: string): Promise<string> {
  const created = await call(`${core.url}/api/orders`, 'POST', { outOrderNo, amount, currency: 'CNY', subject: 'third channel' });
  expect(created.status).toBe(201);
  return String(created.body!.orderNo);
}

it('creates the channel\'s default app with its own id shape and lists it in the control API', async () => {
  expect(sim.defaultAppId('fakepay')).toBe('fp000001');
  const apps = (await call(`${sim.url}/_sim/apps`)).body as unknown as { channel: string; appId: string; sellerId: string }[];
  expect(apps.find((app) => app.channel === 'fakepay')).toMatchObject({ appId: 'fp000001', sellerId: expect.stringMatching(/^FS\d{6}$/) });
  const registered = await call(`${sim.url}/_sim/apps`, 'POST', { channel: 'fakepay', publicKeyPem: fixtureKeys.merchant.publicKeyPem });
  expect(registered.status).toBe(201);
  expect(registered.body!.appId).toMatch(/^fp\d{6}$/);
});

it('answers a create and a query of the new channel, and the core credits the order by query', async () => {
  const orderNo = await newOrder('FP-ORDER-1', '12.00');
  const paid = await call(`${core.url}/api/orders/${orderNo}/pay`, 'POST', { method: 'fakepay.qr' });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ channel: 'fakepay', qrCode: expect.stringContaining(`${sim.url}/cashier/`) });
  const paymentNo = String(paid.body!.paymentNo);

  const trade = await call(`${sim.url}/_sim/trades/fakepay/${paymentNo}`);
  expect(trade.body).toMatchObject({ channel: 'fakepay', appId: 'fp000001', amountFen: 1200, tradeNo: expect.stringMatching(/^FP\d{10}$/), state: { kind: 'waiting' } });
  const cashier = await call(String(paid.body!.qrCode));
  expect(cashier.status).toBe(200);
  expect(cashier.text).toContain('FakePay 收银台');

  expect((await call(`${sim.url}/_sim/buyer/pay`, 'POST', { channel: 'fakepay', outTradeNo: paymentNo })).body).toMatchObject({ outcome: 'paid' });
  // fakepay sends no notification: the core's scheduled query finds the payment.
  await clock.advance(61_000);
  const order = await call(`${core.url}/api/orders/${orderNo}`);
  expect(order.body).toMatchObject({ status: 'PAID', paidAmount: '12.00' });
  expect((await call(`${core.url}/api/checks`)).status).toBe(200);
});

it('applies fault rules to the new channel\'s exchanges, and the core treats the failure as an unknown outcome', async () => {
  const rule = await call(`${sim.url}/_sim/faults`, 'POST', { match: { channel: 'fakepay', api: 'fakepay.create' }, fault: { type: 'http_error', status: 503 }, timesMax: 1 });
  expect(rule.status).toBe(201);
  const orderNo = await newOrder('FP-ORDER-2', '3.00');
  const refused = await call(`${core.url}/api/orders/${orderNo}/pay`, 'POST', { method: 'fakepay.qr' });
  expect(refused.status).toBe(502);
  expect(refused.body).toMatchObject({ code: 'CHANNEL_ERROR' });
  const journal = (await call(`${sim.url}/_sim/journal?type=fault.injected`)).body as unknown as { entries?: unknown[] } | unknown[];
  expect(JSON.stringify(journal)).toContain('"channel":"fakepay"');
  // The retry is the same payment (the same out_trade_no), now created at the channel.
  const retried = await call(`${core.url}/api/orders/${orderNo}/pay`, 'POST', { method: 'fakepay.qr' });
  expect(retried.status).toBe(200);
  expect(String(refused.body!.message)).toContain(String(retried.body!.paymentNo));
});

it('refuses fault rules that misspell the new channel\'s apis, suggesting its own names', async () => {
  const refused = await call(`${sim.url}/_sim/faults`, 'POST', { match: { channel: 'fakepay', api: 'fakepay.craete' }, fault: { type: 'reset' } });
  expect(refused.status).toBe(400);
  expect(refused.body!.message).toMatch(/did you mean fakepay\.create/);
});

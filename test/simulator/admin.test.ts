// The control API (/_sim): apps, clock, buyer actions, inspection and reset, with its {code, message} errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureKeys } from '../support/keys.ts';
import { precreateOrder, uniqueNo } from '../support/orders.ts';
import { alipaySdk, verified } from '../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

it('reports health with the clock kind', async () => {
  const { status, body } = await call('GET', '/_sim/health');
  expect(status).toBe(200);
  expect(body).toMatchObject({ status: 'ok', clock: 'virtual' });
});

it('registers a merchant public key as a new Alipay app the official SDK can then use', async () => {
  const { status, body } = await call('POST', '/_sim/apps', { channel: 'alipay', publicKeyPem: fixtureKeys.rogue.publicKeyPem });
  expect(status).toBe(201);
  expect(body.appId).toMatch(/^2021\d{12}$/);
  const sdk = alipaySdk(simulator.url, { appId: body.appId as string, privateKey: fixtureKeys.rogue.privateKeyPem, alipayPublicKey: body.channelPublicKeyPem as string });
  const result = await sdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(uniqueNo('APP')) }, verified);
  expect(result.code).toBe('10000');
});

it('refuses an app registration with an unreadable key, an unknown field or an unknown channel', async () => {
  expect(await call('POST', '/_sim/apps', { channel: 'alipay', publicKeyPem: 'not a key' })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  expect(await call('POST', '/_sim/apps', { channel: 'alipay', publicKeyPem: fixtureKeys.rogue.publicKeyPem, colour: 'red' })).toMatchObject({ status: 400, body: { code: 'UNKNOWN_FIELD' } });
  expect(await call('POST', '/_sim/apps', { channel: 'paypal', publicKeyPem: fixtureKeys.rogue.publicKeyPem })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  expect(await call('POST', '/_sim/apps', '{not json')).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
});

it('lists the default app with the merchant private key the simulator generated for it', async () => {
  const { body } = await call('GET', '/_sim/apps');
  const apps = body as unknown as { appId: string; merchantPrivateKeyPem?: string }[];
  expect(apps.find((app) => app.appId === simulator.appId)?.merchantPrivateKeyPem).toBe(fixtureKeys.merchant.privateKeyPem);
});

it('advances the virtual clock and refuses a malformed advance', async () => {
  const before = (await call('GET', '/_sim/clock')).body.nowMs as number;
  const { status, body } = await call('POST', '/_sim/clock/advance', { ms: 60_000 });
  expect(status).toBe(200);
  expect(body.nowMs).toBe(before + 60_000);
  expect(await call('POST', '/_sim/clock/advance', { ms: -1 })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
});

it('lets the buyer pay, try without balance or cancel without a browser', async () => {
  const sdk = alipaySdk(simulator.url);
  const outTradeNo = uniqueNo('BUY');
  await sdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified);
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo, outcome: 'insufficient' })).toMatchObject({ status: 200, body: { outcome: 'insufficient' } });
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo, outcome: 'cancel' })).toMatchObject({ status: 200, body: { outcome: 'cancelled' } });
  expect((await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('WAIT_BUYER_PAY');
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo })).toMatchObject({ status: 200, body: { outcome: 'paid' } });
  expect((await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('TRADE_SUCCESS');
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo })).toMatchObject({ status: 409, body: { code: 'NOT_PAYABLE' } });
});

it('answers buyer actions on unknown trades and bad outcomes with clear errors', async () => {
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo: 'NOPE' })).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo: 'X', outcome: 'maybe' })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  expect(await call('POST', '/_sim/buyer/pay', { channel: 'alipay' })).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
});

it('shows trades, refunds, notifications and the journal, and filters the journal by type', async () => {
  const sdk = alipaySdk(simulator.url);
  const outTradeNo = uniqueNo('SHOW');
  await sdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified);
  expect((await call('GET', `/_sim/trades/alipay/${outTradeNo}`)).body).toMatchObject({ outTradeNo, amountFen: 8880 });
  expect(await call('GET', '/_sim/trades/alipay/NOPE')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  const journal = (await call('GET', '/_sim/journal?type=trade.created')).body as unknown as { type: string; seq: number }[];
  expect(journal.length).toBeGreaterThan(0);
  expect(journal.every((entry) => entry.type === 'trade.created')).toBe(true);
  expect(await call('GET', '/_sim/journal?limit=0')).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  expect(Array.isArray((await call('GET', '/_sim/refunds')).body)).toBe(true);
  expect(Array.isArray((await call('GET', '/_sim/notifications')).body)).toBe(true);
});

it('answers an unknown control path with a 404 in {code, message}', async () => {
  expect(await call('GET', '/_sim/nothing-here')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
});

it('forgets trades on reset and keeps the apps', async () => {
  const sdk = alipaySdk(simulator.url);
  await sdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(uniqueNo('RESET')) }, verified);
  expect(await call('POST', '/_sim/reset')).toMatchObject({ status: 200 });
  expect((await call('GET', '/_sim/trades')).body).toEqual([]);
  const again = await sdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(uniqueNo('AFTER')) }, verified);
  expect(again.code).toBe('10000');
});

it('still delivers and records notifications after a reset', async () => {
  const { startMerchantReceiver } = await import('../support/merchant-receiver.ts');
  const receiver = await startMerchantReceiver(() => simulator.clock.now());
  try {
    await call('POST', '/_sim/reset');
    const outTradeNo = uniqueNo('AFTERRESET');
    await alipaySdk(simulator.url).exec('alipay.trade.precreate', { notifyUrl: receiver.notifyUrl('reset'), bizContent: precreateOrder(outTradeNo) }, verified);
    await call('POST', '/_sim/buyer/pay', { channel: 'alipay', outTradeNo });
    await simulator.clock.advance(0);
    expect(receiver.notifications('reset')).toHaveLength(1);
    const notifications = (await call('GET', '/_sim/notifications')).body as unknown as { state: string; attempts: unknown[] }[];
    expect(notifications).toEqual([expect.objectContaining({ state: 'acknowledged', attempts: [expect.objectContaining({ acknowledged: true })] })]);
  } finally {
    await receiver.close();
  }
});

it('keeps at most 64 KiB of each body in the journal', async () => {
  const bigSubject = 'x'.repeat(200_000);
  await alipaySdk(simulator.url).exec('alipay.trade.precreate', { bizContent: { ...precreateOrder(uniqueNo('BIG')), body: bigSubject } }, verified);
  const journal = (await call('GET', '/_sim/journal?type=http.exchange&limit=1')).body as unknown as { exchange: { requestBody: string } }[];
  const kept = journal[0]!.exchange.requestBody;
  expect(kept.length).toBeLessThan(70 * 1024);
  expect(kept).toMatch(/more characters not kept\)$/);
});

it('refuses to register an appId that already exists with 409 APP_EXISTS and keeps the app as it was', async () => {
  const appId = `2021${Date.now().toString().slice(-12)}`;
  const first = await call('POST', '/_sim/apps', { channel: 'alipay', appId, publicKeyPem: fixtureKeys.rogue.publicKeyPem, name: 'First' });
  expect(first.status).toBe(201);
  const again = await call('POST', '/_sim/apps', { channel: 'alipay', appId, publicKeyPem: fixtureKeys.merchant.publicKeyPem, name: 'Second' });
  expect(again).toMatchObject({ status: 409, body: { code: 'APP_EXISTS', message: expect.stringContaining(appId) } });
  const apps = (await call('GET', '/_sim/apps')).body as unknown as { appId: string; name: string; sellerId: string; channelPublicKeyPem: string }[];
  expect(apps.find((app) => app.appId === appId)).toMatchObject({ name: 'First', sellerId: first.body.sellerId, channelPublicKeyPem: first.body.channelPublicKeyPem });
});

it('refuses to register over the default app, whose SDK keeps working', async () => {
  expect(await call('POST', '/_sim/apps', { channel: 'alipay', appId: simulator.appId, publicKeyPem: fixtureKeys.rogue.publicKeyPem })).toMatchObject({ status: 409, body: { code: 'APP_EXISTS' } });
  const result = await alipaySdk(simulator.url).exec('alipay.trade.precreate', { bizContent: precreateOrder(uniqueNo('KEPT')) }, verified);
  expect(result.code).toBe('10000');
});

it('registers only one of two concurrent registrations of the same appId', async () => {
  const appId = `2021${(Date.now() + 1).toString().slice(-12)}`;
  const register = () => call('POST', '/_sim/apps', { channel: 'alipay', appId, publicKeyPem: fixtureKeys.rogue.publicKeyPem });
  const statuses = (await Promise.all([register(), register()])).map((answer) => answer.status).sort();
  expect(statuses).toEqual([201, 409]);
});

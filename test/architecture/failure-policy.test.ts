// One failure policy on each side: only the channel's "outcome unknown" means retry; anything else is a
// bug that fails loudly. Fault behaviour runs as interceptors in line, so a broken one fails its exchange
// visibly instead of silently never firing.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createCore, type Core } from '../../core/app.ts';
import { createAlipayChannel, type AlipayConnectorOptions } from '../../core/connectors/alipay/index.ts';
import { ChannelUnavailableError, type Channel } from '../../core/connectors/channel.ts';
import { assert } from '../../core/domain/assert.ts';
import { connectorOptionsFor } from '../../scenarios/harness/connect.ts';
import { collections } from '../../core/services/records.ts';
import type { CoreEvent } from '../../core/services/events.ts';
import type { ExchangeInterceptor } from '../../simulator/exchange/pipeline.ts';
import { alipaySdk, verified } from '../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { uniqueNo } from '../support/orders.ts';

let env: RunningSimulator;
let realConnector: Channel;
const cores: Core[] = [];
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.message);

beforeAll(async () => {
  env = await startSimulator();
  realConnector = createAlipayChannel(connectorOptionsFor(env.sim).alipay as AlipayConnectorOptions);
  process.on('warning', onWarning);
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  env.sim.engine.exchangeInterceptors.splice(1);
  warnings.length = 0;
});
afterAll(async () => {
  process.off('warning', onWarning);
  await env.close();
});

/** A core whose Alipay connector's createPayment is replaced by `createPayment`. */
async function coreWith(createPayment: Channel['createPayment']): Promise<{ core: Core; events: CoreEvent[] }> {
  const core = await createCore({ clock: env.clock, memory: true, channels: new Map([['alipay', { ...realConnector, createPayment }]]), config: { port: 0, checksIntervalMs: 0 } });
  cores.push(core);
  await core.listen();
  const events: CoreEvent[] = [];
  core.events.on('*', (event) => events.push(event));
  return { core, events };
}

async function pay(core: Core): Promise<{ status: number; body: { code: string; message: string }; orderNo: string }> {
  const post = (path: string, body: unknown) => fetch(`${core.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const order = (await (await post('/api/orders', { outOrderNo: uniqueNo('BUG'), amount: '5.00', currency: 'CNY', subject: 'policy' })).json()) as { orderNo: string };
  const response = await post(`/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr' });
  return { status: response.status, body: (await response.json()) as { code: string; message: string }, orderNo: order.orderNo };
}

const paymentStatus = async (core: Core, orderNo: string) =>
  ((await (await fetch(`${core.url}/api/orders/${orderNo}`)).json()) as { payments: { status: string }[] }).payments[0]?.status;

it('answers a connector assertion inside pay as a 500 bug report, in the events, the alerts and the process log, not as a retry', async () => {
  const { core, events } = await coreWith(async () => {
    assert(false, 'precreate answer names another out_trade_no');
    throw new Error('unreachable');
  });
  const answer = await pay(core);
  expect(answer.status).toBe(500);
  expect(answer.body.code).toBe('INTERNAL_ERROR');
  expect(answer.body.message).not.toMatch(/retry/i);
  expect(events).toContainEqual(expect.objectContaining({ type: 'bug.reported', where: expect.stringContaining('/pay'), error: expect.stringContaining('precreate answer names another out_trade_no') }));
  expect(events.some((event) => event.type === 'payment.calledOut')).toBe(false);
  expect(warnings.some((message) => message.includes('bug while handling') && message.includes('precreate answer names another out_trade_no'))).toBe(true);
  expect(core.store.all<{ kind: string }>(collections.alerts)).toContainEqual(expect.objectContaining({ kind: 'core.bug' }));
  // The payment is not handed to the unknown-outcome schedule as if the channel had failed.
  expect(await paymentStatus(core, answer.orderNo)).toBe('CREATED');
});

it('still treats the channel\'s own "outcome unknown" as a retry resolved by query', async () => {
  const { core, events } = await coreWith(async () => {
    throw new ChannelUnavailableError('alipay', 'createPayment', 'socket hang up');
  });
  const answer = await pay(core);
  expect(answer.status).toBe(502);
  expect(answer.body.code).toBe('CHANNEL_ERROR');
  expect(answer.body.message).toMatch(/retrying this request is safe/);
  expect(events).toContainEqual(expect.objectContaining({ type: 'payment.calledOut', outcome: 'unknown' }));
  expect(events.some((event) => event.type === 'bug.reported')).toBe(false);
  expect(await paymentStatus(core, answer.orderNo)).toBe('PENDING');
});

it('fails a gateway exchange visibly when a fault interceptor throws, and processes nothing', async () => {
  const broken: ExchangeInterceptor = {
    name: 'broken test interceptor',
    decide: () => {
      throw new Error('rule table corrupted');
    },
  };
  env.sim.engine.exchangeInterceptors.push(broken);
  const outTradeNo = uniqueNo('ICPT');
  const sdk = alipaySdk(env.url);
  await expect(sdk.exec('alipay.trade.precreate', { bizContent: { outTradeNo, totalAmount: '1.00', subject: 'x' } }, verified)).rejects.toThrow(/500/);

  const journal = (await (await fetch(`${env.url}/_sim/journal?type=interceptor.failed`)).json()) as { interceptor: string; api: string; error: string }[];
  expect(journal).toContainEqual(expect.objectContaining({ interceptor: 'broken test interceptor', api: 'alipay.trade.precreate', error: expect.stringContaining('rule table corrupted') }));
  const exchanges = (await (await fetch(`${env.url}/_sim/journal?type=http.exchange`)).json()) as { api: string; exchange: { status: number; responseBody: string } }[];
  expect(exchanges.at(-1)).toMatchObject({ api: 'alipay.trade.precreate', exchange: { status: 500, responseBody: expect.stringContaining('INTERCEPTOR_FAILED') } });
  expect(warnings.some((message) => message.includes('broken test interceptor'))).toBe(true);
  expect((await fetch(`${env.url}/_sim/trades/alipay/${outTradeNo}`)).status).toBe(404);

  // Removed, the exchange is processed as usual.
  env.sim.engine.exchangeInterceptors.splice(1);
  expect(await sdk.exec('alipay.trade.precreate', { bizContent: { outTradeNo, totalAmount: '1.00', subject: 'x' } }, verified)).toMatchObject({ code: '10000' });
});

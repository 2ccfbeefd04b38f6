// A core restarted on its data dir carries on with the work its records imply: an expiry armed before
// the stop fires after it, and a business notification not yet acknowledged is sent again.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { createCore, type Core } from '../../../core/app.ts';

let dataDir: string;
let webhook: { server: Server; url: string; received: string[]; up: boolean };
const cores: Core[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-core-restart-'));
  const received: string[] = [];
  const state = { up: false };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(JSON.parse(body).id);
      response.writeHead(state.up ? 200 : 503).end(state.up ? 'success' : 'down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhook = Object.assign(state, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received });
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  webhook.server.closeAllConnections();
  await new Promise<void>((resolve) => webhook.server.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

async function start(clock: VirtualClock): Promise<Core> {
  const core = await createCore({ clock, dataDir, channels: new Map(), config: { port: 0, merchantWebhookUrl: webhook.url, checksIntervalMs: 0 } });
  cores.push(core);
  await core.listen();
  return core;
}

async function createOrder(core: Core, body: Record<string, unknown>) {
  const response = await fetch(`${core.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as { orderNo: string; status: string };
}

it('closes an order at its expiry after a restart, from the stored record alone', async () => {
  const clock = new VirtualClock(virtualEpochMs);
  const first = await start(clock);
  const order = await createOrder(first, { outOrderNo: 'R-1', amount: '5.00', subject: 'restart', expireInSec: 300 });
  await first.close();

  const second = await start(clock);
  await clock.advance(299_000);
  expect(second.components.orders.get(order.orderNo)?.status).toBe('CREATED');
  await clock.advance(1_000);
  expect(second.components.orders.get(order.orderNo)?.status).toBe('CLOSED');
});

it('sends again after a restart a business notification the receiver had not acknowledged', async () => {
  const clock = new VirtualClock(virtualEpochMs);
  const first = await start(clock);
  const order = await createOrder(first, { outOrderNo: 'R-2', amount: '0.00', subject: 'free' });
  expect(order.status).toBe('PAID');
  await clock.advance(0);
  expect(webhook.received).toEqual([`order.paid:${order.orderNo}`]);
  await first.close();

  webhook.up = true;
  const second = await start(clock);
  await clock.advance(15_000);
  expect(webhook.received).toEqual([`order.paid:${order.orderNo}`, `order.paid:${order.orderNo}`]);
  expect(second.context.records.notification(`order.paid:${order.orderNo}`)?.status).toBe('DELIVERED');
});

it('keeps an order created before the restart, answering the same order for the same request', async () => {
  const clock = new VirtualClock(virtualEpochMs);
  const first = await start(clock);
  const body = { outOrderNo: 'R-3', amount: '7.00', subject: 'same' };
  const order = await createOrder(first, body);
  await first.close();
  const second = await start(clock);
  const again = await fetch(`${second.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(again.status).toBe(200);
  expect(((await again.json()) as { orderNo: string }).orderNo).toBe(order.orderNo);
});

it('draws other document numbers after a restart, so a channel never sees an old number reused', async () => {
  // Two fresh in-memory cores on the same seed and clock draw the same numbers: runs are reproducible.
  const fresh = async () => {
    const core = await createCore({ clock: new VirtualClock(virtualEpochMs), memory: true, channels: new Map(), config: { port: 0, checksIntervalMs: 0 } });
    cores.push(core);
    await core.listen();
    const one = await createOrder(core, { outOrderNo: 'R-4', amount: '1.00', subject: 'numbers' });
    const two = await createOrder(core, { outOrderNo: 'R-5', amount: '1.00', subject: 'numbers' });
    return [one.orderNo, two.orderNo];
  };
  const draws = await fresh();
  expect(await fresh()).toEqual(draws);

  // A core restarted on its data dir starts a new stream instead of replaying the old one.
  const clock = new VirtualClock(virtualEpochMs);
  const first = await start(clock);
  expect((await createOrder(first, { outOrderNo: 'R-4', amount: '1.00', subject: 'numbers' })).orderNo).toBe(draws[0]);
  await first.close();
  const second = await start(clock);
  const afterRestart = await createOrder(second, { outOrderNo: 'R-5', amount: '1.00', subject: 'numbers' });
  expect(draws).not.toContain(afterRestart.orderNo);
});

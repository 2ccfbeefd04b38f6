// Notification attempts due at the same virtual instant go out at once (signing and POSTs overlap),
// yet what they leave in the journal and the store is the same, in the same order, as when they run one
// after another: the merchant here answers in a shuffled order, and the journals must still match.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { barcodeOrder } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

const trades = 12;
const hourMs = 3_600_000;

/** Never acknowledges (`fail`), answering each request after a real delay that reverses the arrival order. */
async function slowFailingMerchant() {
  let inFlight = 0;
  let inFlightMax = 0;
  let arrived = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      inFlight++;
      inFlightMax = Math.max(inFlightMax, inFlight);
      const delayMs = 2 + 3 * ((trades - (arrived++ % trades)) % 5);
      setTimeout(() => {
        inFlight--;
        response.writeHead(200, { 'content-type': 'text/plain' }).end('fail');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inFlightMax: () => inFlightMax,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function run(concurrency: number) {
  const merchant = await slowFailingMerchant();
  open.push(merchant);
  const clock = new VirtualClock(virtualEpochMs, { concurrency });
  const env: RunningSimulator = await startSimulator({ sharedClock: clock, wallClock: () => virtualEpochMs, memory: true, seed: 5 });
  open.push(env);
  const sdk = alipaySdk(env.url);
  for (let index = 0; index < trades; index++) {
    const outTradeNo = `CC${index}`;
    const paid = await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, `${index + 1}.00`), notifyUrl: `${merchant.url}/notify/${outTradeNo}` }, verified);
    expect(paid.code).toBe('10000');
  }
  const since = env.sim.engine.journal.list().at(-1)!.seq;
  await clock.advance(25 * hourMs);
  const journal = env.sim.engine.journal
    .list({ sinceSeq: since, limit: 10_000 })
    .map(({ seq: _seq, ...entry }) => JSON.stringify(entry).replaceAll(merchant.url, 'http://merchant'));
  const notifications = env.sim.engine.outbox.all().map((notification) => ({ ...notification, url: notification.url.replace(merchant.url, 'http://merchant') }));
  return { journal, notifications, inFlightMax: merchant.inFlightMax() };
}

it('sends the attempts due at one instant together and lands their effects in the serial order', async () => {
  const serial = await run(1);
  const concurrent = await run(8);
  expect(serial.inFlightMax).toBe(1);
  expect(concurrent.inFlightMax).toBeGreaterThan(1);
  expect(concurrent.inFlightMax).toBeLessThanOrEqual(8);
  expect(serial.journal.filter((entry) => entry.includes('"notify.attempted"'))).toHaveLength(trades * 8);
  expect(concurrent.journal).toEqual(serial.journal);
  expect(concurrent.notifications).toEqual(serial.notifications);
  expect(concurrent.notifications.every((notification) => notification.state === 'exhausted' && notification.attempts.length === 8)).toBe(true);
});

it('says when no attempt is on its way: settled() resolves once every attempt in flight has landed in the journal', async () => {
  const merchant = await slowFailingMerchant();
  open.push(merchant);
  // Attempts due at one instant go out together, so three are on their way at once.
  const clock = new VirtualClock(virtualEpochMs, { concurrency: 8 });
  const env: RunningSimulator = await startSimulator({ sharedClock: clock, wallClock: () => virtualEpochMs, memory: true, seed: 6 });
  open.push(env);
  await env.sim.engine.outbox.settled(); // none in flight: at once
  const sdk = alipaySdk(env.url);
  for (const outTradeNo of ['ST1', 'ST2', 'ST3']) {
    const paid = await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '1.00'), notifyUrl: `${merchant.url}/notify/${outTradeNo}` }, verified);
    expect(paid.code).toBe('10000');
  }
  const attempted = () => env.sim.engine.journal.list({ type: 'notify.attempted' }).length;
  // The first attempts are due now: started by a settle of the clock, not awaited here.
  const advancing = clock.advance(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(attempted()).toBe(0);
  await env.sim.engine.outbox.settled();
  expect(attempted()).toBe(3);
  await advancing;
});

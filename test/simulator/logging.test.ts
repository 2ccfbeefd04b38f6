import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attachLogger } from '../../simulator/logging.ts';
import { precreateOrder, uniqueNo } from '../support/orders.ts';
import { alipaySdk, verified } from '../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

let simulator: RunningSimulator;
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

beforeAll(async () => {
  simulator = await startSimulator();
  attachLogger(simulator.sim.engine, 'info', sink);
});
afterAll(() => simulator.close());

it('logs one structured line per exchange and state change, faults as warnings', async () => {
  const outTradeNo = uniqueNo('LOG');
  simulator.sim.engine.faults.add({ match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 502 }, timesMax: 1 });
  const sdk = alipaySdk(simulator.url);
  await sdk.exec('alipay.trade.precreate', { bizContent: precreateOrder(outTradeNo) }, verified);
  await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified).catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines).toContainEqual(expect.objectContaining({ event: 'trade.created', outTradeNo, level: 30 }));
  expect(lines).toContainEqual(expect.objectContaining({ event: 'http.exchange', api: 'alipay.trade.precreate', status: 200 }));
  expect(lines).toContainEqual(expect.objectContaining({ event: 'fault.injected', faultType: 'http_error', level: 40 }));
  expect(lines).toContainEqual(expect.objectContaining({ event: 'http.exchange', api: 'alipay.trade.query', status: 502 }));
});

// A merchant that takes the request and never answers: the attempt is cut off after
// notifyAttemptTimeoutMs of real time, recorded as a timeout, and the notification is resent on schedule.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let silent: Server;
const held: IncomingMessage[] = [];

beforeAll(async () => {
  env = await startSimulator({ engine: { notifyAttemptTimeoutMs: 300 } });
  silent = createServer((request) => void held.push(request)); // reads the request, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await env.close();
});

it('cuts an unanswered attempt off after notifyAttemptTimeoutMs, records the timeout and resends at +4m', async () => {
  const sdk = alipaySdk(env.url);
  const notifyUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/notify`;
  const paid = await sdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(uniqueNo('TO'), '9.90'), notifyUrl }, verified);
  expect(paid.code).toBe('10000');
  await env.clock.advance(0);
  expect(held).toHaveLength(1);

  const [notification] = (await (await fetch(`${env.url}/_sim/notifications`)).json()) as { state: string; createdAtMs: number; nextAttemptAtMs: number; attempts: { error?: string; acknowledged: boolean }[] }[];
  expect(notification!.attempts).toEqual([expect.objectContaining({ error: 'The operation was aborted due to timeout', acknowledged: false })]);
  expect(notification!.state).toBe('pending');
  expect(notification!.nextAttemptAtMs - notification!.createdAtMs).toBe(4 * 60_000);
  await env.clock.advance(4 * 60_000);
  expect(held).toHaveLength(2);
});

// With a data dir, virtual time survives a restart: it resumes where it stood at the last advance (or
// at close), so stored trades are not "in the future" and a bill day that had ended stays ended.
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { virtualEpochMs } from '../../../lib/clock.ts';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let root: string;
let dataDir: string;
const running: RunningSimulator[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'paysim-restart-clock-'));
  dataDir = join(root, 'data');
});
afterEach(async () => {
  for (const env of running.splice(0)) await env.close();
  await rm(root, { recursive: true, force: true });
});

const hourMs = 60 * 60_000;

async function start(options: { dataDir?: string; startMs?: number } = {}): Promise<RunningSimulator> {
  const env = await startSimulator({ dataDir, ...options });
  running.push(env);
  return env;
}

async function stop(env: RunningSimulator): Promise<void> {
  running.splice(running.indexOf(env), 1);
  await env.close();
}

async function advanceByApi(env: RunningSimulator, ms: number): Promise<void> {
  const response = await fetch(`${env.url}/_sim/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
  expect(response.status).toBe(200);
}

async function clockOf(env: RunningSimulator): Promise<number> {
  return ((await (await fetch(`${env.url}/_sim/clock`)).json()) as { nowMs: number }).nowMs;
}

const billQuery = (env: RunningSimulator, billDate: string) =>
  alipaySdk(env.url).exec('alipay.data.dataservice.bill.downloadurl.query', { bizContent: { billType: 'trade', billDate } }, verified);

it('resumes virtual time where it stood when the simulator stopped, so an ended bill day stays ended', async () => {
  const first = await start();
  const billDate = formatBeijingDate(first.clock.now());
  const outTradeNo = uniqueNo('CLOCK');
  await alipaySdk(first.url).exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo, '12.00') }, verified);
  await advanceByApi(first, 25 * hourMs);
  expect((await billQuery(first, billDate)).code).toBe('10000');
  const stoppedAtMs = first.clock.now();
  await stop(first);

  const second = await start();
  expect(await clockOf(second)).toBe(stoppedAtMs);
  expect((await billQuery(second, billDate)).code).toBe('10000');
  const query = await alipaySdk(second.url).exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified);
  expect(query.tradeStatus).toBe('TRADE_SUCCESS');
});

it('keeps virtual time advanced before the process was killed, without a clean close', async () => {
  const first = await start();
  await first.clock.advance(3 * hourMs);
  // The files as a kill would leave them: copied while the first simulator still runs and holds the lock.
  const imageDir = join(root, 'after-kill');
  await mkdir(imageDir);
  for (const name of await readdir(dataDir)) if (name.endsWith('.json') || name.endsWith('.journal')) await copyFile(join(dataDir, name), join(imageDir, name));

  const second = await start({ dataDir: imageDir });
  expect(second.clock.now()).toBe(virtualEpochMs + 3 * hourMs);
});

it('starts at an explicit startMs even when the data dir stored a later time', async () => {
  const first = await start();
  await first.clock.advance(48 * hourMs);
  await stop(first);
  const second = await start({ startMs: virtualEpochMs + hourMs });
  expect(second.clock.now()).toBe(virtualEpochMs + hourMs);
});

it('starts an in-memory simulator at the virtual epoch', async () => {
  const env = await startSimulator({ memory: true });
  running.push(env);
  expect(env.clock.now()).toBe(virtualEpochMs);
});

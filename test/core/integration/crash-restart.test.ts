// Killing the core in the middle of 200 concurrent payments loses nothing it acknowledged, and the
// restarted core finishes every payment the buyers made, by query (their notifies went to the dead
// process). The core runs in a child process on a real clock; the simulator runs in this one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../../lib/store/index.ts';
import type { Order, Payment } from '../../../core/domain/index.ts';
import { createSimulator, type Simulator } from '../../../simulator/server.ts';
import { fixtureKeys } from '../../support/keys.ts';

const script = fileURLToPath(new URL('./core-process.ts', import.meta.url));
const flowsCount = 200;

let sim: Simulator;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await createSimulator({ port: 0, clock: 'real', defaultAppKeys: { alipay: { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel }  }});
  await sim.listen();
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-core-crash-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function startCore(directory = dataDir): Promise<{ child: ChildProcess; url: string }> {
  const app = sim.engine.apps.get('alipay', sim.defaultAppId('alipay'))!;
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, SIM_URL: sim.url, DATA_DIR: directory, APP_ID: app.appId, SELLER_ID: app.sellerId },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the core process exited with ${code} before listening`)));
  });
  return { child, url };
}

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

const acknowledged = () => sim.engine.outbox.all().filter((notification) => notification.attempts.some((attempt) => attempt.acknowledged));
const paidTradeNos = () => sim.engine.trades.all().filter((trade) => trade.state.kind === 'paid').map((trade) => trade.outTradeNo);

it('loses no acknowledged state when killed mid-flight, and finishes every paid payment by query after a restart', async () => {
  const first = await startCore();
  const ackedOrders = new Map<string, string>();
  const ackedPayments = new Map<string, string>();
  let killed = false;
  let onKilled!: () => void;
  const killedOnce = new Promise<void>((resolve) => (onKilled = resolve));
  // Kill it once a good part of the notifies were acknowledged: the rest are mid-flight.
  const kill = () => {
    if (killed) return;
    killed = true;
    first.child.kill('SIGKILL');
    onKilled();
  };
  const watcher = setInterval(() => {
    if (acknowledged().length >= flowsCount / 5) kill();
  }, 2);
  let early = 0;

  const flows = Array.from({ length: flowsCount }, async (_, index) => {
    await new Promise((resolve) => setTimeout(resolve, index * 4));
    // One buyer in four pays only once the core is dead: its notify can only go unanswered.
    const late = index % 4 === 0;
    const base = first.url;
    try {
      const order = await post(`${base}/api/orders`, { outOrderNo: `CRASH-${index}`, amount: `${10 + index}.00`, subject: 'crash test' });
      ackedOrders.set(order.orderNo, `CRASH-${index}`);
      const payment = await post(`${base}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr', buyerId: `crash-buyer-${index}` });
      ackedPayments.set(payment.paymentNo, order.orderNo);
      if (late) await killedOnce;
      // The buyer pays at the channel whether or not the core is still alive.
      await post(`${sim.url}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: payment.paymentNo });
    } catch {
      // The core died under this request: nothing was acknowledged to the business system.
    }
    if (!late && ++early === flowsCount - flowsCount / 4) kill();
  });
  await Promise.all(flows);
  clearInterval(watcher);
  expect(killed).toBe(true);
  await new Promise<void>((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve() : first.child.once('exit', () => resolve())));

  // The durable state, read before anything runs again: every answer given is there.
  const acknowledgedNotifies = acknowledged();
  expect(acknowledgedNotifies.length).toBeGreaterThan(0);
  const store = await openStore({ dataDir, name: 'core' });
  try {
    for (const [orderNo, outOrderNo] of ackedOrders) expect(store.get<Order>('orders', orderNo)?.outOrderNo).toBe(outOrderNo);
    for (const [paymentNo, orderNo] of ackedPayments) expect(store.get<Payment>('payments', paymentNo)?.orderNo).toBe(orderNo);
    for (const notification of acknowledgedNotifies) {
      const paymentNo = notification.tradeKey.split(':').at(-1)!;
      expect(store.get<Payment>('payments', paymentNo)?.status).toBe('SUCCEEDED');
    }
  } finally {
    await store.close();
  }

  const second = await startCore();
  const paid = paidTradeNos();
  expect(paid.length).toBeGreaterThan(acknowledgedNotifies.length);
  const deadlineMs = Date.now() + 30_000;
  let unpaid: string[] = paid;
  while (Date.now() < deadlineMs) {
    const states = await Promise.all(paid.map(async (paymentNo) => {
      const orderNo = ackedPayments.get(paymentNo)!;
      const order = await (await fetch(`${second.url}/api/orders/${orderNo}`)).json();
      return order.status === 'PAID' && order.paidPaymentNo === paymentNo ? undefined : paymentNo;
    }));
    unpaid = states.filter((paymentNo): paymentNo is string => paymentNo !== undefined);
    if (unpaid.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(unpaid).toEqual([]);

  const report = await post(`${second.url}/api/checks/run`, {});
  const moneyChecks = ['refundsWithinPaid', 'paidOrdersMatchPayments', 'ledgerBalanced', 'ledgerCoversRecords', 'noDoubleCredit', 'noSuccessKeptAfterClose'];
  expect(report.checks.filter((check: { name: string; passed: boolean }) => moneyChecks.includes(check.name) && !check.passed)).toEqual([]);
  second.child.kill('SIGTERM');
}, 60_000);

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('finishes by query a payment that was stored as CREATED when the core was killed during its create call', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'paysim-core-crash-created-'));
  try {
    // The create call is held at the channel, which still creates the trade once the delay is over.
    const slow = sim.engine.faults.add({ match: { api: 'alipay.trade.precreate' }, fault: { type: 'delay', ms: 1_500 }, timesMax: 1 });
    const first = await startCore(directory);
    const order = await post(`${first.url}/api/orders`, { outOrderNo: 'CRASH-CREATED', amount: '66.00', subject: 'killed during the create call' });
    const paying = fetch(`${first.url}/api/orders/${order.orderNo}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'alipay.qr' }) }).catch(() => undefined);
    await until(() => sim.engine.faults.list().find((rule) => rule.id === slow.id)?.fired === 1, 'the create call reached the channel');
    const exited = new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    first.child.kill('SIGKILL');
    await exited;
    expect(await paying).toBeUndefined(); // nothing was answered

    const store = await openStore({ dataDir: directory, name: 'core' });
    let paymentNo: string;
    try {
      paymentNo = store.get<Order>('orders', order.orderNo)!.paymentNos[0]!;
      expect(store.get<Payment>('payments', paymentNo)?.status).toBe('CREATED');
    } finally {
      await store.close();
    }
    await until(() => sim.engine.trades.all().some((trade) => trade.outTradeNo === paymentNo), 'the channel created the trade');
    await post(`${sim.url}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: paymentNo });

    // Its notify went to the dead process: only the restarted core's query can find the payment.
    const second = await startCore(directory);
    let status = '';
    const deadlineMs = Date.now() + 15_000;
    while (Date.now() < deadlineMs) {
      status = ((await (await fetch(`${second.url}/api/orders/${order.orderNo}`)).json()) as { status: string }).status;
      if (status === 'PAID') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('PAID');
    const stopped = new Promise<void>((resolve) => second.child.once('exit', () => resolve()));
    second.child.kill('SIGTERM');
    await stopped;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}, 30_000);

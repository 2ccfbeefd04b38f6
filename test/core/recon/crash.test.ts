// Killing the core in the middle of a reconciliation run leaves none of the run: no report, no payment
// credited, no ledger entry. The restarted core runs the day again and applies every fix once. The
// core runs in a child process with a data dir; the simulator runs here on a virtual clock, which holds
// the run's confirming queries (a virtual-time delay) until the test lets them through one step at a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { openStore } from '../../../lib/store/index.ts';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import type { JournalEntry, Payment } from '../../../core/domain/index.ts';
import { trialBalance } from '../../../core/domain/index.ts';
import { createSimulator, type Simulator } from '../../../simulator/server.ts';
import { fixtureKeys } from '../../support/keys.ts';

const script = fileURLToPath(new URL('./recon-core-process.ts', import.meta.url));
const paymentsCount = 24;
const hourMs = 3_600_000;

let sim: Simulator;
let clock: VirtualClock;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  clock = new VirtualClock(virtualEpochMs);
  sim = await createSimulator({ port: 0, sharedClock: clock, defaultAppKeys: { alipay: { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel } } });
  await sim.listen();
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-recon-crash-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function startCore(): Promise<{ child: ChildProcess; url: string }> {
  const app = sim.engine.apps.get('alipay', sim.defaultAppId('alipay'))!;
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, SIM_URL: sim.url, DATA_DIR: dataDir, APP_ID: app.appId, SELLER_ID: app.sellerId },
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

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return { status: response.status, body: await response.json() };
}

const answeredQueries = () =>
  sim.engine.journal.list({ type: 'http.exchange', limit: 10_000 }).filter((entry) => entry.type === 'http.exchange' && entry.api === 'alipay.trade.query').length;

async function storeOf() {
  const store = await openStore({ dataDir, name: 'core' });
  const read = {
    reports: store.count('reconciliations'),
    credited: store.all<Payment>('payments').filter((payment) => payment.status === 'SUCCEEDED').map((payment) => payment.paymentNo),
    ledger: store.all<JournalEntry>('ledger'),
  };
  await store.close();
  return read;
}

it('leaves no half-applied run when killed mid-run, and applies every fix exactly once after a restart', async () => {
  await clock.advance(9 * hourMs); // 09:00 Beijing on the first day
  const billDate = formatBeijingDate(clock.now());
  sim.engine.faults.add({ match: { api: 'notify' }, fault: { type: 'drop' } });
  const first = await startCore();
  const paymentNos: string[] = [];
  for (let index = 0; index < paymentsCount; index++) {
    const order = await call(`${first.url}/api/orders`, 'POST', { outOrderNo: `CRASH-${index}`, amount: `${10 + index}.00`, currency: 'CNY', subject: 'crash test' });
    const paid = await call(`${first.url}/api/orders/${order.body.orderNo}/pay`, 'POST', { method: 'alipay.qr', buyerId: `buyer-${index}` });
    expect([order.status, paid.status, paid.body], JSON.stringify(paid.body)).toEqual([201, 200, expect.objectContaining({ paymentNo: expect.any(String) })]);
    const buyer = await fetch(`${sim.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo: paid.body.paymentNo }) });
    expect([buyer.status, await buyer.text()]).toEqual([200, expect.anything()]);
    paymentNos.push(paid.body.paymentNo);
  }
  await clock.advance(24 * hourMs); // the next morning: the bill is ready, the core knows of no payment
  const queriesBefore = answeredQueries();
  // Each confirming query waits an hour of virtual time: the run stalls until the clock moves.
  const hold = sim.engine.faults.add({ match: { api: 'alipay.trade.query' }, fault: { type: 'delay', ms: hourMs } }).id;

  const running = call(`${first.url}/api/reconciliations`, 'POST', { channel: 'alipay', billDate }).catch(() => undefined);
  // Let half the confirming queries through, then kill the core while it still waits for the rest. The
  // clock moves only once a query is being held: moving it earlier would expire the bill's download link.
  const held = () => sim.engine.faults.list().find((rule) => rule.id === hold)!.fired;
  while (answeredQueries() - queriesBefore < paymentsCount / 2) {
    const deadlineMs = Date.now() + 20_000;
    while (held() <= answeredQueries() - queriesBefore) {
      if (Date.now() > deadlineMs) throw new Error(`no confirming query arrived (${held()} held, ${answeredQueries() - queriesBefore} answered)`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await clock.advance(hourMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  await running;

  const afterCrash = await storeOf();
  expect(afterCrash.reports).toBe(0);
  expect(afterCrash.credited).toEqual([]);
  expect(afterCrash.ledger.filter((entry) => entry.kind === 'payment')).toEqual([]);

  sim.engine.faults.remove(hold);
  const second = await startCore();
  const report = await call(`${second.url}/api/reconciliations`, 'POST', { channel: 'alipay', billDate });
  expect(report.status).toBe(201);
  expect(report.body).toMatchObject({ status: 'MISMATCHED', billRows: paymentsCount, counts: { CHANNEL_ONLY: paymentsCount } });
  expect(report.body.mismatches.every((mismatch: { handling: string }) => mismatch.handling === 'AUTO_FIXED')).toBe(true);
  second.child.kill('SIGTERM');
  await new Promise((resolve) => second.child.once('exit', resolve));

  const done = await storeOf();
  expect(done.reports).toBe(1);
  expect(done.credited.sort()).toEqual([...paymentNos].sort());
  const paymentEntries = done.ledger.filter((entry) => entry.kind === 'payment').map((entry) => entry.paymentNo);
  expect(paymentEntries.sort()).toEqual([...paymentNos].sort());
  expect(trialBalance(done.ledger).balanced).toBe(true);
}, 60_000);

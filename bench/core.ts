// Benchmark (not a test): orders paid per second end to end, core + simulator in one process over
// loopback on a real clock. Each worker creates an order, pays it by QR, lets the buyer pay at the
// simulator, and waits until the core has credited it (notify verified, confirmed by query, ledger
// posted, commit durable). Run with the in-memory store and with the file store (fsync'd journal).
// Run: node --import tsx bench/core.ts [--seconds 5] [--concurrency 16]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createCore } from '../core/app.ts';
import { createSimulator } from '../simulator/server.ts';
import { connectorOptionsFor } from '../scenarios/harness/connect.ts';

const key = (name: string) => readFileSync(new URL(`../test/fixtures/keys/${name}.pem`, import.meta.url), 'utf8');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

export interface CoreBenchResult {
  readonly store: 'memory' | 'file';
  readonly paid: number;
  readonly seconds: number;
  readonly ordersPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function runCoreBench(options: { seconds: number; concurrency: number; store: 'memory' | 'file' }): Promise<CoreBenchResult> {
  const simulator = await createSimulator({
    port: 0,
    memory: true,
    clock: 'real',
    defaultAppKeys: { alipay: { merchant: { privateKeyPem: key('merchant_private'), publicKeyPem: key('merchant_public') }, channel: { privateKeyPem: key('channel_private'), publicKeyPem: key('channel_public') } } },
  });
  const simUrl = await simulator.listen();
  const dataDir = options.store === 'file' ? await mkdtemp(join(tmpdir(), 'paysim-bench-core-')) : undefined;
  const core = await createCore({
    clock: simulator.clock,
    ...(dataDir ? { dataDir } : { memory: true }),
    connectors: connectorOptionsFor(simulator),
    config: { port: 0, checksIntervalMs: 0 },
  });
  const coreUrl = await core.listen();

  const waiting = new Map<string, () => void>();
  core.events.on('order.paid', (event) => waiting.get(event.orderNo)?.());
  const latenciesMs: number[] = [];
  let errors = 0;
  let sequence = 0;
  const warmupEndMs = performance.now() + 1_000;
  const endMs = warmupEndMs + options.seconds * 1000;

  async function worker(): Promise<void> {
    while (performance.now() < endMs) {
      const startedMs = performance.now();
      try {
        sequence += 1;
        const order = await post(`${coreUrl}/api/orders`, { outOrderNo: `BENCH-${sequence}`, amount: `${1 + (sequence % 500)}.00`, subject: 'bench' });
        const paid = new Promise<void>((resolve) => waiting.set(order.orderNo, resolve));
        const payment = await post(`${coreUrl}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr', buyerId: `bench-buyer-${sequence}` });
        await post(`${simUrl}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: payment.paymentNo });
        await paid;
        waiting.delete(order.orderNo);
        if (startedMs >= warmupEndMs) latenciesMs.push(performance.now() - startedMs);
      } catch {
        errors += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  await core.close();
  await simulator.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });

  latenciesMs.sort((a, b) => a - b);
  const percentile = (p: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(p * latenciesMs.length))] ?? Number.NaN;
  return {
    store: options.store,
    paid: latenciesMs.length,
    seconds: options.seconds,
    ordersPerSecond: latenciesMs.length / options.seconds,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    errors,
  };
}

export function printCoreBench(results: readonly CoreBenchResult[], concurrency: number): void {
  console.log(`core: orders paid end to end (create → pay QR → buyer pays → notify verified + query → credited), ${concurrency} concurrent buyers`);
  for (const result of results) {
    console.log(
      `${`${result.store} store`.padEnd(14)}${result.ordersPerSecond.toFixed(1).padStart(8)} orders/s   p50 ${result.p50Ms.toFixed(1).padStart(7)} ms   p99 ${result.p99Ms.toFixed(1).padStart(7)} ms   paid ${result.paid}   errors ${result.errors}`,
    );
  }
}

/** Both stores in turn, printed. */
export async function run(options: { seconds?: number; concurrency?: number } = {}): Promise<CoreBenchResult[]> {
  const seconds = options.seconds ?? 5;
  const concurrency = options.concurrency ?? 16;
  const results = [await runCoreBench({ seconds, concurrency, store: 'memory' }), await runCoreBench({ seconds, concurrency, store: 'file' })];
  printCoreBench(results, concurrency);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run({ seconds: argument('seconds', 5), concurrency: argument('concurrency', 16) });
}

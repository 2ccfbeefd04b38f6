// Benchmark (not a test): orders paid per second end to end, core + simulator in one process over
// loopback on a real clock, beside the simulator's own signed-query rate measured in the same run on
// the same simulator. Each buyer creates an order, pays it by QR, pays at the simulator, and waits
// until the core has credited it (notify verified, confirmed by query, ledger posted, commit durable);
// the buyers run in a worker thread (bench/buyers-worker.mjs), off the event loop they measure.
// Phases alternate (query rate, orders at 4 buyers, query rate, 16 buyers, query rate, 64 buyers) so
// that drift in the machine's load hits both alike; each order rate is set against the query rate
// measured just before it. The simulator's traffic per order is counted, to say what bounds the ratio.
// The thread pool gets the nice value `paysim up` gives it (--pool-nice, lib/thread-pool.ts; 0: none).
// Run: node --import tsx bench/core.ts [--seconds 5] [--buyers 4,16,64] [--store memory|file] [--pool-nice 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { AlipaySdk } from 'alipay-sdk';
import { createCore, type Core } from '../core/app.ts';
import { createSimulator, type Simulator } from '../simulator/server.ts';
import { connectorOptionsFor } from '../scenarios/harness/connect.ts';
import { defaultPoolNice, lowerThreadPoolPriority, type PoolPriority } from '../lib/thread-pool.ts';
import { key, load, median, poolPriorityText, rsaSigningLimit, signedQueryPool, type LoadResult } from './load.ts';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1]! : fallback;
}

export interface OrdersResult {
  readonly buyers: number;
  readonly paid: number;
  readonly seconds: number;
  readonly ordersPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly firstError?: string;
  /** Per order paid in the timed part: gateway calls the simulator answered, notifications it sent. */
  readonly gatewayCallsPerOrder: number;
  readonly notificationsPerOrder: number;
  /** Main-thread CPU use (event-loop utilization) and process CPU (all threads) per order. */
  readonly eventLoopUtilization: number;
  readonly cpuMsPerOrder: number;
}

export interface CoreBenchResult {
  readonly store: 'memory' | 'file';
  readonly phases: readonly { readonly query: LoadResult; readonly orders: OrdersResult; readonly ratio: number }[];
  readonly signsPerSecondLimit: number;
  readonly poolPriority: PoolPriority;
}

interface Pair {
  readonly simulator: Simulator;
  readonly simUrl: string;
  readonly core: Core;
  readonly coreUrl: string;
  close(): Promise<void>;
}

export async function startPair(store: 'memory' | 'file', sdkThread = true): Promise<Pair> {
  const simulator = await createSimulator({
    port: 0,
    memory: true,
    clock: 'real',
    defaultAppKeys: { alipay: { merchant: { privateKeyPem: key('merchant_private'), publicKeyPem: key('merchant_public') }, channel: { privateKeyPem: key('channel_private'), publicKeyPem: key('channel_public') } } },
  });
  const simUrl = await simulator.listen();
  const dataDir = store === 'file' ? await mkdtemp(join(tmpdir(), 'paysim-bench-core-')) : undefined;
  const core = await createCore({
    clock: simulator.clock,
    ...(dataDir ? { dataDir } : { memory: true }),
    connectors: connectorOptionsFor(simulator, { sdkThread }),
    config: { port: 0, checksIntervalMs: 0 },
  });
  const coreUrl = await core.listen();
  return {
    simulator, simUrl, core, coreUrl,
    close: async () => {
      await core.close();
      await simulator.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;

/** What bench/buyers-worker.mjs takes, gives back, and is told. */
interface BuyersInput {
  readonly coreUrl: string;
  readonly simUrl: string;
  readonly buyers: number;
  readonly warmupMs: number;
  readonly seconds: number;
  /** Order numbers start after this, so that successive phases never reuse one. */
  readonly firstSequence: number;
}
interface BuyersOutput {
  /** Latency of every order started after the warm-up and paid before the end. */
  readonly latenciesMs: number[];
  readonly errors: number;
  /** The first failure's message, when there was one. */
  readonly firstError?: string;
  readonly lastSequence: number;
}
interface PaidMessage {
  readonly orderNo: string;
}

/**
 * `buyers` closed-loop buyers (bench/buyers-worker.mjs, in a worker thread) for a warm-up second and then
 * `seconds`; an order counts when it was started after the warm-up and paid before the end.
 */
export async function runOrders(pair: Pair, buyers: number, seconds: number): Promise<OrdersResult> {
  const { core, coreUrl, simUrl, simulator } = pair;
  const input: BuyersInput = { coreUrl, simUrl, buyers, warmupMs: 1_000, seconds, firstSequence: sequence };
  const worker = new Worker(new URL('./buyers-worker.mjs', import.meta.url), { workerData: input });
  const forward = core.events.on('order.paid', (event) => worker.postMessage({ orderNo: event.orderNo } satisfies PaidMessage));
  let timed = false;
  let gatewayCalls = 0;
  let notifications = 0;
  const count = simulator.engine.events.on('http.exchange', () => {
    if (timed) gatewayCalls++;
  });
  const countNotify = simulator.engine.events.on('notify.attempted', () => {
    if (timed) notifications++;
  });
  let elu0 = performance.eventLoopUtilization();
  let cpu0 = process.cpuUsage();
  const startTimed = setTimeout(() => {
    timed = true;
    elu0 = performance.eventLoopUtilization();
    cpu0 = process.cpuUsage();
  }, input.warmupMs);
  const stopTimed = setTimeout(() => {
    timed = false;
  }, input.warmupMs + seconds * 1000);
  let elu: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  const endTimed = setTimeout(() => {
    elu = performance.eventLoopUtilization(elu0);
    cpu = process.cpuUsage(cpu0);
  }, input.warmupMs + seconds * 1000);
  const output = await new Promise<BuyersOutput>((resolve, reject) => {
    worker.once('message', (message: { done: BuyersOutput }) => resolve(message.done));
    worker.once('error', reject);
  });
  await worker.terminate();
  for (const timer of [startTimed, stopTimed, endTimed]) clearTimeout(timer);
  forward();
  count();
  countNotify();
  sequence = output.lastSequence;
  elu ??= performance.eventLoopUtilization(elu0);
  cpu ??= process.cpuUsage(cpu0);

  const latenciesMs = output.latenciesMs.sort((a, b) => a - b);
  const percentile = (p: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(p * latenciesMs.length))] ?? Number.NaN;
  const paidCount = latenciesMs.length;
  return {
    buyers,
    paid: paidCount,
    seconds,
    ordersPerSecond: paidCount / seconds,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    errors: output.errors,
    ...(output.firstError !== undefined ? { firstError: output.firstError } : {}),
    gatewayCallsPerOrder: gatewayCalls / Math.max(1, paidCount),
    notificationsPerOrder: notifications / Math.max(1, paidCount),
    eventLoopUtilization: elu.utilization,
    // The process's CPU (all threads, the buyers' worker included) over the timed part, per order paid.
    cpuMsPerOrder: (cpu.user + cpu.system) / 1000 / Math.max(1, paidCount),
  };
}

/** Paid trades at the simulator, and distinct signed queries about them, for the query-rate phases. */
async function queryPool(pair: Pair) {
  const appId = pair.simulator.defaultAppId('alipay');
  const sdk = new AlipaySdk({ appId, privateKey: key('merchant_private'), alipayPublicKey: key('channel_public'), gateway: `${pair.simUrl}/gateway.do` });
  const tradeNos = Array.from({ length: 32 }, (_, index) => `BENCH-Q-${index + 1}`);
  for (const outTradeNo of tradeNos) {
    await sdk.exec('alipay.trade.pay', { bizContent: { outTradeNo, totalAmount: '88.80', subject: 'bench', scene: 'bar_code', authCode: '281234567890123456' } }, { validateSign: true });
  }
  return signedQueryPool(appId, tradeNos, 2048);
}

export async function runCoreBench(options: { seconds: number; buyers: readonly number[]; store: 'memory' | 'file'; connections?: number; poolNice?: number }): Promise<CoreBenchResult> {
  const pair = await startPair(options.store);
  const poolPriority = await lowerThreadPoolPriority(options.poolNice ?? defaultPoolNice);
  const phases: { query: LoadResult; orders: OrdersResult; ratio: number }[] = [];
  const limits: number[] = [];
  try {
    const pool = await queryPool(pair);
    limits.push(await rsaSigningLimit({ seconds: 2, bytes: 855 }));
    for (const buyers of options.buyers) {
      const query = await load({ url: pair.simUrl, pool, connections: options.connections ?? 32, seconds: options.seconds, warmupSeconds: 1, expectInBody: '"code":"10000"' });
      if (query.errors > 0) throw new Error(`the simulator's signed-query phase had ${query.errors} failed requests: its figures are not valid`);
      const orders = await runOrders(pair, buyers, options.seconds);
      phases.push({ query, orders, ratio: orders.ordersPerSecond / query.requestsPerSecond });
    }
    limits.push(await rsaSigningLimit({ seconds: 2, bytes: 855 }));
  } finally {
    await pair.close();
  }
  return { store: options.store, phases, signsPerSecondLimit: median(limits), poolPriority };
}

export function printCoreBench(result: CoreBenchResult): void {
  console.log(`core: orders paid end to end (create → pay QR → buyer pays → notify verified + query → credited), ${result.store} store, core + simulator in one process`);
  console.log(`      beside the same simulator's signed alipay.trade.query rate (autocannon, 32 connections, separate process) measured just before each`);
  console.log(`      ${poolPriorityText(result.poolPriority)}`);
  for (const { query, orders, ratio } of result.phases) {
    console.log(
      `${`${orders.buyers} buyers`.padEnd(11)}${orders.ordersPerSecond.toFixed(1).padStart(8)} orders/s (p50 ${orders.p50Ms.toFixed(0).padStart(4)} ms, p99 ${orders.p99Ms.toFixed(0).padStart(5)} ms, errors ${orders.errors})` +
        `   simulator ${query.requestsPerSecond.toFixed(0).padStart(5)} queries/s   ratio ${ratio.toFixed(3)}×` +
        `   per order: ${orders.gatewayCallsPerOrder.toFixed(2)} gateway calls, ${orders.notificationsPerOrder.toFixed(2)} notifications, ${orders.cpuMsPerOrder.toFixed(2)} ms CPU, event loop ${(100 * orders.eventLoopUtilization).toFixed(0)}% busy`,
    );
  }
  for (const { orders } of result.phases) if (orders.firstError) console.log(`${orders.buyers} buyers: first failure: ${orders.firstError}`);
  const last = result.phases.at(-1);
  if (last) {
    // Each gateway call costs one RSA signature on each side (request, answer); each notification one (the simulator's).
    const signsPerOrder = 2 * last.orders.gatewayCallsPerOrder + last.orders.notificationsPerOrder;
    console.log(
      `RSA-2048 signatures per order: ${signsPerOrder.toFixed(1)} (a signed query: 1); this machine signs ${result.signsPerSecondLimit.toFixed(0)}/s on all cores, ` +
        `so signing alone caps orders at ${(result.signsPerSecondLimit / signsPerOrder).toFixed(0)}/s and queries at ${result.signsPerSecondLimit.toFixed(0)}/s: a ratio of at most ${(1 / signsPerOrder).toFixed(2)}× from signing alone`,
    );
  }
}

/** The memory store at 4, 16 and 64 buyers, printed. */
export async function run(options: { seconds?: number; buyers?: readonly number[]; store?: 'memory' | 'file'; poolNice?: number } = {}): Promise<CoreBenchResult> {
  const result = await runCoreBench({ seconds: options.seconds ?? 5, buyers: options.buyers ?? [4, 16, 64], store: options.store ?? 'memory', poolNice: options.poolNice ?? defaultPoolNice });
  printCoreBench(result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const store = argument('store', 'memory');
  if (store !== 'memory' && store !== 'file') throw new Error(`--store must be memory or file, got ${store}`);
  await run({ seconds: Number(argument('seconds', '5')), buyers: argument('buyers', '4,16,64').split(',').map(Number), store, poolNice: Number(argument('pool-nice', String(defaultPoolNice))) });
}

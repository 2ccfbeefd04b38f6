// What the HTTP benchmarks share: the autocannon load generator in its own process, pools of distinct
// signed alipay.trade.query requests built before the timed part, and the machine's RSA-2048 signing
// limit measured in the same run.
import { execFile } from 'node:child_process';
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { privateKeyObject } from '../simulator/engine/keys.ts';
import { requestSignContent, signSync } from '../simulator/channels/alipay/sign.ts';
import type { AutocannonOptions, LoadResult, PooledRequest } from './autocannon-client.ts';
import type { PoolPriority } from '../lib/thread-pool.ts';

export type { LoadResult, PooledRequest } from './autocannon-client.ts';

const run = promisify(execFile);

export const key = (name: string) => readFileSync(new URL(`../test/fixtures/keys/${name}.pem`, import.meta.url), 'utf8');

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' };

/** A load run's figures, with the CPU this process (the server's) spent per request meanwhile. */
export type ServedResult = LoadResult & { serverCpuMsPerRequest: number };

/** Runs autocannon in a child process against `options.url` and returns its figures. */
export async function load(options: AutocannonOptions): Promise<ServedResult> {
  const dir = await mkdtemp(join(tmpdir(), 'paysim-bench-load-'));
  try {
    const file = join(dir, 'options.json');
    await writeFile(file, JSON.stringify(options));
    // Includes the load generator's start-up and warm-up: an upper bound on the server's share.
    const cpu0 = process.cpuUsage();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', new URL('./autocannon-client.ts', import.meta.url).pathname, file], { maxBuffer: 1 << 20 });
    const cpu = process.cpuUsage(cpu0);
    const result = JSON.parse(stdout) as LoadResult;
    const warmedRequests = result.requests * (1 + options.warmupSeconds / options.seconds);
    return { ...result, serverCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, warmedRequests) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Beijing time `yyyy-MM-dd HH:mm:ss` of a fixed instant plus `seconds`, as the v2 `timestamp` parameter. */
function timestampPlus(seconds: number): string {
  const at = new Date(Date.UTC(2026, 0, 1, 4, 0, 0) + seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
}

/**
 * `count` distinct signed v2 `alipay.trade.query` requests (each its own timestamp, hence its own
 * signature), cycling over `outTradeNos`, signed with the merchant key before any load starts.
 */
export function signedQueryPool(appId: string, outTradeNos: readonly string[], count: number): PooledRequest[] {
  const merchantKey = privateKeyObject(key('merchant_private'));
  return Array.from({ length: count }, (_, index) => {
    const params: Record<string, string> = {
      app_id: appId, method: 'alipay.trade.query', charset: 'utf-8', version: '1.0', sign_type: 'RSA2',
      timestamp: timestampPlus(index), biz_content: JSON.stringify({ out_trade_no: outTradeNos[index % outTradeNos.length] }),
    };
    params.sign = signSync(requestSignContent(params), merchantKey);
    const { biz_content, ...common } = params;
    return { method: 'POST', path: `/gateway.do?${new URLSearchParams(common)}`, headers: formHeaders, body: new URLSearchParams({ biz_content: biz_content! }).toString() };
  });
}

/**
 * The machine's RSA-2048 signing limit: signatures per second with `inFlight` signs always queued on
 * libuv's thread pool (every core busy signing), over a `bytes`-long message, for `seconds`.
 */
export async function rsaSigningLimit(options: { seconds: number; bytes: number; inFlight?: number; privateKey?: KeyObject }): Promise<number> {
  const privateKey = options.privateKey ?? privateKeyObject(key('channel_private'));
  const message = Buffer.alloc(options.bytes, 'a');
  const inFlight = options.inFlight ?? 16;
  const warmEnd = performance.now() + 300;
  const signOnce = () => new Promise<void>((resolve, reject) => cryptoSign('sha256', message, privateKey, (error) => (error ? reject(error) : resolve())));
  const loop = async (untilMs: number, counter: { n: number }) => {
    while (performance.now() < untilMs) {
      await signOnce();
      counter.n++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, () => loop(warmEnd, { n: 0 })));
  const counter = { n: 0 };
  const startMs = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => loop(startMs + options.seconds * 1000, counter)));
  return counter.n / ((performance.now() - startMs) / 1000);
}

export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function medianResult(results: readonly LoadResult[]): LoadResult {
  return {
    loadCpuMsPerRequest: median(results.map((result) => result.loadCpuMsPerRequest)),
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
    p50Ms: median(results.map((result) => result.p50Ms)),
    p99Ms: median(results.map((result) => result.p99Ms)),
  };
}

/** How a benchmark's process left the thread pool (lib/thread-pool.ts), for the line that prints it. */
export function poolPriorityText(priority: PoolPriority): string {
  return 'skipped' in priority
    ? `thread pool at the event loop's priority (${priority.skipped})`
    : `thread pool (${priority.threads.length} threads) at nice ${priority.nice}, as paysim up, sim and core run it`;
}

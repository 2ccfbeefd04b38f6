// Benchmark (not a test): signed `alipay.trade.query` through the simulator's /gateway.do, beside a
// bare express handler that signs a response of the same size with node:crypto, in the same run, both
// loaded by autocannon from a separate process with a pool of distinct requests signed beforehand.
// RSA-2048 signing dominates both; the simulator signs on the thread pool (async), the baseline on
// the event loop. The machine's RSA signing limit (every core signing) is measured in the same run
// and the simulator's rate is printed as a fraction of it.
// The process gives the thread pool the nice value `paysim up` and `paysim sim` give it (--pool-nice,
// lib/thread-pool.ts); `--pool-nice 0` measures the pool at the event loop's priority.
// Run: node --import tsx bench/gateway.ts [--seconds 4] [--connections 32] [--rounds 3] [--pool-nice 5]
import { sign as cryptoSign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { AlipaySdk } from 'alipay-sdk';
import { createSimulator } from '../simulator/server.ts';
import { privateKeyObject } from '../simulator/engine/keys.ts';
import { availableParallelism } from 'node:os';
import { defaultPoolNice, lowerThreadPoolPriority } from '../lib/thread-pool.ts';
import { formHeaders, key, load, median, medianResult, poolPriorityText, rsaSigningLimit, signedQueryPool, type LoadResult, type PooledRequest, type ServedResult } from './load.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

interface Target {
  url: string;
  close(): Promise<void>;
}

/** Distinct signed queries in the pool (each with its own timestamp and signature). */
const poolSize = 2048;
/** Paid trades the queries ask about. */
const tradeCount = 32;

/** The simulator with paid trades to query, and a pool of signed queries about them. */
async function startSimulatorTarget(): Promise<Target & { pool: PooledRequest[]; responseBody: string }> {
  const simulator = await createSimulator({
    port: 0, memory: true, clock: 'real',
    defaultAppKeys: { alipay: { merchant: { privateKeyPem: key('merchant_private'), publicKeyPem: key('merchant_public') }, channel: { privateKeyPem: key('channel_private'), publicKeyPem: key('channel_public') } } },
  });
  const url = await simulator.listen();
  const sdk = new AlipaySdk({ appId: simulator.defaultAppId('alipay'), privateKey: key('merchant_private'), alipayPublicKey: key('channel_public'), gateway: `${url}/gateway.do` });
  const tradeNos = Array.from({ length: tradeCount }, (_, index) => `BENCH-${index + 1}`);
  for (const outTradeNo of tradeNos) {
    await sdk.exec('alipay.trade.pay', { bizContent: { outTradeNo, totalAmount: '88.80', subject: 'bench', scene: 'bar_code', authCode: '281234567890123456' } }, { validateSign: true });
  }
  const pool = signedQueryPool(simulator.defaultAppId('alipay'), tradeNos, poolSize);
  const probe = await fetch(`${url}${pool[0]!.path}`, { method: 'POST', headers: formHeaders, body: pool[0]!.body });
  const responseBody = await probe.text();
  if (!responseBody.includes('"code":"10000"')) throw new Error(`benchmark request is not accepted: ${responseBody}`);
  // The SDK checks the answer the way a merchant would: the benchmark measures answers it accepts.
  const checked = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: tradeNos[0] } }, { validateSign: true });
  if ((checked as { code?: string }).code !== '10000') throw new Error(`the SDK does not accept the query answer: ${JSON.stringify(checked)}`);
  return { url, pool, responseBody, close: () => simulator.close() };
}

/** The least a signing gateway must do: read the body, sign a same-size answer on the event loop, send it. */
async function startBaselineTarget(responseBody: string): Promise<Target> {
  const channelKey = privateKeyObject(key('channel_private'));
  const inner = responseBody.slice(responseBody.indexOf(':') + 1, responseBody.lastIndexOf(',"sign"'));
  const baseline = express();
  baseline.post('/gateway.do', express.urlencoded({ extended: false }), (_req, res) => {
    const signature = cryptoSign('sha256', Buffer.from(inner), channelKey).toString('base64');
    res.type('application/json;charset=utf-8').send(`{"alipay_trade_query_response":${inner},"sign":"${signature}"}`);
  });
  const server = baseline.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Alternates baseline and simulator rounds (B S B S …) so that drift in the machine's load hits both
 * alike, and reports the median of each; the RSA signing limit is measured before the first and after
 * the last round (the median of the measures is reported). Any failed request fails the benchmark:
 * figures of a run with errors mean nothing.
 */
export async function runGatewayBench(options: { seconds: number; connections: number; rounds: number; poolNice?: number }) {
  const simulator = await startSimulatorTarget();
  // As `paysim up` and `paysim sim` do once they listen. The baseline signs on its event loop and uses no pool.
  const poolPriority = await lowerThreadPoolPriority(options.poolNice ?? defaultPoolNice);
  const baseline = await startBaselineTarget(simulator.responseBody);
  const loadBase = { pool: simulator.pool, connections: options.connections, seconds: options.seconds, warmupSeconds: 1, expectInBody: '"code":"10000"' };
  const simulatorRounds: ServedResult[] = [];
  const baselineRounds: ServedResult[] = [];
  const limits: number[] = [];
  const innerBytes = simulator.responseBody.length;
  try {
    limits.push(await rsaSigningLimit({ seconds: 2, bytes: innerBytes }));
    for (let round = 0; round < options.rounds; round++) {
      baselineRounds.push(await load({ ...loadBase, url: baseline.url }));
      simulatorRounds.push(await load({ ...loadBase, url: simulator.url }));
    }
    limits.push(await rsaSigningLimit({ seconds: 2, bytes: innerBytes }));
  } finally {
    await baseline.close();
    await simulator.close();
  }
  const served = (rounds: readonly ServedResult[]): ServedResult => ({ ...medianResult(rounds), serverCpuMsPerRequest: median(rounds.map((round) => round.serverCpuMsPerRequest)) });
  const result = {
    simulator: served(simulatorRounds),
    baseline: served(baselineRounds),
    cores: availableParallelism(),
    rounds: options.rounds,
    connections: options.connections,
    ratios: simulatorRounds.map((round, index) => round.requestsPerSecond / baselineRounds[index]!.requestsPerSecond),
    responseBytes: simulator.responseBody.length,
    poolSize,
    signsPerSecondLimit: median(limits),
    limits,
    poolPriority,
  };
  if (result.simulator.errors + result.baseline.errors > 0) {
    throw new Error(`gateway benchmark had failed requests (simulator ${result.simulator.errors}, baseline ${result.baseline.errors}): its figures are not valid`);
  }
  return {
    ...result,
    ratio: result.simulator.requestsPerSecond / result.baseline.requestsPerSecond,
    // One RSA-2048 signature per answer (the request's verification is a public-key operation, ~1/10 of it).
    fractionOfSigningLimit: result.simulator.requestsPerSecond / result.signsPerSecondLimit,
  };
}

export function printGatewayBench(result: Awaited<ReturnType<typeof runGatewayBench>>): void {
  const row = (name: string, r: ServedResult) =>
    `${name.padEnd(46)}${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(6)} ms   p99 ${r.p99Ms.toFixed(2).padStart(6)} ms` +
    `   CPU per request: server ${r.serverCpuMsPerRequest.toFixed(3)} ms, load generator ${r.loadCpuMsPerRequest.toFixed(3)} ms`;
  console.log(
    `gateway: signed alipay.trade.query, ${result.responseBytes}-byte signed response, autocannon ${result.connections} connections from a separate process, ` +
      `${result.poolSize} distinct pre-signed requests, median of ${result.rounds} alternating rounds`,
  );
  console.log(`simulator: ${poolPriorityText(result.poolPriority)}`);
  console.log(row('bare express + sync RSA-2048 sign (baseline)', result.baseline));
  console.log(row('paysim /gateway.do (verify + query + sign)', result.simulator));
  console.log(`ratio simulator/baseline: ${result.ratio.toFixed(2)}× (per round: ${result.ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
  console.log(
    `RSA-2048 signing limit of this machine (thread pool, every core): ${result.signsPerSecondLimit.toFixed(0)} signs/s (measures: ${result.limits.map((limit) => limit.toFixed(0)).join(', ')}); ` +
      `simulator at ${(100 * result.fractionOfSigningLimit).toFixed(0)}% of it, baseline at ${((100 * result.baseline.requestsPerSecond) / result.signsPerSecondLimit).toFixed(0)}% (one signature per answer)`,
  );
  // What the CPU allows each, from the CPU per request measured above: the baseline serves on one
  // thread (one core at most); the simulator on every core, which it shares with the load generator.
  const ceiling = (r: ServedResult, threads: number) => Math.min((1000 * threads) / r.serverCpuMsPerRequest, (1000 * result.cores) / (r.serverCpuMsPerRequest + r.loadCpuMsPerRequest));
  const simulatorCeiling = ceiling(result.simulator, result.cores);
  const baselineCeiling = ceiling(result.baseline, 1);
  console.log(
    `CPU ceilings on ${result.cores} cores with the load generator on the same machine: simulator ${simulatorCeiling.toFixed(0)} req/s, baseline ${baselineCeiling.toFixed(0)} req/s: ` +
      `a ratio of at most ${(simulatorCeiling / baselineCeiling).toFixed(2)}× at these costs per request`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printGatewayBench(await runGatewayBench({ seconds: argument('seconds', 4), connections: argument('connections', 32), rounds: argument('rounds', 3), poolNice: argument('pool-nice', defaultPoolNice) }));
}

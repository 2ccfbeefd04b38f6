// Benchmark (not a test): signed `alipay.trade.query` through the simulator's /gateway.do, beside a
// bare express handler that signs a response of the same size with node:crypto, in the same run.
// RSA-2048 signing dominates both; the simulator signs on the thread pool (async), the baseline on
// the event loop. Run: node --import tsx bench/gateway.ts [--seconds 5] [--connections 32]
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sign as cryptoSign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import express from 'express';
import { AlipaySdk } from 'alipay-sdk';
import { createSimulator } from '../simulator/server.ts';
import { privateKeyObject } from '../simulator/engine/keys.ts';
import { requestSignContent, signSync } from '../simulator/channels/alipay/sign.ts';
import type { LoadOptions, LoadResult } from './load-client.ts';

const run = promisify(execFile);
const keyPath = (name: string) => new URL(`../test/fixtures/keys/${name}.pem`, import.meta.url);
const key = (name: string) => readFileSync(keyPath(name), 'utf8');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function load(options: LoadOptions): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', new URL('./load-client.ts', import.meta.url).pathname, JSON.stringify(options)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

/** A signed form request for alipay.trade.query, built once and replayed. */
function signedQuery(appId: string, outTradeNo: string): { query: string; body: string } {
  const params: Record<string, string> = {
    app_id: appId, method: 'alipay.trade.query', charset: 'utf-8', version: '1.0', sign_type: 'RSA2',
    timestamp: '2026-01-01 12:00:00', biz_content: JSON.stringify({ out_trade_no: outTradeNo }),
  };
  params.sign = signSync(requestSignContent(params), privateKeyObject(key('merchant_private')));
  const { biz_content, ...common } = params;
  return { query: new URLSearchParams(common).toString(), body: new URLSearchParams({ biz_content: biz_content! }).toString() };
}

interface Target {
  url: string;
  close(): Promise<void>;
}

/** The simulator with one paid trade to query, and the signed query request replayed against it. */
async function startSimulatorTarget(): Promise<Target & { request: { query: string; body: string }; responseBody: string }> {
  const simulator = await createSimulator({
    port: 0, memory: true, clock: 'real',
    defaultAppKeys: { alipay: { merchant: { privateKeyPem: key('merchant_private'), publicKeyPem: key('merchant_public') }, channel: { privateKeyPem: key('channel_private'), publicKeyPem: key('channel_public') } } },
  });
  const url = await simulator.listen();
  const sdk = new AlipaySdk({ appId: simulator.defaultAppId('alipay'), privateKey: key('merchant_private'), alipayPublicKey: key('channel_public'), gateway: `${url}/gateway.do` });
  await sdk.exec('alipay.trade.pay', { bizContent: { outTradeNo: 'BENCH-1', totalAmount: '88.80', subject: 'bench', scene: 'bar_code', authCode: '281234567890123456' } }, { validateSign: true });
  const request = signedQuery(simulator.defaultAppId('alipay'), 'BENCH-1');
  const probe = await fetch(`${url}/gateway.do?${request.query}`, { method: 'POST', headers: formHeaders, body: request.body });
  const responseBody = await probe.text();
  if (!responseBody.includes('"code":"10000"')) throw new Error(`benchmark request is not accepted: ${responseBody}`);
  return { url, request, responseBody, close: () => simulator.close() };
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

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function medianResult(results: LoadResult[]): LoadResult {
  return {
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
    p50Ms: median(results.map((result) => result.p50Ms)),
    p99Ms: median(results.map((result) => result.p99Ms)),
  };
}

/**
 * Alternates baseline and simulator rounds (B S B S …) so that drift in the machine's load hits both
 * alike, and reports the median of each. Any failed request fails the benchmark: figures of a run
 * with errors mean nothing.
 */
export async function runGatewayBench(options: { seconds: number; connections: number; rounds: number }) {
  const loadBase = { method: 'POST' as const, headers: formHeaders, connections: options.connections, durationMs: options.seconds * 1000, warmupMs: 1000 };
  const simulator = await startSimulatorTarget();
  const baseline = await startBaselineTarget(simulator.responseBody);
  const simulatorRounds: LoadResult[] = [];
  const baselineRounds: LoadResult[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      baselineRounds.push(await load({ ...loadBase, url: `${baseline.url}/gateway.do?${simulator.request.query}`, body: simulator.request.body }));
      simulatorRounds.push(await load({ ...loadBase, url: `${simulator.url}/gateway.do?${simulator.request.query}`, body: simulator.request.body }));
    }
  } finally {
    await baseline.close();
    await simulator.close();
  }
  const result = {
    simulator: medianResult(simulatorRounds),
    baseline: medianResult(baselineRounds),
    rounds: options.rounds,
    ratios: simulatorRounds.map((round, index) => round.requestsPerSecond / baselineRounds[index]!.requestsPerSecond),
    responseBytes: simulator.responseBody.length,
  };
  if (result.simulator.errors + result.baseline.errors > 0) {
    throw new Error(`gateway benchmark had failed requests (simulator ${result.simulator.errors}, baseline ${result.baseline.errors}): its figures are not valid`);
  }
  return { ...result, ratio: result.simulator.requestsPerSecond / result.baseline.requestsPerSecond };
}

export function printGatewayBench(result: Awaited<ReturnType<typeof runGatewayBench>>): void {
  const row = (name: string, r: LoadResult) =>
    `${name.padEnd(44)}${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(6)} ms   p99 ${r.p99Ms.toFixed(2).padStart(6)} ms`;
  console.log(`gateway: signed alipay.trade.query, ${result.responseBytes}-byte signed response, median of ${result.rounds} alternating rounds`);
  console.log(row('bare express + sync RSA-2048 sign (baseline)', result.baseline));
  console.log(row('paysim /gateway.do (verify + query + sign)', result.simulator));
  console.log(`ratio simulator/baseline: ${result.ratio.toFixed(2)}× (per round: ${result.ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printGatewayBench(await runGatewayBench({ seconds: argument('seconds', 4), connections: argument('connections', 32), rounds: argument('rounds', 3) }));
}

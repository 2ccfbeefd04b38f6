// Benchmark (not a test): a signed order query through the simulator, on each channel's wire, beside a
// bare express handler that signs an answer of the same size with node:crypto, in the same run, both
// loaded by autocannon from a separate process with a pool of distinct requests signed beforehand.
// Alipay: `alipay.trade.query` through /gateway.do. WeChat Pay: `GET /v3/pay/transactions/out-trade-no/{no}`,
// the Authorization header verified, the answer signed in the Wechatpay-* headers.
// RSA-2048 signing dominates both; the simulator signs on the thread pool (async), the baseline on
// the event loop. The machine's RSA signing limit (every core signing) is measured in the same run
// and the simulator's rate is printed as a fraction of it.
// The process gives the thread pool the nice value `paysim up` and `paysim sim` give it (--pool-nice,
// lib/thread-pool.ts); `--pool-nice 0` measures the pool at the event loop's priority.
// Run: node --import tsx bench/gateway.ts [--channel alipay|wechatpay|all] [--seconds 4] [--connections 32] [--rounds 3] [--pool-nice 5]
import { sign as cryptoSign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import express from 'express';
import { AlipaySdk } from 'alipay-sdk';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { createSimulator, type Simulator } from '../simulator/server.ts';
import { privateKeyObject } from '../simulator/engine/keys.ts';
import { wechatpayData } from '../simulator/channels/wechatpay/app-data.ts';
import { authorizationScheme, requestSignContent, responseSignContent } from '../simulator/channels/wechatpay/sign.ts';
import { defaultPoolNice, lowerThreadPoolPriority } from '../lib/thread-pool.ts';
import { formHeaders, key, load, median, medianResult, poolPriorityText, rsaSigningLimit, signedQueryPool, type PooledRequest, type ServedResult } from './load.ts';

export const gatewayChannels = ['alipay', 'wechatpay'] as const;
export type GatewayChannel = (typeof gatewayChannels)[number];

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

interface Target {
  url: string;
  close(): Promise<void>;
}

/** A channel's simulator, ready to be queried, and what its baseline must imitate. */
interface SimulatorTarget extends Target {
  readonly what: string;
  readonly simulatorRow: string;
  /** The requests of one round, signed before it starts (WeChat Pay's timestamps must be within 300 s of now). */
  pool(): PooledRequest[];
  /** Text every answer must hold, or the request counts as failed. */
  readonly expectInBody: string;
  /** One answer's body, which the baseline sends signed. */
  readonly responseBody: string;
  /** The baseline: the least a signing gateway of this wire must do. */
  startBaseline(): Promise<Target>;
}

/** Distinct signed queries in the pool (each with its own timestamp and signature). */
const poolSize = 2048;
/** Paid trades the queries ask about. */
const tradeCount = 32;

const fixtureAppKeys = {
  merchant: { privateKeyPem: key('merchant_private'), publicKeyPem: key('merchant_public') },
  channel: { privateKeyPem: key('channel_private'), publicKeyPem: key('channel_public') },
};

async function startFixtureSimulator(): Promise<{ simulator: Simulator; url: string }> {
  const simulator = await createSimulator({
    port: 0, memory: true, clock: 'real',
    defaultAppKeys: {
      alipay: fixtureAppKeys,
      wechatpay: { ...fixtureAppKeys, channelSecondary: { privateKeyPem: key('wechatpay_public_key_private'), publicKeyPem: key('wechatpay_public_key_public') } },
    },
  });
  return { simulator, url: await simulator.listen() };
}

/** An express app on a loopback port 0, closed with its connections. */
async function listenBaseline(app: express.Express): Promise<Target> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Alipay: paid trades queried by signed v2 `alipay.trade.query` requests through /gateway.do. */
async function startAlipayTarget(): Promise<SimulatorTarget> {
  const { simulator, url } = await startFixtureSimulator();
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
  const channelKey = privateKeyObject(key('channel_private'));
  const inner = responseBody.slice(responseBody.indexOf(':') + 1, responseBody.lastIndexOf(',"sign"'));
  return {
    url, responseBody,
    what: `signed alipay.trade.query, ${responseBody.length}-byte signed response`,
    simulatorRow: 'paysim /gateway.do (verify + query + sign)',
    pool: () => pool,
    expectInBody: '"code":"10000"',
    close: () => simulator.close(),
    startBaseline: () => {
      const baseline = express();
      baseline.post('/gateway.do', express.urlencoded({ extended: false }), (_req, res) => {
        const signature = cryptoSign('sha256', Buffer.from(inner), channelKey).toString('base64');
        res.type('application/json;charset=utf-8').send(`{"alipay_trade_query_response":${inner},"sign":"${signature}"}`);
      });
      return listenBaseline(baseline);
    },
  };
}

/**
 * `count` distinct signed `GET /v3/pay/transactions/out-trade-no/{no}?mchid=…` requests (each its own
 * nonce, hence its own signature), timestamped now, cycling over `outTradeNos`.
 */
function signedWechatpayQueryPool(mchid: string, serial: string, outTradeNos: readonly string[], count: number): PooledRequest[] {
  const merchantKey = privateKeyObject(key('merchant_private'));
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, index) => {
    const path = `/v3/pay/transactions/out-trade-no/${outTradeNos[index % outTradeNos.length]}?mchid=${mchid}`;
    const nonce = `BENCH${String(index).padStart(27, '0')}`;
    const signature = cryptoSign('sha256', Buffer.from(requestSignContent({ method: 'GET', target: path, timestamp, nonce, body: '' })), merchantKey).toString('base64');
    const authorization = `${authorizationScheme} mchid="${mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${serial}"`;
    return { method: 'GET', path, headers: { authorization, accept: 'application/json' }, body: '' };
  });
}

/** WeChat Pay: paid native orders queried by signed `GET /v3/pay/transactions/out-trade-no/{no}`. */
async function startWechatpayTarget(): Promise<SimulatorTarget> {
  const { simulator, url } = await startFixtureSimulator();
  const mchid = simulator.defaultAppId('wechatpay');
  const data = wechatpayData(simulator.engine.apps.get('wechatpay', mchid)!);
  const merchantSerial = data.merchantSerial!;
  // The official SDK places and checks the orders, trusting both of the channel's keys as a merchant would.
  const sdk = new Wechatpay({
    mchid, serial: merchantSerial, privateKey: key('merchant_private'), baseURL: `${url}/`,
    certs: { [data.publicKeyId]: data.publicKeyPem, [data.platformSerial]: data.platformCertPem },
  } as ConstructorParameters<typeof Wechatpay>[0]) as Wechatpay & { readonly v3: any };
  const tradeNos = Array.from({ length: tradeCount }, (_, index) => `BENCHWX${String(index + 1).padStart(4, '0')}`);
  for (const outTradeNo of tradeNos) {
    await sdk.v3.pay.transactions.native.post({ appid: 'wxd930ea5d5a258f4f', mchid, description: 'bench', out_trade_no: outTradeNo, notify_url: 'http://127.0.0.1:9/notify', amount: { total: 8880, currency: 'CNY' } });
    const paid = await fetch(`${url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'wechatpay', outTradeNo, outcome: 'success' }) });
    if (paid.status !== 200) throw new Error(`the buyer could not pay ${outTradeNo}: ${paid.status} ${await paid.text()}`);
  }
  const pool = () => signedWechatpayQueryPool(mchid, merchantSerial, tradeNos, poolSize);
  const first = pool()[0]!;
  const probe = await fetch(`${url}${first.path}`, { headers: first.headers });
  const responseBody = await probe.text();
  const expectInBody = '"trade_state":"SUCCESS"';
  if (probe.status !== 200 || !responseBody.includes(expectInBody)) throw new Error(`benchmark request is not accepted: ${probe.status} ${responseBody}`);
  // The SDK verifies the answer's Wechatpay-Signature (it throws when it does not verify).
  const checked = await sdk.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid }, out_trade_no: tradeNos[0] });
  if (checked.data?.trade_state !== 'SUCCESS') throw new Error(`the SDK does not accept the query answer: ${JSON.stringify(checked.data)}`);
  const channelKey = privateKeyObject(key('channel_private'));
  return {
    url, responseBody, pool, expectInBody,
    what: `signed GET /v3/pay/transactions/out-trade-no/{no}, ${responseBody.length}-byte answer signed in its Wechatpay-* headers`,
    simulatorRow: 'paysim /v3 query (verify + query + sign)',
    close: () => simulator.close(),
    startBaseline: () => {
      const baseline = express();
      let answers = 0;
      baseline.get('/v3/pay/transactions/out-trade-no/:no', (_req, res) => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = String(answers++).padStart(32, '0');
        const signature = cryptoSign('sha256', Buffer.from(responseSignContent(timestamp, nonce, responseBody)), channelKey).toString('base64');
        res.set({ 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-timestamp': timestamp, 'wechatpay-serial': data.platformSerial, 'wechatpay-signature-type': authorizationScheme });
        res.type('application/json; charset=utf-8').send(responseBody);
      });
      return listenBaseline(baseline);
    },
  };
}


const startTarget: Record<GatewayChannel, () => Promise<SimulatorTarget>> = { alipay: startAlipayTarget, wechatpay: startWechatpayTarget };

/**
 * Alternates baseline and simulator rounds (B S B S …) so that drift in the machine's load hits both
 * alike, and reports the median of each; the RSA signing limit is measured before the first and after
 * the last round (the median of the measures is reported). Any failed request fails the benchmark:
 * figures of a run with errors mean nothing.
 */
export async function runGatewayBench(options: { seconds: number; connections: number; rounds: number; poolNice?: number; channel?: GatewayChannel }) {
  const channel = options.channel ?? 'alipay';
  const simulator = await startTarget[channel]();
  // As `paysim up` and `paysim sim` do once they listen. The baseline signs on its event loop and uses no pool.
  const poolPriority = await lowerThreadPoolPriority(options.poolNice ?? defaultPoolNice);
  const baseline = await simulator.startBaseline();
  const loadBase = { connections: options.connections, seconds: options.seconds, warmupSeconds: 1, expectInBody: simulator.expectInBody };
  const simulatorRounds: ServedResult[] = [];
  const baselineRounds: ServedResult[] = [];
  const limits: number[] = [];
  const innerBytes = simulator.responseBody.length;
  try {
    limits.push(await rsaSigningLimit({ seconds: 2, bytes: innerBytes }));
    for (let round = 0; round < options.rounds; round++) {
      const pool = simulator.pool();
      baselineRounds.push(await load({ ...loadBase, pool, url: baseline.url }));
      simulatorRounds.push(await load({ ...loadBase, pool, url: simulator.url }));
    }
    limits.push(await rsaSigningLimit({ seconds: 2, bytes: innerBytes }));
  } finally {
    await baseline.close();
    await simulator.close();
  }
  const served = (rounds: readonly ServedResult[]): ServedResult => ({ ...medianResult(rounds), serverCpuMsPerRequest: median(rounds.map((round) => round.serverCpuMsPerRequest)) });
  const result = {
    channel,
    what: simulator.what,
    simulatorRow: simulator.simulatorRow,
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
    throw new Error(`gateway benchmark (${channel}) had failed requests (simulator ${result.simulator.errors}, baseline ${result.baseline.errors}): its figures are not valid`);
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
    `gateway (${result.channel}): ${result.what}, autocannon ${result.connections} connections from a separate process, ` +
      `${result.poolSize} distinct pre-signed requests a round, median of ${result.rounds} alternating rounds`,
  );
  console.log(`simulator: ${poolPriorityText(result.poolPriority)}`);
  console.log(row('bare express + sync RSA-2048 sign (baseline)', result.baseline));
  console.log(row(result.simulatorRow, result.simulator));
  console.log(`ratio simulator/baseline: ${result.ratio.toFixed(2)}× (per round: ${result.ratios.map((ratio) => ratio.toFixed(2)).join(', ')}; target at least 1.5×)`);
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

/** `--channel alipay|wechatpay|all` (default all): the channels to measure, one after the other. */
export function gatewayChannelsOf(value: string | undefined): readonly GatewayChannel[] {
  if (value === undefined || value === 'all') return gatewayChannels;
  if ((gatewayChannels as readonly string[]).includes(value)) return [value as GatewayChannel];
  throw new RangeError(`--channel must be alipay, wechatpay or all, got ${value}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const channelIndex = process.argv.indexOf('--channel');
  const channels = gatewayChannelsOf(channelIndex > 0 ? process.argv[channelIndex + 1] : undefined);
  for (const channel of channels) {
    printGatewayBench(await runGatewayBench({ channel, seconds: argument('seconds', 4), connections: argument('connections', 32), rounds: argument('rounds', 3), poolNice: argument('pool-nice', defaultPoolNice) }));
  }
}

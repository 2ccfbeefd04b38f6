// Benchmark (not a test): seeds per second of the swarm on the reference core over two worker processes,
// and the violations found. Target: at least 100 seeds/s on 2 cores, 0 violations in 10,000 seeds.
// Beside it, in the same run, what RSA alone allows: the signatures a seed makes (counted on a sample of
// seeds run in this process) against the machine's RSA-2048 signing limit on every core.
// Run: node --import tsx bench/swarm.ts [SEEDS] [CHANNEL]   (default 10000 alipay; CI nightly runs the default and
// 10000 wechatpay)
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { swarmCase, swarmChannels, type SwarmChannel } from '../scenarios/swarm/generate.ts';
import { runCase } from '../scenarios/swarm/run-case.ts';
import { reproduceSwarm, runSwarm } from '../scenarios/swarm/swarm.ts';
import { median, rsaSigningLimit } from './load.ts';

export interface SwarmBenchResult {
  readonly seeds: number;
  readonly channel: SwarmChannel;
  readonly seconds: number;
  readonly seedsPerSec: number;
  readonly failed: number;
  readonly failingSeeds: readonly number[];
  /** Of the sample run in this process: RSA signatures and verifications a seed, and CPU ms a seed (every thread). */
  readonly sample: { readonly seeds: number; readonly signsPerSeed: number; readonly verifiesPerSeed: number; readonly cpuMsPerSeed: number };
  /** RSA-2048 signatures a second on every core (the median of the measures before and after the swarm). */
  readonly signsPerSecondLimit: number;
  readonly limits: readonly number[];
}

/**
 * Counts RSA signatures and verifications in this process while `run` runs: node:crypto's one-shot
 * sign/verify (the simulator's) and its Sign/Verify objects (alipay-sdk's), live ESM bindings included.
 */
async function countingSignatures<T>(run: () => Promise<T>): Promise<{ value: T; signs: number; verifies: number }> {
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const originals = { sign: crypto.sign, verify: crypto.verify, objectSign: crypto.Sign.prototype.sign, objectVerify: crypto.Verify.prototype.verify };
  let signs = 0;
  let verifies = 0;
  const counted = <F extends (...args: any[]) => any>(original: F, count: () => void): F =>
    function (this: unknown, ...args: unknown[]) {
      count();
      return original.apply(this, args);
    } as F;
  crypto.sign = counted(originals.sign, () => signs++);
  crypto.verify = counted(originals.verify, () => verifies++);
  crypto.Sign.prototype.sign = counted(originals.objectSign, () => signs++);
  crypto.Verify.prototype.verify = counted(originals.objectVerify, () => verifies++);
  syncBuiltinESMExports();
  try {
    return { value: await run(), signs, verifies };
  } finally {
    Object.assign(crypto, { sign: originals.sign, verify: originals.verify });
    crypto.Sign.prototype.sign = originals.objectSign;
    crypto.Verify.prototype.verify = originals.objectVerify;
    syncBuiltinESMExports();
  }
}

async function sampleSeeds(start: number, count: number, channel: SwarmChannel): Promise<SwarmBenchResult['sample']> {
  await runCase(swarmCase(start, channel)); // warm up: module loads, the default apps' keys
  const cpuBefore = process.cpuUsage();
  const { signs, verifies } = await countingSignatures(async () => {
    for (let seed = start; seed < start + count; seed++) await runCase(swarmCase(seed, channel));
  });
  const cpu = process.cpuUsage(cpuBefore);
  return { seeds: count, signsPerSeed: signs / count, verifiesPerSeed: verifies / count, cpuMsPerSeed: (cpu.user + cpu.system) / 1000 / count };
}

export async function runSwarmBench(seeds = 10_000, channel: SwarmChannel = 'alipay'): Promise<SwarmBenchResult> {
  const limitOptions = { seconds: 2, bytes: 600 };
  const limits = [await rsaSigningLimit(limitOptions)];
  const sample = await sampleSeeds(1, Math.min(100, seeds), channel);
  const startedMs = performance.now();
  const report = await runSwarm({ start: 1, seeds, workers: 2, channel, shrinkMax: 0, onProgress: (done, total) => { if (done % 500 === 0 || done === total) process.stderr.write(`${done}/${total} seeds\n`); } });
  const seconds = (performance.now() - startedMs) / 1000;
  limits.push(await rsaSigningLimit(limitOptions));
  return { seeds, channel, seconds, seedsPerSec: report.seedsPerSec, failed: report.failed, failingSeeds: report.failures.map((failure) => failure.seed), sample, signsPerSecondLimit: median(limits), limits };
}

export function formatSwarmBench(result: SwarmBenchResult): string[] {
  const { sample } = result;
  const cap = result.signsPerSecondLimit / sample.signsPerSeed;
  return [
    `swarm on the reference core (${result.channel}): ${result.seeds} seeds in ${result.seconds.toFixed(1)} s over 2 workers, ${result.seedsPerSec} seeds/s (target at least 100)`,
    `violations: ${result.failed}${result.failed > 0 ? ` (seeds ${result.failingSeeds.slice(0, 10).join(', ')}; replay with ${reproduceSwarm('SEED', undefined, result.channel)})` : ''}`,
    `a seed (sample of ${sample.seeds}, one process): ${sample.signsPerSeed.toFixed(1)} RSA-2048 signatures and ${sample.verifiesPerSeed.toFixed(1)} verifications, ${sample.cpuMsPerSeed.toFixed(1)} ms of CPU (every thread)`,
    `RSA-2048 signing limit of this machine (thread pool, every core): ${result.signsPerSecondLimit.toFixed(0)} signs/s (measures: ${result.limits.map((limit) => limit.toFixed(0)).join(', ')}); ` +
      `signatures alone cap the swarm at ${cap.toFixed(0)} seeds/s: it runs at ${((100 * result.seedsPerSec) / cap).toFixed(0)}% of that`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = process.argv[2] === undefined ? 10_000 : Number(process.argv[2]);
  if (!Number.isSafeInteger(seeds) || seeds < 1) throw new RangeError(`SEEDS must be a whole number 1 or more, got ${process.argv[2]}`);
  const channel = (process.argv[3] ?? 'alipay') as SwarmChannel;
  if (!swarmChannels.includes(channel)) throw new RangeError(`CHANNEL must be ${swarmChannels.join(' or ')}, got ${process.argv[3]}`);
  for (const line of formatSwarmBench(await runSwarmBench(seeds, channel))) console.log(line);
}

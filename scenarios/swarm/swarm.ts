// `paysim swarm`: many seeds, each a random case run to quiescence and checked by the invariants, spread
// over worker processes; failures are shrunk (in this process) to the fewest fault rules and steps that
// still break the same invariant. Each seed's result depends on the seed alone, never on the worker.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageModule, runsFromSources } from '../../lib/package-files.ts';
import type { ScenarioFault, Step } from '../define.ts';
import { scenarioKeys } from '../harness/keys.ts';
import { mutantNamed } from '../mutants/index.ts';
import { channelOfSeed, swarmCase, swarmChannels, type SwarmChannel, type SwarmChannelChoice } from './generate.ts';
import { runCase, type CaseResult } from './run-case.ts';
import { scenarioFileText } from './scenario-file.ts';
import { shrink } from './shrink.ts';

export interface SwarmOptions {
  readonly start: number;
  readonly seeds: number;
  readonly workers: number;
  /** The channel every case runs on (default Alipay), or `all`: each seed on the channel its number picks. */
  readonly channel?: SwarmChannelChoice;
  readonly mutant?: string;
  /** Failures shrunk at most (the rest are listed with their full case). */
  readonly shrinkMax?: number;
  /** Stop at the first failing seed (in-process runs only: `workers` 1). */
  readonly stopAtFirstFailure?: boolean;
  readonly onProgress?: (done: number, total: number, failed: number) => void;
  /** Sees every seed's result as it comes (its trace hash among them), in the order they finish. */
  readonly onResult?: (result: CaseResult) => void;
}

export interface SwarmFailure {
  readonly seed: number;
  /** The channel the seed ran on (under `--channel all`, the one its number picked). */
  readonly channel: SwarmChannel;
  readonly invariant: string;
  readonly detail: string;
  readonly traceHash: string;
  /** The shrunk case (the whole case when it was not shrunk). */
  readonly faults: readonly ScenarioFault[];
  readonly workload: readonly Step[];
  readonly shrunk: boolean;
  readonly reproduce: string;
  readonly scenarioFile: string;
}

export interface SwarmReport {
  readonly start: number;
  readonly seeds: number;
  readonly passed: number;
  readonly failed: number;
  readonly seedsPerSec: number;
  /** Worker processes the seeds ran on (1: in this process). */
  readonly workers: number;
  readonly channel: SwarmChannelChoice;
  /** How many seeds ran on each channel. */
  readonly channels: Partial<Record<SwarmChannel, number>>;
  readonly mutant?: string;
  readonly failures: SwarmFailure[];
  readonly reached: Reached;
  /** Under `--channel all`: the same summary for each channel's seeds, so a channel the mix starves shows. */
  readonly reachedByChannel?: Partial<Record<SwarmChannel, Reached>>;
}

/** How often each fault type fired and each outcome was reached, over some seeds' results. */
export interface Reached {
  readonly faultTypes: Record<string, number>;
  readonly outcomes: Record<string, number>;
}

function reachedBy(results: readonly CaseResult[]): Reached {
  const faultTypes: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  for (const result of results) {
    for (const [type, fired] of Object.entries(result.faultsFired)) faultTypes[type] = (faultTypes[type] ?? 0) + fired;
    for (const [name, times] of Object.entries(result.outcomes)) outcomes[name] = (outcomes[name] ?? 0) + times;
  }
  const sorted = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return { faultTypes: sorted(faultTypes), outcomes: sorted(outcomes) };
}

/** The replay command of a seed (`seed` may be a placeholder such as SEED). */
export function reproduceSwarm(seed: number | string, mutant?: string, channel: SwarmChannelChoice = 'alipay'): string {
  return `npx paysim swarm --replay ${seed}${channel === 'alipay' ? '' : ` --channel ${channel}`}${mutant ? ` --mutant ${mutant}` : ''}`;
}

// From the compiled build (dist/) the worker is JavaScript; from the sources it runs through tsx.
const workerPath = fileURLToPath(packageModule('scenarios/swarm/worker'));

async function runInWorkers(seeds: readonly number[], workers: number, channel: SwarmChannelChoice, mutant: string | undefined, onResult: (result: CaseResult) => void): Promise<void> {
  const queue = [...seeds];
  // One set of key pairs for every worker (each would spend about 1.2 s of CPU making its own).
  const keys = await scenarioKeys();
  await Promise.all(
    Array.from({ length: Math.min(workers, seeds.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const child = fork(workerPath, [], { execArgv: runsFromSources ? ['--import', 'tsx'] : [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        let keysSent = false;
        const next = () => {
          const seed = queue.shift();
          if (seed === undefined) child.send('stop');
          else child.send({ seed, channel: channelOfSeed(seed, channel), ...(mutant ? { mutant } : {}), ...(keysSent ? {} : { keys }) });
          keysSent = true;
        };
        child.on('message', (message: { ready?: boolean; result?: CaseResult; seed?: number; error?: string }) => {
          if (message.result) onResult(message.result);
          if (message.error !== undefined) return reject(new Error(`swarm worker failed on seed ${message.seed}: ${message.error}`));
          next();
        });
        child.on('exit', (code) => (code === 0 || code === null ? resolve() : reject(new Error(`a swarm worker exited with code ${code}`))));
        child.on('error', reject);
      }),
    ),
  );
}

export async function runSwarm(options: SwarmOptions): Promise<SwarmReport> {
  const mutant = options.mutant ? mutantNamed(options.mutant) : undefined;
  if (options.mutant && !mutant) throw new RangeError(`no mutant named ${options.mutant}`);
  const core = mutant ? { components: mutant.components } : undefined;
  const channel = options.channel ?? 'alipay';
  const seeds = Array.from({ length: options.seeds }, (_, index) => options.start + index);
  const results: CaseResult[] = [];
  const startedMs = performance.now();
  const collect = (result: CaseResult) => {
    results.push(result);
    options.onResult?.(result);
    options.onProgress?.(results.length, seeds.length, results.filter((candidate) => !candidate.passed).length);
  };
  if (options.workers <= 1) {
    for (const seed of seeds) {
      const result = await runCase(swarmCase(seed, channelOfSeed(seed, channel)), core);
      collect(result);
      if (!result.passed && options.stopAtFirstFailure) break;
    }
  }
  else await runInWorkers(seeds, options.workers, channel, options.mutant, collect);
  const elapsedSec = (performance.now() - startedMs) / 1000;

  const reached = reachedBy(results);
  const resultsOn = swarmChannels
    .map((name) => [name, results.filter((result) => channelOfSeed(result.seed, channel) === name)] as const)
    .filter(([, ran]) => ran.length > 0);
  const failing = results.filter((result) => !result.passed).sort((a, b) => a.seed - b.seed);
  const failures: SwarmFailure[] = [];
  for (const [index, failed] of failing.entries()) {
    const seedChannel = channelOfSeed(failed.seed, channel);
    const whole = swarmCase(failed.seed, seedChannel);
    const shrunk = index < (options.shrinkMax ?? 3) ? await shrink(whole, failed, core) : undefined;
    const shown = shrunk?.swarmCase ?? whole;
    failures.push({
      seed: failed.seed,
      channel: seedChannel,
      invariant: failed.invariant ?? 'run',
      detail: failed.detail ?? '',
      traceHash: failed.traceHash,
      faults: shown.faults,
      workload: shown.steps,
      shrunk: shrunk !== undefined,
      reproduce: reproduceSwarm(failed.seed, options.mutant, seedChannel),
      scenarioFile: scenarioFileText(shown, failed.invariant ?? 'run', options.mutant),
    });
  }
  return {
    start: options.start,
    seeds: results.length,
    passed: results.length - failing.length,
    failed: failing.length,
    seedsPerSec: Math.round((results.length / Math.max(elapsedSec, 0.001)) * 10) / 10,
    workers: options.workers <= 1 ? 1 : Math.min(options.workers, seeds.length),
    channel,
    channels: Object.fromEntries(resultsOn.map(([name, ran]) => [name, ran.length])),
    ...(options.mutant ? { mutant: options.mutant } : {}),
    failures,
    reached,
    ...(channel === 'all' ? { reachedByChannel: Object.fromEntries(resultsOn.map(([name, ran]) => [name, reachedBy(ran)])) } : {}),
  };
}

/** `--replay SEED`: the one case again, with its trace hash (the same as when the swarm found it). */
export async function replaySeed(seed: number, mutantName?: string, channel: SwarmChannelChoice = 'alipay'): Promise<CaseResult> {
  const mutant = mutantName ? mutantNamed(mutantName) : undefined;
  if (mutantName && !mutant) throw new RangeError(`no mutant named ${mutantName}`);
  return runCase(swarmCase(seed, channelOfSeed(seed, channel)), mutant ? { components: mutant.components } : undefined);
}

// `paysim swarm --seeds N`: random workloads and fault mixes over many seeds, checked by the invariants,
// with a progress bar and seeds/s; each failing seed with its invariant, a shrunk case as a ready scenario
// file and the replay command; a reachability summary. `--replay SEED` runs one seed again. Exit 1 on any
// failing seed; mistakes (a bad --seeds, an unknown --mutant) are a message and exit 2.
import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { nearNames } from '../../lib/near-names.ts';
import { mutants, mutantNamed } from '../../scenarios/mutants/index.ts';
import { channelOfSeed, swarmChannelChoices, type SwarmChannelChoice } from '../../scenarios/swarm/generate.ts';
import { replaySeed, reproduceSwarm, runSwarm, type SwarmReport } from '../../scenarios/swarm/swarm.ts';
import { CliError, shownNumber } from '../options.ts';
import { progressLine } from '../progress.ts';

const seedsMax = 10_000_000;
const workersMax = 64;

function wholeNumber(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got ${shownNumber(name, value)}`);
  }
  return value;
}

export function checkedMutant(name: unknown): string | undefined {
  if (name === undefined) return undefined;
  const text = String(name);
  if (mutantNamed(text)) return text;
  const near = nearNames(text, mutants.map((mutant) => mutant.name));
  throw new CliError(`no mutant named ${JSON.stringify(text)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; \`paysim mutants --list\` shows them`);
}

function checkedChannel(value: unknown): SwarmChannelChoice {
  const text = String(value);
  if ((swarmChannelChoices as readonly string[]).includes(text)) return text as SwarmChannelChoice;
  const near = nearNames(text, swarmChannelChoices);
  throw new CliError(`--channel must be ${swarmChannelChoices.join(', ')}, got ${JSON.stringify(text)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`);
}

function progressBar(done: number, total: number, failed: number, startedMs: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const perSec = done / Math.max((performance.now() - startedMs) / 1000, 0.001);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} seeds, ${failed} failed, ${perSec.toFixed(1)} seeds/s`;
}

export function printReached(report: SwarmReport, write: (text: string) => void): void {
  const counts = (record: Record<string, number>, none: string) => {
    const entries = Object.entries(record);
    return entries.length === 0 ? none : entries.map(([name, times]) => `${name} ${times}`).join(', ');
  };
  write('reached (fault types fired, outcomes):\n');
  write(`  faults:   ${counts(report.reached.faultTypes, 'none fired')}\n`);
  write(`  outcomes: ${counts(report.reached.outcomes, 'none')}\n`);
  // Under --channel all, each channel's outcomes too: a channel whose seeds never reach one shows here.
  for (const [channel, reached] of Object.entries(report.reachedByChannel ?? {})) write(`  on ${channel}: ${counts(reached.outcomes, 'no outcomes')}\n`);
}

export const swarmCommand: CommandModule = {
  command: 'swarm',
  describe: 'Random workloads and fault mixes over many seeds, checked by the invariants; failures shrunk',
  builder: (yargs: Argv) =>
    yargs
      .option('seeds', { type: 'number', default: 100, describe: 'How many seeds to run' })
      .option('start', { type: 'number', default: 1, describe: 'The first seed' })
      .option('workers', { type: 'number', default: Math.min(availableParallelism(), workersMax), defaultDescription: 'one a core', describe: 'Worker processes (1: run in this process)' })
      .option('channel', { type: 'string', default: 'alipay', describe: `The channel every case runs on: ${swarmChannelChoices.join(', ')} (all: odd seeds on Alipay, even seeds on WeChat Pay)` })
      .option('replay', { type: 'number', describe: 'Run this one seed again and print its result and trace hash' })
      .option('mutant', { type: 'string', describe: 'Swarm a deliberately buggy core (`paysim mutants --list`)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' }),
  handler: async (argv) => {
    const mutant = checkedMutant(argv.mutant);
    const channel = checkedChannel(argv.channel);
    if (argv.replay !== undefined) {
      const seed = wholeNumber('replay', argv.replay, 0);
      const result = await replaySeed(seed, mutant, channel);
      const seedChannel = channelOfSeed(seed, channel);
      if (argv.json) process.stdout.write(`${JSON.stringify({ ...result, channel: seedChannel }, null, 2)}\n`);
      else process.stdout.write(`seed ${seed}${channel === 'all' ? ` (${seedChannel})` : ''}: ${result.passed ? 'pass' : `FAIL invariant ${result.invariant}: ${result.detail}`}\ntrace ${result.traceHash}\n`);
      if (!result.passed) process.exitCode = 1;
      return;
    }
    const seeds = wholeNumber('seeds', argv.seeds, 1, seedsMax);
    const start = wholeNumber('start', argv.start, 0);
    const workers = wholeNumber('workers', argv.workers, 1, workersMax);
    const startedMs = performance.now();
    const progress = progressLine();
    const report = await runSwarm({
      start,
      seeds,
      workers,
      channel,
      ...(mutant ? { mutant } : {}),
      onProgress: (done, total, failed) => progress.show(progressBar(done, total, failed, startedMs), done / total),
    });
    progress.end();
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ ...report, failures: report.failures.map(({ scenarioFile: _file, shrunk: _shrunk, traceHash: _hash, ...failure }) => failure) }, null, 2)}\n`);
    } else {
      const write = (text: string) => process.stdout.write(text);
      const channels = channel === 'all' ? ` (all channels: ${Object.entries(report.channels).map(([name, seeds]) => `${name} ${seeds}`).join(', ')})` : channel === 'alipay' ? '' : ` (${channel})`;
      write(`swarm${channels}${mutant ? ` on mutant ${mutant}` : ''}: seeds ${start}..${start + seeds - 1}, ${report.passed} passed, ${report.failed} failed, ${report.seedsPerSec} seeds/s ${report.workers === 1 ? 'in this process' : `over ${report.workers} worker processes`}\n`);
      for (const failure of report.failures) {
        write(`\nseed ${failure.seed}${channel === 'all' ? ` (${failure.channel})` : ''}: invariant ${failure.invariant} broke: ${failure.detail}\n`);
        write(`  ${failure.shrunk ? 'shrunk to' : 'not shrunk:'} ${failure.faults.length} fault rules, ${failure.workload.length} steps; trace ${failure.traceHash}\n`);
        write(`  reproduce: ${failure.reproduce}\n`);
        if (failure.shrunk) write(`  as a scenario file:\n${failure.scenarioFile.replace(/^/gm, '    ')}\n`);
      }
      printReached(report, write);
      if (report.failed === 0) write(`no invariant broke; replay any seed with ${reproduceSwarm(start, mutant, channel)}\n`);
    }
    if (report.failed > 0) process.exitCode = 1;
  },
};

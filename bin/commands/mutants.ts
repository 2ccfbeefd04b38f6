// `paysim mutants`: the catalogue (and a short swarm) against each deliberately buggy core; the kill
// matrix and the kill rate. Exit 1 if a mutant survives or the reference core fails a scenario.
import type { Argv, CommandModule } from 'yargs';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { runMatrix } from '../../scenarios/mutants/matrix.ts';
import { mutants } from '../../scenarios/mutants/index.ts';
import { runSwarm } from '../../scenarios/swarm/swarm.ts';
import { checkedMutant } from './swarm.ts';
import { CliError, shownNumber } from '../options.ts';
import { progressLine } from '../progress.ts';
import type { SwarmChannel } from '../../scenarios/swarm/generate.ts';

/** A mutant's short swarm: how many seeds it ran, and the first that broke an invariant. */
interface MutantSwarm {
  readonly seeds: number;
  readonly found?: { readonly seed: number; readonly channel: SwarmChannel; readonly invariant: string };
}

export const mutantsCommand: CommandModule = {
  command: 'mutants',
  describe: 'Run the catalogue and a short swarm against every deliberately buggy core; print the kill matrix',
  builder: (yargs: Argv) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Print {reference, killRate, mutants: [{name, breaks, why, killedBy, swarm}]}' })
      .option('list', { type: 'boolean', default: false, describe: 'List the mutants and what each breaks' })
      .option('first-kill', { type: 'boolean', default: false, describe: 'Stop each mutant at its first kill (its expected killers tried first)' })
      .option('swarm-seeds', { type: 'number', default: 20, describe: 'Seeds of each mutant\'s short swarm, over both channels, up to its first failing seed (0: none)' })
      .option('mutant', { type: 'string', array: true, describe: 'Only these mutants' }),
  handler: async (argv) => {
    if (argv.list) {
      if (argv.json) {
        process.stdout.write(`${JSON.stringify(mutants.map(({ name, breaks, why, killers }) => ({ name, breaks, why, killers })), null, 2)}\n`);
        return;
      }
      const width = Math.max(...mutants.map((mutant) => mutant.name.length));
      for (const mutant of mutants) process.stdout.write(`${mutant.name.padEnd(width)}  breaks: ${mutant.breaks}\n`);
      return;
    }
    const swarmSeeds = argv['swarm-seeds'] as number;
    if (!Number.isSafeInteger(swarmSeeds) || swarmSeeds < 0) throw new CliError(`--swarm-seeds must be a whole number 0 or more, got ${shownNumber('swarm-seeds', argv['swarm-seeds'])}`);
    const given = argv.mutant as string[] | undefined;
    if (given !== undefined && given.length === 0) throw new CliError('--mutant needs one or more names; `paysim mutants --list` shows them');
    const names = (given ?? []).map((name) => checkedMutant(name)!);
    const chosen = names.length === 0 ? mutants : mutants.filter((mutant) => names.includes(mutant.name));
    const catalogue = (await loadCatalog()).map((entry) => entry.scenario);
    const progress = progressLine();
    let mutantsDone = 0;
    const report = await runMatrix(chosen, catalogue, {
      firstKill: argv['first-kill'] === true,
      // Stopping at first kills, the runs are far fewer than the matrix's cells: count mutants instead.
      onCell: ({ mutant, scenario, done, total }) => {
        if (argv['first-kill'] !== true) return progress.show(`${done}/${total} runs`, done / total);
        if (mutant === 'reference') return progress.show(`reference core: ${scenario}`, mutantsDone / chosen.length, { terminalOnly: true });
        mutantsDone = chosen.findIndex((candidate) => candidate.name === mutant);
        progress.show(`mutant ${mutantsDone + 1}/${chosen.length}: ${mutant}`, mutantsDone / chosen.length);
      },
    });
    progress.end();
    // Every mutant also gets a short swarm over both channels (odd seeds on Alipay, even on WeChat Pay), up
    // to its first failing seed: a mutant the catalogue missed is killed by it too (and names the missing
    // scenario); for the rest, the column shows which mistakes a random search finds on its own.
    const swarms = new Map<string, MutantSwarm>();
    if (swarmSeeds > 0) {
      for (const [index, mutant] of report.mutants.entries()) {
        progress.show(`short swarm ${index + 1}/${report.mutants.length}: ${mutant.name}`, index / report.mutants.length);
        const swarm = await runSwarm({ start: 1, seeds: swarmSeeds, workers: 1, channel: 'all', mutant: mutant.name, shrinkMax: 0, stopAtFirstFailure: true });
        const found = swarm.failures[0];
        swarms.set(mutant.name, found ? { seeds: swarm.seeds, found: { seed: found.seed, channel: found.channel, invariant: found.invariant } } : { seeds: swarm.seeds });
      }
      progress.end();
    }
    // killedBy stays a list of scenarios (../shared/SURFACE.md); a seed the swarm found is in `swarm` and kills too.
    const results = report.mutants.map((mutant) => {
      const swarm = swarms.get(mutant.name);
      return { name: mutant.name, breaks: mutant.breaks, why: mutant.why, killedBy: mutant.killedBy, ...(swarm ? { swarm } : {}) };
    });
    const killed = (mutant: (typeof results)[number]) => mutant.killedBy.length > 0 || mutant.swarm?.found !== undefined;
    const killRate = results.length === 0 ? 1 : results.filter(killed).length / results.length;
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ reference: { passed: report.reference.passed }, killRate, mutants: results }, null, 2)}\n`);
    } else {
      const write = (text: string) => process.stdout.write(text);
      write(`reference core: ${report.reference.passed ? `passes all ${report.reference.checked} scenarios run` : `FAILS ${report.reference.failed.join(', ')}`}\n\n`);
      const width = Math.max(...results.map((mutant) => mutant.name.length));
      const swarmColumn = (swarm: MutantSwarm | undefined) =>
        swarm === undefined ? '' : `${(swarm.found ? `seed ${swarm.found.seed} ${swarm.found.channel}` : `- (${swarm.seeds} seeds)`).padEnd(22)}  `;
      write(`${'mutant'.padEnd(width)}  scenarios  ${swarmSeeds > 0 ? `${'swarm'.padEnd(22)}  ` : ''}killed by\n`);
      for (const mutant of results) {
        const killers = mutant.killedBy.length > 0 ? mutant.killedBy.join(', ') : killed(mutant) ? 'only the swarm: a missing scenario (make one of its seed)' : 'SURVIVED: a missing scenario';
        write(`${mutant.name.padEnd(width)}  ${String(mutant.killedBy.length).padStart(9)}  ${swarmColumn(mutant.swarm)}${killers}\n`);
      }
      write(`\nkill rate ${(killRate * 100).toFixed(0)}% (${results.filter(killed).length}/${results.length})${argv['first-kill'] ? ', stopping at the first kill' : ` over ${report.scenarios.length} scenarios`}\n`);
    }
    if (!report.reference.passed || killRate < 1) process.exitCode = 1;
  },
};

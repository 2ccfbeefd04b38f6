// `paysim mutants`: the catalogue (and a short swarm) against each deliberately buggy core; the kill
// matrix and the kill rate. Exit 1 if a mutant survives or the reference core fails a scenario.
import type { Argv, CommandModule } from 'yargs';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { runMatrix } from '../../scenarios/mutants/matrix.ts';
import { mutants } from '../../scenarios/mutants/index.ts';
import { runSwarm } from '../../scenarios/swarm/swarm.ts';
import { checkedMutant } from './swarm.ts';
import { CliError, shownNumber } from '../options.ts';

export const mutantsCommand: CommandModule = {
  command: 'mutants',
  describe: 'Run the catalogue and a short swarm against every deliberately buggy core; print the kill matrix',
  builder: (yargs: Argv) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Print {reference, killRate, mutants: [{name, breaks, why, killedBy}]}' })
      .option('list', { type: 'boolean', default: false, describe: 'List the mutants and what each breaks' })
      .option('first-kill', { type: 'boolean', default: false, describe: 'Stop each mutant at its first kill (its expected killers tried first)' })
      .option('swarm-seeds', { type: 'number', default: 20, describe: 'Seeds of the short swarm per mutant the catalogue did not kill (0: none)' })
      .option('mutant', { type: 'string', array: true, describe: 'Only these mutants' }),
  handler: async (argv) => {
    if (argv.list) {
      const width = Math.max(...mutants.map((mutant) => mutant.name.length));
      for (const mutant of mutants) process.stdout.write(`${mutant.name.padEnd(width)}  breaks: ${mutant.breaks}\n`);
      return;
    }
    const swarmSeeds = argv['swarm-seeds'] as number;
    if (!Number.isSafeInteger(swarmSeeds) || swarmSeeds < 0) throw new CliError(`--swarm-seeds must be a whole number 0 or more, got ${shownNumber('swarm-seeds', argv['swarm-seeds'])}`);
    const names = ((argv.mutant as string[] | undefined) ?? []).map((name) => checkedMutant(name)!);
    const chosen = names.length === 0 ? mutants : mutants.filter((mutant) => names.includes(mutant.name));
    const catalogue = (await loadCatalog()).map((entry) => entry.scenario);
    const report = await runMatrix(chosen, catalogue, {
      firstKill: argv['first-kill'] === true,
      onCell: ({ done, total }) => process.stderr.write(`\r${done}/${total} runs`),
    });
    process.stderr.write('\n');
    // A mutant the catalogue missed gets a short swarm: a failing seed kills it too (and names the missing scenario).
    const killedBy = new Map(report.mutants.map((mutant) => [mutant.name, [...mutant.killedBy]]));
    if (swarmSeeds > 0) {
      for (const mutant of report.mutants.filter((candidate) => candidate.killedBy.length === 0)) {
        const swarm = await runSwarm({ start: 1, seeds: swarmSeeds, workers: 2, mutant: mutant.name, shrinkMax: 0 });
        if (swarm.failed > 0) killedBy.get(mutant.name)!.push(`swarm seed ${swarm.failures[0]!.seed}`);
      }
    }
    const results = report.mutants.map((mutant) => ({ name: mutant.name, breaks: mutant.breaks, why: mutant.why, killedBy: killedBy.get(mutant.name)! }));
    const killRate = results.length === 0 ? 1 : results.filter((mutant) => mutant.killedBy.length > 0).length / results.length;
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ reference: { passed: report.reference.passed }, killRate, mutants: results }, null, 2)}\n`);
    } else {
      const write = (text: string) => process.stdout.write(text);
      write(`reference core: ${report.reference.passed ? `passes all ${report.reference.checked} scenarios run` : `FAILS ${report.reference.failed.join(', ')}`}\n\n`);
      const width = Math.max(...results.map((mutant) => mutant.name.length));
      write(`${'mutant'.padEnd(width)}  kills  killed by\n`);
      for (const mutant of results) {
        write(`${mutant.name.padEnd(width)}  ${String(mutant.killedBy.length).padStart(5)}  ${mutant.killedBy.length === 0 ? 'SURVIVED: a missing scenario' : mutant.killedBy.join(', ')}\n`);
      }
      write(`\nkill rate ${(killRate * 100).toFixed(0)}% (${results.filter((mutant) => mutant.killedBy.length > 0).length}/${results.length})${argv['first-kill'] ? ', stopping at the first kill' : ` over ${report.scenarios.length} scenarios`}\n`);
    }
    if (!report.reference.passed || killRate < 1) process.exitCode = 1;
  },
};

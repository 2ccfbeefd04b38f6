// `paysim scenario list` and `paysim scenario run [NAME… | FILE…]`: the chaos catalogue and the user's
// own scenario files, a progress line per scenario, a closing summary, reports in every format asked for,
// exit 1 on any failure. Mistakes (an unknown name, a bad file, a bad --format) are a message and exit 2.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { faultTypes } from '../../simulator/faults/rule.ts';
import { loadCatalog, loadScenarioFile, scenarioFileSuffix } from '../../scenarios/catalog/index.ts';
import { ScenarioDefinitionError, type Scenario } from '../../scenarios/define.ts';
import { scenarioChannels } from '../../scenarios/harness/channels.ts';
import { runScenarios, type ScenarioToRun } from '../../scenarios/runner/run-many.ts';
import { reportFormats, writeReports, type ReportFormat } from '../../scenarios/report/write.ts';
import { makeDirectories } from '../../lib/directories.ts';
import { nearNames } from '../../lib/near-names.ts';
import { CliError, shownNumber, valuesRequired } from '../options.ts';

async function catalog() {
  try {
    return await loadCatalog();
  } catch (error) {
    if (error instanceof ScenarioDefinitionError) throw new CliError(`the scenario catalogue does not load: ${error.message}`);
    throw error;
  }
}

const faultsOf = (scenario: Scenario) => [...new Set(scenario.faults.map((rule) => rule.fault.type))];

function parseFormats(text: string): ReportFormat[] {
  const formats = text.split(',').map((part) => part.trim()).filter(Boolean);
  for (const format of formats) {
    if (!(reportFormats as readonly string[]).includes(format)) throw new CliError(`--format ${JSON.stringify(format)} is not a report format; give a comma-separated list of ${reportFormats.join(', ')}`);
  }
  if (formats.length === 0) throw new CliError(`--format is empty; give a comma-separated list of ${reportFormats.join(', ')}`);
  return formats as ReportFormat[];
}

function isFile(argument: string): boolean {
  return argument.endsWith('.ts') || argument.includes('/') || argument.includes('\\');
}

async function chosen(names: readonly string[], channel: string | undefined): Promise<ScenarioToRun[]> {
  const entries = await catalog();
  const picked: ScenarioToRun[] = [];
  for (const name of names) {
    if (isFile(name)) {
      const path = resolve(name);
      if (!existsSync(path)) throw new CliError(`no scenario file ${name}; give a catalogue name (\`paysim scenario list\`) or the path of a ${scenarioFileSuffix} file`);
      try {
        const scenario = await loadScenarioFile(path);
        const shown = relative(process.cwd(), path);
        picked.push({ scenario, source: shown.startsWith('.') ? shown : `./${shown}` });
      } catch (error) {
        if (error instanceof ScenarioDefinitionError) throw new CliError(error.message);
        throw error;
      }
      continue;
    }
    const entry = entries.find((candidate) => candidate.scenario.name === name);
    if (!entry) {
      const near = nearNames(name, entries.map((candidate) => candidate.scenario.name));
      throw new CliError(`no scenario named ${JSON.stringify(name)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; \`paysim scenario list\` shows the catalogue`);
    }
    picked.push({ scenario: entry.scenario, source: entry.scenario.name });
  }
  const all = names.length === 0 ? entries.map((entry) => ({ scenario: entry.scenario, source: entry.scenario.name })) : picked;
  return channel === undefined ? all : all.filter((entry) => entry.scenario.channel === channel);
}

const listCommand: CommandModule = {
  command: 'list',
  describe: 'The scenario catalogue: name, title, channel, faults used',
  builder: (yargs) => yargs.option('json', { type: 'boolean', default: false, describe: 'Print [{name, title, why, channel, faults}]' }),
  handler: async (argv) => {
    const entries = await catalog();
    if (argv.json) {
      const list = entries.map(({ scenario }) => ({ name: scenario.name, title: scenario.title, why: scenario.why, channel: scenario.channel, faults: faultsOf(scenario) }));
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    const width = Math.max(...entries.map((entry) => entry.scenario.name.length));
    for (const { scenario } of entries) {
      process.stdout.write(`${scenario.name.padEnd(width)}  ${scenario.channel.padEnd(8)} ${scenario.title}\n${' '.repeat(width + 11)}faults: ${faultsOf(scenario).join(', ') || 'none'}\n`);
    }
    const used = new Set(entries.flatMap((entry) => faultsOf(entry.scenario)));
    process.stdout.write(`\n${entries.length} scenarios; they use ${used.size} of ${faultTypes.length} fault types.\n`);
  },
};

const runCommand: CommandModule = {
  command: 'run [scenarios..]',
  describe: 'Run some or all scenarios (catalogue names, or your own ./file.scenario.ts)',
  builder: (yargs: Argv) =>
    yargs
      .positional('scenarios', { type: 'string', array: true, describe: 'Catalogue names or scenario files; none = the whole catalogue' })
      .option('seed', { type: 'number', describe: "Seed for every scenario (default: each scenario's own, else 1)" })
      .option('report-dir', { type: 'string', describe: 'Write reports here (default: none written)' })
      .option('format', { type: 'string', default: 'json,junit,md,html', describe: `Report formats, comma-separated: ${reportFormats.join(', ')}` })
      .option('channel', { type: 'string', describe: `Only scenarios of this channel (${Object.keys(scenarioChannels).join(', ')})` }),
  handler: async (argv) => {
    const formats = parseFormats(String(argv.format));
    const seed = argv.seed as number | undefined;
    if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) throw new CliError(`--seed must be a whole number 0 or more, got ${shownNumber('seed', argv.seed)}`);
    const channel = argv.channel as string | undefined;
    if (channel !== undefined && !scenarioChannels[channel]) throw new CliError(`--channel ${JSON.stringify(channel)} is not a channel with scenarios; channels: ${Object.keys(scenarioChannels).join(', ')}`);
    // The report directory is made before the run: a directory that cannot be made is known in a moment, not after the whole catalogue.
    const reportDir = argv['report-dir'] ? resolve(String(argv['report-dir'])) : undefined;
    const reportFailure = (error: unknown) => new CliError(`--report-dir ${reportDir}: cannot write the reports there (${error instanceof Error ? error.message : String(error)}); name a directory you can write`);
    if (reportDir) {
      try {
        makeDirectories(reportDir);
      } catch (error) {
        throw reportFailure(error);
      }
    }
    const toRun = await chosen((argv.scenarios as string[] | undefined) ?? [], channel);
    if (toRun.length === 0) throw new CliError(`no scenario to run${channel ? ` on channel ${channel}` : ''}`);
    const report = await runScenarios(toRun, seed !== undefined ? { seed } : {}, (result, index, total) => {
      const counter = `[${String(index + 1).padStart(String(total).length)}/${total}]`;
      process.stdout.write(`${counter} ${result.passed ? 'pass' : 'FAIL'}  ${result.name}  ${result.durationMs} ms  trace ${result.traceHash}\n`);
      for (const failure of result.failures) process.stdout.write(`        ${failure}\n`);
      if (!result.passed) process.stdout.write(`        reproduce: ${result.reproduce}\n`);
    });
    if (reportDir) {
      const why = new Map(toRun.map((entry) => [entry.scenario.name, entry.scenario.why]));
      let written: string[];
      try {
        written = writeReports(report, reportDir, formats, (name) => why.get(name));
      } catch (error) {
        throw reportFailure(error);
      }
      process.stdout.write(`reports: ${written.map((path) => relative(process.cwd(), path)).join(', ')}\n`);
    }
    process.stdout.write(`scenarios: ${report.passed} passed, ${report.failed} failed (${(report.durationMs / 1000).toFixed(1)} s)\n`);
    const failed = report.scenarios.filter((result) => !result.passed);
    if (failed.length > 0) {
      process.stdout.write('failed:\n');
      for (const result of failed) process.stdout.write(`  ${result.name}: ${result.failures[0] ?? 'failed'}\n    ${result.reproduce}\n`);
      process.exitCode = 1;
    }
  },
};

export const scenarioCommand: CommandModule = {
  // No `<command>` positional: yargs would refuse a bare `paysim scenario` with its own words before
  // demandCommand could name the subcommands.
  command: 'scenario',
  describe: 'The chaos scenario catalogue: scenario list, scenario run',
  builder: (yargs) => yargs.command(valuesRequired(listCommand)).command(valuesRequired(runCommand)).demandCommand(1, 'Name a subcommand: list or run.'),
  handler: () => undefined,
};

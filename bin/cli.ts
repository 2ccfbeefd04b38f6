// The paysim command line: one yargs command per file in bin/commands. A CliError is the user's to
// fix: its message is printed alone and the exit code is 2. Anything else is a bug in paysim.
import yargs, { type CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { hideBin } from 'yargs/helpers';
import { packageRoot } from '../lib/package-files.ts';
import { CommandFailed } from './commands/bill-options.ts';
import { CliError, valuesRequired } from './options.ts';

/**
 * Every command, in the order `paysim --help` lists them, each loaded on demand: a command line that starts
 * with a command's name loads that command alone (so `paysim up` does not parse the scenario runner, the
 * swarm and the mutants); anything else (`--help`, a typo yargs suggests a fix for, options before the
 * command) loads them all.
 */
// Each command has its own argument types, so the table holds them as CommandModule<any, any>.
const commands: Record<string, () => Promise<CommandModule<any, any>>> = {
  up: async () => (await import('./commands/up.ts')).upCommand,
  sim: async () => (await import('./commands/sim.ts')).simCommand,
  core: async () => (await import('./commands/core.ts')).coreCommand,
  keys: async () => (await import('./commands/keys.ts')).keysCommand,
  scenario: async () => (await import('./commands/scenario.ts')).scenarioCommand,
  swarm: async () => (await import('./commands/swarm.ts')).swarmCommand,
  mutants: async () => (await import('./commands/mutants.ts')).mutantsCommand,
  bill: async () => (await import('./commands/bill.ts')).billCommand,
  reconcile: async () => (await import('./commands/reconcile.ts')).reconcileCommand,
};

function usageError(message: string): never {
  process.stderr.write(`paysim: ${message}\nRun \`paysim --help\` for usage.\n`);
  process.exit(2);
}

// Output piped into a reader that stops early (`paysim scenario list | head -1`): stop quietly, as Unix
// tools do, rather than die on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`paysim: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

try {
  const args = hideBin(process.argv);
  const named = args[0] !== undefined && Object.hasOwn(commands, args[0]) ? [commands[args[0]]!] : Object.values(commands);
  const cli = yargs(args)
    .scriptName('paysim')
    .usage('$0 <command> [options]\n\nOffline payment-channel simulator and contract-testing harness.')
    // paysim's own version: yargs would look for a package.json from where it was loaded, which in the
    // bundle is not beside yargs, and could be the user's project's.
    .version((JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string }).version);
  for (const command of await Promise.all(named.map((load) => load()))) cli.command(valuesRequired(command));
  await cli
    .demandCommand(1, 'Name a command; `paysim --help` lists them.')
    .strict()
    .recommendCommands()
    .updateStrings({ 'Not enough arguments following: %s': '--%s needs a value' })
    .help()
    .fail((message, error) => {
      // yargs' own validation errors (YError: a missing value, an unknown option) are the user's to fix.
      if (error && error.name !== 'YError') throw error;
      const first = args[0];
      if (first !== undefined && !first.startsWith('-') && !Object.hasOwn(commands, first)) {
        // yargs says only "Did you mean core?" (or "Unknown argument"): say what was wrong first.
        const suggestion = message?.startsWith('Did you mean') ? ` ${message}` : '';
        usageError(`unknown command ${JSON.stringify(first)}.${suggestion} Commands: ${Object.keys(commands).join(', ')}`);
      }
      usageError(message ?? error?.message ?? 'bad arguments');
    })
    .parseAsync();
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`paysim: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof CommandFailed) {
    process.stderr.write(`paysim: ${error.message}\n`);
    process.exit(1);
  }
  const detail = process.env.PAYSIM_DEBUG ? (error as Error).stack : (error as Error).message;
  process.stderr.write(`paysim: unexpected failure (a bug in paysim; PAYSIM_DEBUG=1 shows where): ${detail}\n`);
  process.exit(1);
}

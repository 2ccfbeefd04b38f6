// The paysim command line: one yargs command per file in bin/commands. A CliError is the user's to
// fix: its message is printed alone and the exit code is 2. Anything else is a bug in paysim.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { billCommand } from './commands/bill.ts';
import { CommandFailed } from './commands/bill-options.ts';
import { coreCommand } from './commands/core.ts';
import { keysCommand } from './commands/keys.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { scenarioCommand } from './commands/scenario.ts';
import { simCommand } from './commands/sim.ts';
import { swarmCommand } from './commands/swarm.ts';
import { mutantsCommand } from './commands/mutants.ts';
import { upCommand } from './commands/up.ts';
import { CliError } from './options.ts';

function usageError(message: string): never {
  process.stderr.write(`paysim: ${message}\nRun \`paysim --help\` for usage.\n`);
  process.exit(2);
}

try {
  await yargs(hideBin(process.argv))
    .scriptName('paysim')
    .usage('$0 <command> [options]\n\nOffline payment-channel simulator and contract-testing harness.')
    .command(upCommand)
    .command(simCommand)
    .command(coreCommand)
    .command(keysCommand)
    .command(scenarioCommand)
    .command(swarmCommand)
    .command(mutantsCommand)
    .command(billCommand)
    .command(reconcileCommand)
    .demandCommand(1, 'Name a command; `paysim --help` lists them.')
    .strict()
    .recommendCommands()
    .help()
    .fail((message, error) => {
      if (error) throw error;
      usageError(message);
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

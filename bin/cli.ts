// The paysim command line: one yargs command per file in bin/commands.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { keysCommand } from './commands/keys.ts';
import { simCommand } from './commands/sim.ts';
import { CliError } from './options.ts';

await yargs(hideBin(process.argv))
  .scriptName('paysim')
  .usage('$0 <command> [options]\n\nOffline payment-channel simulator and contract-testing harness.')
  .command(simCommand)
  .command(keysCommand)
  .demandCommand(1, 'Name a command; `paysim --help` lists them.')
  .strict()
  .recommendCommands()
  .help()
  .fail((message, error, instance) => {
    if (error && !(error instanceof CliError)) throw error;
    process.stderr.write(`paysim: ${error?.message ?? message}\n`);
    if (!error) process.stderr.write(`Run \`paysim --help\` for usage.\n`);
    process.exit(2);
  })
  .parseAsync();

// `paysim keys`: the app ids and key files of a data dir, read from the files themselves so that it
// works while the simulator is running.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { channelModules } from '../../simulator/channels/modules.ts';
import { CliError } from '../options.ts';

const channels = channelModules.map((module) => module.name);

export const keysCommand: CommandModule = {
  command: 'keys',
  describe: 'Show app ids and key file paths of a data dir',
  builder: (yargs) =>
    yargs
      .option('data-dir', { type: 'string', default: '.paysim', describe: 'The data dir of `paysim sim` / `paysim up`' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  handler: (argv) => {
    const dataDir = resolve(String(argv['data-dir']));
    const keysDir = join(dataDir, 'keys');
    if (!existsSync(keysDir)) {
      throw new CliError(`no keys under ${keysDir}: start \`paysim sim --data-dir ${argv['data-dir']}\` once to create the default apps`);
    }
    const apps = channels.flatMap((channel) => {
      const channelDir = join(keysDir, channel);
      if (!existsSync(channelDir)) return [];
      return readdirSync(channelDir).map((appId) => {
        const directory = join(channelDir, appId);
        const files = Object.fromEntries(readdirSync(directory).filter((name) => /\.(pem|txt)$/.test(name)).map((name) => [name.replace(/\.(pem|txt)$/, ''), join(directory, name)]));
        return { channel, appId, files };
      });
    });
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(apps, null, 2)}\n`);
      return;
    }
    for (const app of apps) {
      process.stdout.write(`${app.channel} app ${app.appId}\n`);
      for (const [name, path] of Object.entries(app.files)) process.stdout.write(`  ${name.padEnd(22)}${path}\n`);
    }
  },
};

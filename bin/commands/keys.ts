// `paysim keys`: the app ids and key files of a data dir, read from the files themselves so that it
// works while the simulator is running, and which files hold secrets, with their modes.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { channelModules } from '../../simulator/channels/modules.ts';
import { CliError } from '../options.ts';

const channels = channelModules.map((module) => module.name);

/** Files of a data dir that hold private keys, and what each holds. */
function secretFiles(dataDir: string, privateKeyPaths: readonly string[]): { path: string; holds: string }[] {
  const store = [
    { path: join(dataDir, 'simulator.json'), holds: "the simulator's store (snapshot): the channel's private keys and the merchant keys it generated" },
    { path: join(dataDir, 'simulator.journal'), holds: "the simulator's store (journal): the same keys as they were written" },
  ];
  const holds = (path: string) => (/apiv3_key/.test(path) ? "a merchant's APIv3 key (it decrypts the merchant's notifications)" : "a merchant app's private key");
  return [...store, ...privateKeyPaths.map((path) => ({ path, holds: holds(path) }))].filter((file) => existsSync(file.path));
}

/** `mode 600`, or what is wrong with a wider mode and the command that fixes it. */
function modeNote(path: string): string {
  const mode = statSync(path).mode & 0o777;
  const text = `mode ${mode.toString(8)}`;
  return (mode & 0o077) === 0 ? text : `${text}: readable by others, run chmod 600 ${path}`;
}

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
      if (!existsSync(channelDir) || !statSync(channelDir).isDirectory()) return [];
      // One folder an app; anything else there (a .DS_Store, an editor's backup) is not an app.
      const appIds = readdirSync(channelDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      return appIds.map((appId) => {
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
    // Secret: private keys (app_private_key, WeChat's apiclient_key) and the APIv3 key; pub_key is public.
    const isSecret = (name: string) => name.includes('private') || (/(^|_)key$/.test(name) && !name.startsWith('pub') && !name.includes('public'));
    const privateKeyPaths = apps.flatMap((app) => Object.entries(app.files).filter(([name]) => isSecret(name)).map(([, path]) => path));
    process.stdout.write('secrets (anyone who reads these can sign as the channel or a merchant: keep them private, never commit them)\n');
    for (const file of secretFiles(dataDir, privateKeyPaths)) process.stdout.write(`  ${file.path}\n    ${file.holds} (${modeNote(file.path)})\n`);
  },
};

// `paysim sim`: the simulator alone.
import { channelLines, defaultAppLines } from './sim-output.ts';
import type { CommandModule } from 'yargs';
import { attachLogger, type LogLevel } from '../../simulator/logging.ts';
import { createSimulator } from '../../simulator/server.ts';
import { allowedHostOption, applyPoolNice, checkAllowedHosts, checkPort, checkServerOptions, closeOnSignal, CliError, readFaultsFile, readSimulatorConfigFile, serverOptions, type ServerArgs } from '../options.ts';

export const simCommand: CommandModule = {
  command: 'sim',
  describe: 'Start the channel simulator (Alipay gateway, cashier, control API)',
  builder: (yargs) =>
    allowedHostOption(serverOptions(yargs))
      .option('port', { type: 'number', default: 4010, describe: 'Port of the simulator (0 picks a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('faults', { type: 'string', describe: 'JSON file of fault rules to install at start (see README "Fault injection")' })
      .option('config', { type: 'string', describe: 'JSON file of engine and channel switches (see README "Configuration switches")' })
      .option('magic', { type: 'boolean', default: true, describe: 'Magic amounts and subject tags trigger faults (--no-magic to disable)' })
      .option('log-level', { choices: ['debug', 'info', 'warn', 'silent'] as const, default: 'info' as const, describe: 'One JSON line per event on stdout at this level' }),
  handler: async (argv) => {
    const options = argv as unknown as ServerArgs & { port: number; host: string; 'allowed-host': unknown[]; faults?: string; config?: string; magic: boolean; 'log-level': LogLevel };
    checkServerOptions(options);
    const faults = options.faults === undefined ? [] : readFaultsFile(options.faults);
    const config = options.config === undefined ? {} : readSimulatorConfigFile(options.config);
    const simulator = await createSimulator({
      port: checkPort(options.port, 'port'),
      host: options.host,
      allowedHosts: checkAllowedHosts(options['allowed-host']),
      ...(options.memory ? { memory: true } : { dataDir: options['data-dir'] }),
      seed: options.seed,
      clock: options.clock,
      timeScale: options['time-scale'],
      runDueNow: options['due-now'] === 'auto',
      faults,
      magicValues: options.magic,
      ...config,
    }).catch((error: unknown) => {
      throw new CliError(`cannot start the simulator: ${error instanceof Error ? error.message : String(error)}`);
    });
    const url = await simulator.listen().catch(async (error: NodeJS.ErrnoException) => {
      await simulator.close();
      throw new CliError(
        error.code === 'EADDRINUSE' ? `port ${options.port} is in use: pass --port with a free port (or 0 for any)` : `cannot listen: ${error.message}`,
      );
    });
    closeOnSignal(() => simulator.close());
    const lines = [
      `paysim dashboard: ${url}/`,
      `paysim simulator listening at ${url}`,
      ...channelLines(simulator, url),
      `  control API           ${url}/_sim/health`,
      `  clock                 ${options.clock}${options.clock === 'real' && options['time-scale'] !== 1 ? ` ×${options['time-scale']}` : ''}${options.clock === 'virtual' ? `, due-now ${options['due-now']}` : ''}, seed ${options.seed}`,
      `  fault rules           ${faults.length} from ${options.faults ?? 'none'}; magic values ${options.magic ? 'on' : 'off'}`,
      ...defaultAppLines(simulator),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    attachLogger(simulator.engine, options['log-level']);
    applyPoolNice(options['pool-nice']);
  },
};

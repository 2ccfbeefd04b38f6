// `paysim up`: the simulator and the core in one process on ONE clock (real, scaled, or virtual and
// advanced through POST /_sim/clock/advance), the core using the simulator's default Alipay app.
import type { CommandModule } from 'yargs';
import { createCore } from '../../core/app.ts';
import { isHttpUrl } from '../../core/config.ts';
import { connectorOptionsFor } from '../../scenarios/harness/connect.ts';
import { createSimulator } from '../../simulator/server.ts';
import { allowedHostOption, applyPoolNice, checkAllowedHosts, checkPort, checkServerOptions, closeOnSignal, CliError, readFaultsFile, readSimulatorConfigFile, serverOptions, type ServerArgs } from '../options.ts';
import { attachLogger, type LogLevel } from '../../simulator/logging.ts';
import { coreLines, reportCoreEvents } from './core-output.ts';
import { channelLines, defaultAppLines } from './sim-output.ts';

interface UpArgs extends ServerArgs {
  faults?: string;
  config?: string;
  magic: boolean;
  'log-level': LogLevel;
  port: number;
  'core-port': number;
  host: string;
  'allowed-host': unknown[];
  'merchant-webhook'?: string;
}

export const upCommand: CommandModule = {
  command: 'up',
  describe: 'Start the simulator and the merchant core together, on one shared clock',
  builder: (yargs) =>
    allowedHostOption(serverOptions(yargs))
      .option('port', { type: 'number', default: 4010, describe: 'Port of the simulator (0 picks a free one)' })
      .option('core-port', { type: 'number', default: 4020, describe: 'Port of the core (0 picks a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('merchant-webhook', { type: 'string', describe: 'URL of the business system that receives order and refund notifications' })
      .option('faults', { type: 'string', describe: 'JSON file of fault rules for the simulator (see README "Fault injection")' })
      .option('config', { type: 'string', describe: 'JSON file of the simulator\'s engine and channel switches (see README "Configuration switches")' })
      .option('magic', { type: 'boolean', default: true, describe: 'Magic amounts and subject tags trigger faults (--no-magic to disable)' })
      .option('log-level', { choices: ['debug', 'info', 'warn', 'silent'] as const, default: 'warn' as const, describe: "One JSON line per simulator event on stdout at this level" }),
  handler: async (argv) => {
    const args = argv as unknown as UpArgs;
    checkServerOptions(args);
    const faults = args.faults === undefined ? [] : readFaultsFile(args.faults);
    const config = args.config === undefined ? {} : readSimulatorConfigFile(args.config);
    if (args['merchant-webhook'] !== undefined && !isHttpUrl(args['merchant-webhook'])) {
      throw new CliError(`--merchant-webhook must be an http(s) URL, got ${JSON.stringify(args['merchant-webhook'])}`);
    }
    const store = args.memory ? { memory: true } : { dataDir: args['data-dir'] };
    // The simulator's own clock, shared with the core: on a data dir, virtual time resumes where it stood.
    const clockOptions = { clock: args.clock, timeScale: args['time-scale'], runDueNow: args['due-now'] === 'auto', clockShared: true };
    const simulator = await createSimulator({ port: checkPort(args.port, 'port'), host: args.host, allowedHosts: checkAllowedHosts(args['allowed-host']), seed: args.seed, ...clockOptions, faults, magicValues: args.magic, ...config, ...store }).catch((error: unknown) => {
      throw new CliError(`cannot start the simulator: ${error instanceof Error ? error.message : String(error)}`);
    });
    const simUrl = await simulator.listen().catch(async (error: NodeJS.ErrnoException) => {
      await simulator.close();
      throw new CliError(error.code === 'EADDRINUSE' ? `port ${args.port} is in use: pass --port with a free port (or 0 for any)` : `cannot listen: ${error.message}`);
    });

    const clock = simulator.clock;
    let connectors: Record<string, unknown>;
    try {
      // alipay-sdk's signing calls on their own thread (README "Benchmarks"), off the event loop that serves both.
      connectors = connectorOptionsFor(simulator, { sdkThread: true });
    } catch (error) {
      await simulator.close();
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    const core = await createCore({
      clock,
      seed: args.seed,
      ...store,
      connectors,
      config: { port: checkPort(args['core-port'], 'core-port'), host: args.host, risk: { exposeStepUpCodes: true }, ...(args['merchant-webhook'] ? { merchantWebhookUrl: args['merchant-webhook'] } : {}) },
    }).catch(async (error: unknown) => {
      await simulator.close();
      throw new CliError(`cannot start the core: ${error instanceof Error ? error.message : String(error)}`);
    });
    reportCoreEvents(core);
    await core.listen().catch(async (error: NodeJS.ErrnoException) => {
      await core.close();
      await simulator.close();
      throw new CliError(error.code === 'EADDRINUSE' ? `port ${args['core-port']} is in use: pass --core-port with a free port (or 0 for any)` : `cannot listen: ${error.message}`);
    });

    simulator.dashboardLinks.add('merchant core', `${core.url}/`);
    core.dashboardLinks.add('channel simulator', `${simUrl}/`);
    closeOnSignal(async () => {
      await core.close();
      await simulator.close(); // stores virtual time on a data dir, and stops the clock
    });
    process.stdout.write(
      [
        `paysim dashboard: ${simUrl}/  (the merchant core's: ${core.url}/)`,
        `paysim simulator listening at ${simUrl}`,
        ...channelLines(simulator, simUrl),
        `  control API           ${simUrl}/_sim/health${args.clock === 'virtual' ? `  (advance the shared clock: POST ${simUrl}/_sim/clock/advance {"ms":…})` : ''}`,
        `  fault rules           ${faults.length} from ${args.faults ?? 'none'}; magic values ${args.magic ? 'on' : 'off'}`,
        ...defaultAppLines(simulator),
        ...coreLines(core, args),
        '',
      ].join('\n'),
    );
    attachLogger(simulator.engine, args['log-level']);
    applyPoolNice(args['pool-nice']);
  },
};

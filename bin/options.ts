// Options shared by the commands that start servers, validated once with messages that say how to fix.
import type { Argv, CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import type { ClockKind } from '../lib/clock.ts';
import { defaultPoolNice, lowerThreadPoolPriority } from '../lib/thread-pool.ts';
import { channelModules } from '../simulator/channels/modules.ts';
import { checkSimulatorOptions, type SimulatorOptions } from '../simulator/config.ts';
import { parseHost } from '../simulator/admin/host-allow-list.ts';
import { decodeRules } from '../simulator/faults/decode.ts';
import type { FaultRule } from '../simulator/faults/rule.ts';

export class CliError extends Error {}

/**
 * `command` with every option that takes one value refusing to be given without it (`--port needs a
 * value`, exit 2): yargs would otherwise keep the default, so `paysim up --port` would listen on 4010 as if
 * nothing had been typed. Options that take several values (`--mutant A B`) are their command's to check.
 * An empty value (`--port=`, `--host ""`, what `--port "$PORT"` gives with PORT unset) is refused too, as is
 * a value given to an on/off option (`--memory=yes`), which yargs would read as off.
 */
// CommandModule<any, any>: each command has its own argument types, as in cli.ts's table.
export function valuesRequired(command: CommandModule<any, any>): CommandModule<any, any> {
  const { builder } = command;
  if (typeof builder !== 'function') return command;
  return {
    ...command,
    builder: (yargs: Argv) => {
      const built = (builder(yargs) ?? yargs) as Argv;
      // getOptions is yargs' (17) but not in its type definitions.
      const options = (built as Argv & { getOptions(): { string: string[]; number: string[]; boolean: string[]; array: string[]; choices: Record<string, unknown> } }).getOptions();
      const valued = [...options.string, ...options.number, ...Object.keys(options.choices)].filter((key) => !options.array.includes(key));
      const checked = built.check(() => {
        const problem = misusedValue(process.argv.slice(2), new Set(valued), new Set(options.boolean));
        if (problem) throw new CliError(problem);
        return true;
      });
      return valued.length === 0 ? checked : checked.requiresArg(valued);
    },
  };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The first option of `args` given an empty value, or an on/off option given a value; undefined if none. */
export function misusedValue(args: readonly string[], valued: ReadonlySet<string>, onOff: ReadonlySet<string>): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const token = args[index]!;
    if (token === '--') return undefined;
    if (!token.startsWith('--')) continue;
    const equals = token.indexOf('=');
    const name = kebab(token.slice(2, equals < 0 ? undefined : equals));
    const value = equals < 0 ? undefined : token.slice(equals + 1);
    const flag = name.startsWith('no-') && onOff.has(name.slice(3)) ? name.slice(3) : name;
    if (onOff.has(flag) && value !== undefined && value !== 'true' && value !== 'false') {
      return `--${name} is on or off and takes no value (got ${JSON.stringify(value)}): write --${flag} or --no-${flag}`;
    }
    if (valued.has(name) && (value === '' || (value === undefined && args[index + 1] === ''))) {
      return `--${name} needs a value, got an empty one (an unset shell variable?)`;
    }
  }
  return undefined;
}

/** The options serverOptions adds, as a command's handler receives them. */
export interface ServerArgs {
  'data-dir': string;
  memory: boolean;
  seed: number;
  clock: ClockKind;
  'time-scale': number;
  'due-now': 'auto' | 'manual';
  'pool-nice': number;
}

export function serverOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('data-dir', { type: 'string', default: '.paysim', describe: 'Directory for state and keys' })
    .option('memory', { type: 'boolean', default: false, describe: 'Keep everything in memory (nothing written to disk)' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of the random source: the same seed gives the same run' })
    .option('clock', { choices: ['real', 'virtual'] as const, default: 'real' as ClockKind, describe: 'Real time, or virtual time advanced through POST /_sim/clock/advance' })
    .option('time-scale', { type: 'number', default: 1, describe: 'With the real clock, run K times faster than real time' })
    .option('due-now', {
      choices: ['auto', 'manual'] as const,
      default: 'auto' as const,
      describe: 'With the virtual clock: run what falls due now (a notification after a payment) at once (auto), or only on POST /_sim/clock/advance (manual: the journal is then the same on every run of the same requests)',
    })
    .option('pool-nice', {
      type: 'number',
      default: defaultPoolNice,
      describe: 'Linux: how many nice levels (0-19) below the event loop the thread pool that signs runs, so the event loop goes first when cores are short (0 leaves the pool alone)',
    });
}

/** `--allowed-host NAME` (repeatable): more names the simulator's control API answers to. */
export function allowedHostOption<T>(yargs: Argv<T>) {
  return yargs.option('allowed-host', {
    type: 'string',
    array: true,
    // No default: absent is undefined, while `--allowed-host` with no name is [] and refused.
    describe: 'Another name the control API answers to (e.g. paysim.test or paysim.test:8080; repeatable), besides the listening address and localhost',
  });
}

export function checkAllowedHosts(values: readonly unknown[] | undefined): string[] {
  if (values === undefined) return [];
  if (values.length === 0) throw new CliError('--allowed-host needs a name: pass e.g. --allowed-host paysim.test (repeat it for more)');
  return values.map((value) => {
    const text = String(value);
    if (!parseHost(text)) throw new CliError(`--allowed-host ${JSON.stringify(text)} is not a host name or address with an optional port: pass e.g. --allowed-host paysim.test or --allowed-host paysim.test:8080 (no scheme, no path)`);
    return text;
  });
}

/**
 * A number option's value as a message shows it: what the user typed when yargs could not read it as a
 * number (it hands over NaN for `--port abc`), else the number.
 */
export function shownNumber(name: string, value: unknown, args: readonly string[] = process.argv.slice(2)): string {
  if (!(typeof value === 'number' && Number.isNaN(value))) return String(value);
  let typed: string | undefined;
  for (const [index, arg] of args.entries()) {
    if (arg === `--${name}`) typed = args[index + 1] ?? '';
    else if (arg.startsWith(`--${name}=`)) typed = arg.slice(name.length + 3);
  }
  return typed === undefined ? 'no number' : JSON.stringify(typed);
}

export function checkPort(port: number, name: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--${name} must be a port number between 0 and 65535, got ${shownNumber(name, port)}`);
  return port;
}

export function checkServerOptions(argv: ServerArgs): void {
  if (!Number.isSafeInteger(argv.seed)) throw new CliError(`--seed must be an integer, got ${shownNumber('seed', argv.seed)}`);
  if (!(argv['time-scale'] > 0) || !Number.isFinite(argv['time-scale'])) throw new CliError(`--time-scale must be a positive number, got ${shownNumber('time-scale', argv['time-scale'])}`);
  if (argv.clock === 'virtual' && argv['time-scale'] !== 1) throw new CliError('--time-scale applies to the real clock only; drop it or use --clock real');
  if (!argv.memory && argv['data-dir'].trim() === '') throw new CliError('--data-dir must name a directory (or pass --memory)');
  const nice = argv['pool-nice'];
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new CliError(`--pool-nice must be a whole number of nice levels from 0 (the pool as it is) to 19 (lowest priority), got ${shownNumber('pool-nice', nice)}`);
}

/**
 * Once a server listens: puts the thread pool that signs `--pool-nice` levels below the event loop
 * (lib/thread-pool.ts). Finding the pool takes a few tens of milliseconds of pool work, so it starts
 * half a second later, in the background, out of the way of the first requests (a health check
 * waiting for the start). Where it cannot, on Linux,
 * one line on stderr says why; elsewhere per-thread priorities do not exist and nothing is said.
 */
export function applyPoolNice(nice: number): void {
  if (nice === 0) return;
  setTimeout(() => {
    void lowerThreadPoolPriority(nice).then((outcome) => {
      if ('skipped' in outcome && process.platform === 'linux') process.stderr.write(`paysim: --pool-nice ${nice} not applied: ${outcome.skipped}\n`);
    });
  }, poolNiceDelayMs).unref();
}

const poolNiceDelayMs = 500;

/** Runs until SIGINT/SIGTERM, then closes cleanly so no file is left half-written; a second signal quits at once. */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) {
      // A second signal while closing (a webhook or a notification still in flight can hold the close for
      // its timeout): quit now, as after a crash: each acknowledged write is already in the journal, and a
      // torn last line is repaired at the next start.
      process.stderr.write(`paysim: ${signal} again, quitting without waiting\n`);
      process.exit(130);
    }
    closing = true;
    const slowNotice = setTimeout(() => process.stderr.write('paysim: still closing: waiting for requests in flight to end (Ctrl-C again to quit at once)\n'), 1_000);
    slowNotice.unref();
    process.stderr.write(`\npaysim: ${signal} received, closing…\n`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`paysim: failed to close cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The JSON value of a file an option names; a file that cannot be read or parsed names the option and the cause. */
function readJsonFile(option: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`${option} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${option} ${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** Reads and strictly decodes a JSON file of fault rules; any problem names the file and the rule. */
export function readFaultsFile(path: string): FaultRule[] {
  const value = readJsonFile('--faults', path);
  const decoded = decodeRules(value);
  if (!decoded.ok) throw new CliError(`--faults ${path}: ${decoded.message}`);
  return decoded.value;
}

/** What `--config FILE` may set: the engine's switches and each channel's own (README "Configuration switches"). */
export type SimulatorConfigFile = Pick<SimulatorOptions, 'engine' | 'channelConfig'>;

/**
 * Reads a simulator config file, `{"engine": {...}, "channels": {"alipay": {...}}}`, and checks it as
 * strictly as the simulator does: an unknown or misspelt key, or a value out of range, names itself.
 */
export function readSimulatorConfigFile(path: string): SimulatorConfigFile {
  const value = readJsonFile('--config', path);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`--config ${path}: must be a JSON object {"engine": {...}, "channels": {...}}`);
  const unknown = Object.keys(value).filter((key) => key !== 'engine' && key !== 'channels');
  if (unknown.length > 0) throw new CliError(`--config ${path}: unknown key(s) ${unknown.join(', ')}; the file takes "engine" and "channels"`);
  const { engine, channels } = value as { engine?: SimulatorOptions['engine']; channels?: SimulatorOptions['channelConfig'] };
  const config: SimulatorConfigFile = { ...(engine !== undefined ? { engine } : {}), ...(channels !== undefined ? { channelConfig: channels } : {}) };
  try {
    checkSimulatorOptions(config, channelModules);
  } catch (error) {
    throw new CliError(`--config ${path}: ${(error as Error).message.replace(/^simulator options: /, '').replaceAll('channelConfig.', 'channels.')}`);
  }
  return config;
}

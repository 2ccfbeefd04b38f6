// The simulator's configuration: one typed object, parsed once and strictly (unknown keys, values of the
// wrong kind and out-of-range numbers are refused at start with a message naming them), defaults in one
// place. Each channel's own section is checked against its module's schema.
import { ConfigError, configProblems } from '../lib/config-schema.ts';
import { parseHost } from './admin/host-allow-list.ts';
import { nearNames } from '../lib/near-names.ts';
import type { Clock, ClockKind, WallClock } from '../lib/clock.ts';
import type { ChannelModule, DefaultAppKeys } from './channels/module.ts';
import { engineSchema, type EngineConfig } from './engine/config.ts';
import type { FaultRule } from './faults/rule.ts';

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Where state and keys live; absent (or `memory: true`) keeps everything in memory. */
  dataDir?: string;
  memory?: boolean;
  seed?: number;
  clock?: ClockKind;
  timeScale?: number;
  /** Start of virtual time (epoch ms). */
  startMs?: number;
  /**
   * Virtual clock: run what falls due at the current instant (a notification after a payment) without an
   * advance, as `paysim sim` and `paysim up` do. Off by default: every task then waits for an advance.
   */
  runDueNow?: boolean;
  /** Base URL the simulator puts in cashier and bill links; defaults to the address it listens on. */
  publicBaseUrl?: string;
  /**
   * More names the control API answers to (`paysim.test`, `paysim.test:8080`; without a port, any port),
   * besides the address it listens on, localhost, 127.0.0.1, [::1] and the host of `publicBaseUrl`.
   */
  allowedHosts?: readonly string[];
  engine?: Partial<EngineConfig>;
  /** Each channel's own settings by channel name, e.g. `{ alipay: { v3ErrorCodeStyle: 'bare' } }`. */
  channelConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Keys of the channels' default apps by channel name, so that runs can be byte-for-byte reproducible. */
  defaultAppKeys?: Readonly<Record<string, DefaultAppKeys>>;
  /** Fault rules installed at start (`--faults FILE`). */
  faults?: FaultRule[];
  /** Magic amounts and subject tags trigger faults (default true). */
  magicValues?: boolean;
  /** An existing clock to share (simulator and core on one clock); it is the caller's to store and stop. */
  sharedClock?: Clock;
  /**
   * The simulator's own clock (`clock`, resumed from a data dir under `virtual`) will be shared with a
   * merchant that schedules its own tasks on it (paysim up's core): its virtual time then runs serially.
   */
  clockShared?: boolean;
  /** Real time for signature timestamps that clients compare with their own clock (default: the system's). */
  wallClock?: WallClock;
  /** The channel modules to serve; default: every module of simulator/channels/modules.ts. */
  channels?: readonly ChannelModule[];
}

export const simulatorDefaults = {
  host: '127.0.0.1',
  port: 4010,
  seed: 1,
  clock: 'real' as ClockKind,
  timeScale: 1,
};

const optionNames: readonly (keyof SimulatorOptions)[] = [
  'host', 'port', 'dataDir', 'memory', 'seed', 'clock', 'timeScale', 'startMs', 'runDueNow', 'publicBaseUrl', 'allowedHosts', 'engine',
  'channelConfig', 'defaultAppKeys', 'faults', 'magicValues', 'sharedClock', 'clockShared', 'wallClock', 'channels',
];

/** Refuses options the simulator would otherwise misread; throws a ConfigError naming every problem. */
export function checkSimulatorOptions(options: SimulatorOptions, modules: readonly ChannelModule[]): void {
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (optionNames.includes(key as keyof SimulatorOptions)) continue;
    const near = nearNames(key, optionNames);
    problems.push(`unknown option ${key}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; known: ${optionNames.join(', ')}`);
  }
  const integerIn = (name: keyof SimulatorOptions, min: number, max: number) => {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) {
      problems.push(`${name} must be an integer ${min}..${max}, got ${JSON.stringify(value)}`);
    }
  };
  integerIn('port', 0, 65_535);
  integerIn('seed', 0, Number.MAX_SAFE_INTEGER);
  integerIn('startMs', 0, 8_640_000_000_000_000);
  if (options.clock !== undefined && options.clock !== 'real' && options.clock !== 'virtual') problems.push(`clock must be "real" or "virtual", got ${JSON.stringify(options.clock)}`);
  if (options.timeScale !== undefined && !(typeof options.timeScale === 'number' && options.timeScale > 0 && options.timeScale <= 1e6)) {
    problems.push(`timeScale must be a number in (0, 1000000], got ${JSON.stringify(options.timeScale)}`);
  }
  if (options.allowedHosts !== undefined && !Array.isArray(options.allowedHosts)) problems.push('allowedHosts must be an array of host names');
  for (const [index, name] of (Array.isArray(options.allowedHosts) ? options.allowedHosts : []).entries()) {
    if (typeof name !== 'string' || !parseHost(name)) {
      problems.push(`allowedHosts[${index}] ${JSON.stringify(name)} is not a host name or address with an optional port, such as paysim.test or paysim.test:4010`);
    }
  }
  problems.push(...configProblems(options.engine, engineSchema, 'engine'));
  const names = modules.map((module) => module.name);
  for (const [section, byChannel] of [['channelConfig', options.channelConfig], ['defaultAppKeys', options.defaultAppKeys]] as const) {
    for (const channel of Object.keys(byChannel ?? {})) {
      if (!names.includes(channel)) problems.push(`${section}.${channel}: no channel module named ${channel}; channels: ${names.join(', ')}`);
    }
  }
  for (const module of modules) problems.push(...configProblems(options.channelConfig?.[module.name], module.configSchema, `channelConfig.${module.name}`));
  if (problems.length > 0) throw new ConfigError(`simulator options: ${problems.join('; ')}`);
}

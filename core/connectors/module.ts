// What a channel brings to the core: one connector module per folder under connectors/, listed in
// modules.ts. It checks its own options, builds its Channel, and names the pay methods it serves, so
// adding a channel means adding a folder and one line in the module list.
import type { MethodRoute } from '../domain/routing.ts';
import type { Channel } from './channel.ts';

export interface ConnectorModule<Options = unknown> {
  readonly name: string;
  /** The pay methods it serves, with their default routes (fee, limits); the core config can override them. */
  readonly routes: readonly MethodRoute[];
  /** Checks every option and fills defaults; throws a TypeError that names the bad option and the fix. */
  parseOptions(input: unknown): Options;
  create(options: Options): Channel;
}

/** The channels the options ask for, each built by its module; an unknown channel name is refused. */
export function buildChannels(modules: readonly ConnectorModule[], options: Readonly<Record<string, unknown>>): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  for (const [name, channelOptions] of Object.entries(options)) {
    if (channelOptions === undefined) continue;
    const module = modules.find((candidate) => candidate.name === name);
    if (!module) throw new TypeError(`connectors.${name}: no connector module named ${name}; modules: ${modules.map((candidate) => candidate.name).join(', ')}`);
    const channel = module.create(module.parseOptions(channelOptions));
    if (channel.name !== name) throw new TypeError(`connector module ${name} built a channel named ${channel.name}`);
    channels.set(name, channel);
  }
  return channels;
}

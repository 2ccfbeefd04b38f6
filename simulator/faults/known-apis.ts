// The names a rule's `match.api` may use. The rule book is channel-neutral, so each channel module
// registers the methods and paths its gateway answers to (simulator/channels/modules.ts); the layer names are the book's
// own. A rule naming anything else could never fire, so decoding refuses it and suggests near names.
import type { ChannelName } from '../engine/types.ts';
import type { FaultLayer } from './rule.ts';
import { nearNames } from '../../lib/near-names.ts';

/** The layer names every channel answers to, and the fault layers each one reaches. */
export const layerApis: Readonly<Record<string, readonly FaultLayer[]>> = {
  // "notify" also covers the faults that act on the trade's timeline (late_success, early_notify).
  notify: ['notify', 'trade'],
  refund: ['refund'],
  bill: ['bill'],
  buyer: ['buyer'],
};

/** The fault layers a layer name reaches, or undefined when `api` is not a layer name. */
export function layersNamedBy(api: string): readonly FaultLayer[] | undefined {
  return Object.hasOwn(layerApis, api) ? layerApis[api] : undefined;
}

const registered = new Map<ChannelName, ReadonlySet<string>>();

/** Called for each channel (simulator/channels/modules.ts) with every method and path its gateway decides faults for. */
export function registerKnownApis(channel: ChannelName, names: Iterable<string>): void {
  registered.set(channel, new Set([...(registered.get(channel) ?? []), ...names]));
}

/** The channels rules may name, or undefined when none is registered (decoding then takes any name). */
export function registeredChannels(): ReadonlySet<ChannelName> | undefined {
  return registered.size === 0 ? undefined : new Set(registered.keys());
}

/**
 * The method and path names a rule for `channel` may use (every registered channel's when absent; none
 * for a channel without a dialect), or undefined when no dialect is loaded at all.
 */
export function registeredApis(channel?: ChannelName): ReadonlySet<string> | undefined {
  if (registered.size === 0) return undefined;
  if (channel !== undefined) return registered.get(channel) ?? new Set();
  return new Set([...registered.values()].flatMap((names) => [...names]));
}

/** Up to `countMax` known names closest to `name`: containing it, else the fewest typos away. */
export function nearApis(name: string, known: Iterable<string>, countMax = 3): string[] {
  return nearNames(name, known, countMax);
}

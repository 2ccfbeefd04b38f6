// The names a rule's `match.api` may use. The rule book is channel-neutral, so each dialect registers
// the methods and paths its gateway answers to when its module loads; the layer names are the book's
// own. A rule naming anything else could never fire, so decoding refuses it and suggests near names.
import type { ChannelName } from '../engine/types.ts';
import type { FaultLayer } from './rule.ts';

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

/** Called by a dialect with every method and path its gateway decides faults for. */
export function registerKnownApis(channel: ChannelName, names: Iterable<string>): void {
  registered.set(channel, new Set([...(registered.get(channel) ?? []), ...names]));
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
  const wanted = name.toLowerCase();
  const scored = [...known].map((candidate) => {
    const lower = candidate.toLowerCase();
    const contains = lower.includes(wanted);
    return { candidate, distance: contains ? 0 : editDistance(wanted, lower) };
  });
  const distanceMax = Math.max(2, Math.floor(wanted.length / 3));
  const near = scored.filter((item) => item.distance <= distanceMax);
  // Only the closest: one typo away beats two typos away.
  const closest = Math.min(...near.map((item) => item.distance));
  return near
    .filter((item) => item.distance === closest)
    .sort((left, right) => left.distance - right.distance || left.candidate.localeCompare(right.candidate))
    .slice(0, countMax)
    .map((item) => item.candidate);
}

/** Levenshtein distance, two rows at a time. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_unused, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

// A mutant: the reference core with one component swapped for a deliberately wrong one, through the
// core's composition root (createCore's `components`), never a flag inside core/. Each names the rule of
// payments it breaks and why a real team writes that bug; `killers` are the catalogue scenarios meant to
// catch it, tried first so that `npm test` can stop at the first kill (`paysim mutants` runs them all).
// The seams below hand one component a slightly different context: a channel that answers otherwise, a
// commit that writes otherwise, a scheduler that arms otherwise. The component's own code is untouched.
import type { Mutation } from '../../lib/store/index.ts';
import type { Channel } from '../../core/connectors/channel.ts';
import type { ComponentFactories } from '../../core/services/components.ts';
import type { ServiceContext } from '../../core/services/context.ts';
import type { Scheduler } from '../../core/services/scheduler.ts';

export interface Mutant {
  /** kebab-case: `paysim swarm --mutant NAME`. */
  readonly name: string;
  /** The rule of payments it breaks, in one line. */
  readonly breaks: string;
  /** Why a real team makes this mistake, citing the seed article. */
  readonly why: string;
  readonly components: Partial<ComponentFactories>;
  /** Catalogue scenarios expected to kill it. */
  readonly killers: readonly string[];
}

export function defineMutant(mutant: Mutant): Mutant {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(mutant.name)) throw new Error(`mutant name must be kebab-case, got ${JSON.stringify(mutant.name)}`);
  if (Object.keys(mutant.components).length === 0) throw new Error(`mutant ${mutant.name} swaps no component`);
  if (mutant.killers.length === 0) throw new Error(`mutant ${mutant.name} names no scenario that kills it`);
  return mutant;
}

/** The context with every channel's methods overridden by `wrap` (which gets the real channel). */
export function withChannels(context: ServiceContext, wrap: (channel: Channel) => Partial<Channel>): ServiceContext {
  const channels = new Map([...context.channels].map(([name, channel]) => [name, { ...channel, ...wrap(channel) } as Channel]));
  return { ...context, channels };
}

/** The context whose commits pass through `rewrite` first. */
export function withCommit(context: ServiceContext, rewrite: (mutations: readonly Mutation[]) => readonly Mutation[]): ServiceContext {
  return { ...context, commit: (mutations) => context.commit(rewrite(mutations)) };
}

/** The context whose scheduler arms through `arm` (which gets the real arm); everything else is the real scheduler. */
export function withScheduler(context: ServiceContext, arm: (real: Scheduler['arm'], key: string, atMs: number, task: () => Promise<void>) => void): ServiceContext {
  const real = context.scheduler;
  const scheduler = new Proxy(real, {
    get(target, property) {
      if (property === 'arm') return (key: string, atMs: number, task: () => Promise<void>) => arm(target.arm.bind(target), key, atMs, task);
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...context, scheduler };
}

/** A put of `collection` in a mutation list, rewritten by `change` (other mutations pass as they are). */
export function rewritePuts<T>(mutations: readonly Mutation[], collection: string, change: (value: T) => T): Mutation[] {
  return mutations.map((mutation) => {
    if (mutation.op !== 'put' || mutation.collection !== collection) return mutation;
    return { ...mutation, value: change(mutation.value as T) };
  });
}

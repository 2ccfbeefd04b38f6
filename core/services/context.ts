// What every service is handed: the injected clock, random source, store, channels, config, events
// and scheduler, built once by the composition root (core/app.ts).
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { Random } from '../../lib/random.ts';
import type { Mutation, Store } from '../../lib/store/index.ts';
import type { CoreConfig } from '../config.ts';
import type { Channel } from '../connectors/channel.ts';
import type { ChannelName } from '../domain/index.ts';
import type { CoreEvent } from './events.ts';
import { DocumentNumbers } from './ids.ts';
import { Records } from './records.ts';
import { Scheduler } from './scheduler.ts';

export interface ServiceContext {
  readonly clock: Clock;
  readonly random: Random;
  readonly store: Store;
  readonly records: Records;
  readonly channels: ReadonlyMap<ChannelName, Channel>;
  readonly config: CoreConfig;
  readonly events: EventBus<CoreEvent>;
  readonly scheduler: Scheduler;
  readonly numbers: DocumentNumbers;
  /** The base URL channels call back on (notify, return), known once the core listens. */
  readonly callbackBaseUrl: () => string;
  /** Applies `mutations` now and resolves once they are durable: answer a client only after it. */
  readonly commit: (mutations: readonly Mutation[]) => Promise<void>;
}

export function createServiceContext(input: {
  clock: Clock;
  random: Random;
  store: Store;
  channels: ReadonlyMap<ChannelName, Channel>;
  config: CoreConfig;
  events: EventBus<CoreEvent>;
  callbackBaseUrl: () => string;
  runNo: number;
}): ServiceContext {
  const { clock, events, config } = input;
  const scheduler = new Scheduler(clock, {
    pendingMax: config.scheduledTasksMax,
    retryMs: config.closeRetryMs,
    onTaskError: (label, error) =>
      events.emit({ type: 'task.failed', atMs: clock.now(), label, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  const records = new Records(input.store);
  return {
    clock,
    random: input.random,
    store: input.store,
    records,
    channels: input.channels,
    config,
    events,
    scheduler,
    numbers: new DocumentNumbers(input.random.fork(`numbers:${input.runNo}:${clock.now()}`), clock, records),
    callbackBaseUrl: input.callbackBaseUrl,
    commit: (mutations) => input.store.commit(mutations),
  };
}

export function channelOf(context: ServiceContext, name: ChannelName): Channel | undefined {
  return context.channels.get(name);
}

// The core's composition root: clock, random source, store, channels, config, events, services and
// HTTP, built once. Every part can be handed in through the options (tests share a virtual clock with
// the simulator; deliberately buggy variants replace one component); the rest gets a default.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createClock, type Clock, type ClockKind } from '../lib/clock.ts';
import { EventBus } from '../lib/events.ts';
import { Random } from '../lib/random.ts';
import { openStore, put, type Store } from '../lib/store/index.ts';
import { parseCoreConfig, type CoreConfig, type CoreConfigInput } from './config.ts';
import type { Channel } from './connectors/channel.ts';
import { buildChannels, type ConnectorModule } from './connectors/module.ts';
import { connectorModules } from './connectors/modules.ts';
import type { ChannelName } from './domain/index.ts';
import { answerUnparsedRequests, createHttpApp } from './http/server.ts';
import { DashboardLinks } from '../lib/dashboard/links.ts';
import type { CheckReport } from './services/checks.ts';
import { createComponents, resumeScheduledWork, type ComponentFactories, type Components } from './services/components.ts';
import { createServiceContext, type ServiceContext } from './services/context.ts';
import type { CoreEvent } from './services/events.ts';
import { collections } from './services/records.ts';

export interface CoreOptions {
  readonly config?: CoreConfigInput;
  /** A clock to share (with the simulator, in one process); otherwise one of `clockKind`. */
  readonly clock?: Clock;
  readonly clockKind?: ClockKind;
  readonly timeScale?: number;
  readonly seed?: number;
  readonly random?: Random;
  /** A store to use as is; otherwise the file store under `dataDir`, or memory. */
  readonly store?: Store;
  readonly dataDir?: string;
  readonly memory?: boolean;
  /**
   * Each channel's connector options by channel name (`{ alipay: { appId, privateKeyPem, … } }`), checked
   * and built by that channel's connector module; a channel not named here is unavailable.
   */
  readonly connectors?: Readonly<Record<ChannelName, unknown>>;
  /** The connector modules; default: every module of core/connectors/modules.ts. Their routes join the routing table. */
  readonly connectorModules?: readonly ConnectorModule[];
  /** Channels built elsewhere (a contract test's instrumented connector), added to those of `connectors`. */
  readonly channels?: ReadonlyMap<ChannelName, Channel>;
  /** Replacements for any service's factory: the seam of deliberately buggy cores (mutants). */
  readonly components?: Partial<ComponentFactories>;
  readonly events?: EventBus<CoreEvent>;
}

export interface Core {
  /** The base URL once listening, e.g. http://127.0.0.1:4020. */
  readonly url: string;
  readonly config: CoreConfig;
  readonly clock: Clock;
  readonly store: Store;
  readonly events: EventBus<CoreEvent>;
  readonly channels: ReadonlyMap<ChannelName, Channel>;
  readonly context: ServiceContext;
  readonly components: Components;
  readonly app: express.Express;
  /** Links the dashboard shows in its bar (paysim up adds the simulator's dashboard). */
  readonly dashboardLinks: DashboardLinks;
  listen(): Promise<string>;
  runChecks(): CheckReport;
  /** Stops timers, waits for work in progress, closes the HTTP server and the store. */
  close(): Promise<void>;
}

export const coreStoreName = 'core';

/**
 * The one composition function of a core: `paysim up`, `paysim core`, tests, benchmarks, contracts and
 * scenarios all build a core through it. Connector options are checked before anything is opened.
 */
export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const modules = options.connectorModules ?? connectorModules;
  const config = parseCoreConfig(options.config, modules.flatMap((module) => module.routes));
  const channels = new Map([...buildChannels(modules, options.connectors ?? {}), ...(options.channels ?? [])]);
  const clock = options.clock ?? createClock(options.clockKind ?? 'real', { timeScale: options.timeScale ?? 1 });
  const random = options.random ?? new Random(options.seed ?? 1);
  const store =
    options.store ?? (options.dataDir && !options.memory ? await openStore({ dataDir: options.dataDir, name: coreStoreName }) : await openStore({ memory: true }));
  const events = options.events ?? new EventBus<CoreEvent>();

  // Each start of the process draws document numbers from its own stream (see services/ids.ts).
  const runNo = (store.get<number>(collections.meta, 'runs') ?? 0) + 1;
  await store.commit([put(collections.meta, 'runs', runNo)]);

  let listenUrl = '';
  const callbackBaseUrl = () => config.publicBaseUrl ?? listenUrl;
  const context = createServiceContext({ clock, random, store, channels, config, events, callbackBaseUrl, runNo });
  const components = createComponents(context, options.components);
  const dashboardLinks = new DashboardLinks();
  const app = createHttpApp(context, components, dashboardLinks);
  await resumeScheduledWork(components);

  let server: Server | undefined;
  let closing: Promise<void> | undefined;
  return {
    get url() {
      return config.publicBaseUrl ?? listenUrl;
    },
    config,
    clock,
    store,
    events,
    channels,
    context,
    components,
    app,
    dashboardLinks,
    listen: () =>
      new Promise<string>((resolve, reject) => {
        // Express 5 calls the listen callback on failure too (a port in use), so listen on the server's own events.
        server = answerUnparsedRequests(createServer(app));
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server!.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          listenUrl = `http://${host}:${address.port}`;
          resolve(callbackBaseUrl());
        });
      }),
    runChecks: () => components.checks.run(),
    close: () =>
      (closing ??= (async () => {
        if (server) {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server!.close(() => resolve()));
        }
        await context.scheduler.stop();
        if (!options.clock) clock.stop();
        if (!options.store) await store.close();
      })()),
  };
}

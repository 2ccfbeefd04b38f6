// The simulator's composition root: clock, random source, store, engine, dialects and routes, built
// once. Tests and scenarios start it on port 0 and talk to it over loopback like any client.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createClock, simulatorClockConcurrency, VirtualClock, virtualEpochMs, type Clock, type ClockOptions } from '../lib/clock.ts';
import { Random } from '../lib/random.ts';
import { openStore, type Store } from '../lib/store/index.ts';
import { ConfigError } from '../lib/config-schema.ts';
import { controlApiGuard } from './admin/guard.ts';
import { ControlApiHosts } from './admin/host-allow-list.ts';
import { adminRoutes } from './admin/routes.ts';
import { bindWarning } from './bind-warning.ts';
import { cashierMessage } from './cashier/page.ts';
import { cashierRoutes, type CashierReturn } from './cashier/routes.ts';
import type { ChannelModule, DirectRoute, InstalledChannel } from './channels/module.ts';
import { channelModules, registerChannels } from './channels/modules.ts';
import { checkSimulatorOptions, simulatorDefaults, type SimulatorOptions } from './config.ts';
import { defaultAppKeysOf, ensureDefaultApp, generatedMerchantKeys } from './default-apps.ts';
import { storedVirtualTimeMs, storeVirtualTime } from './engine/context.ts';
import { Engine } from './engine/engine.ts';
import { createSimulatorHttpServer } from './unparsed-requests.ts';
import type { App, ChannelName } from './engine/types.ts';
import { sendSimulatorError } from './errors.ts';
import { simulatorDashboard } from './dashboard/routes.ts';
import { DashboardLinks } from '../lib/dashboard/links.ts';

/** A channel's default app, and where its keys were written (absent in memory). */
export interface DefaultApp {
  readonly app: App;
  readonly keyFiles?: Readonly<Record<string, string>>;
}

export interface Simulator {
  /** The channel modules it serves, in order. */
  readonly modules: readonly ChannelModule[];
  readonly engine: Engine;
  readonly clock: Clock;
  /** Each channel module's routes and cashier behaviour, by channel name. */
  readonly channels: ReadonlyMap<ChannelName, InstalledChannel>;
  readonly app: express.Express;
  /** Links the dashboard shows in its bar (paysim up adds the core's dashboard). */
  readonly dashboardLinks: DashboardLinks;
  /** The base URL once listening, e.g. http://127.0.0.1:4010. */
  readonly url: string;
  /** Each channel's default app, by channel name. */
  readonly defaultApps: ReadonlyMap<ChannelName, DefaultApp>;
  /** The app id of a channel's default app; throws for a channel this simulator does not serve. */
  defaultAppId(channel: ChannelName): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The 4xx status an error carries (`status` or `statusCode`, as http-errors and Express set them), if any. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 499 ? value : undefined;
}

const isCashierPath = (req: Request) => req.path === '/cashier' || req.path.startsWith('/cashier/');

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).type('text/html; charset=utf-8').send(html);
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const modules: readonly ChannelModule[] = options.channels ?? channelModules;
  checkSimulatorOptions(options, modules);
  registerChannels(modules);
  const controlHosts = new ControlApiHosts(options.allowedHosts ?? [], options.publicBaseUrl); // throws on a malformed name
  const seed = options.seed ?? simulatorDefaults.seed;
  const persistent = Boolean(options.dataDir) && !options.memory;
  const store = persistent ? await openStore({ dataDir: options.dataDir!, name: 'simulator' }) : await openStore({ memory: true });
  let clock: Clock;
  try {
    clock = options.sharedClock ?? ownClock(options, store, persistent);
  } catch (error) {
    await store.close(); // releases the data dir's lock: a bad --time-scale must not block the next start
    throw error;
  }
  const engine = new Engine({ store, clock, ...(options.wallClock ? { wallClock: options.wallClock } : {}), random: new Random(seed), ...(options.engine ? { config: options.engine } : {}) });
  let baseUrl = options.publicBaseUrl ?? '';
  const channels = new Map<ChannelName, InstalledChannel>();
  const defaultApps = new Map<ChannelName, DefaultApp>();
  for (const module of modules) {
    channels.set(module.name, module.install(engine, options.channelConfig?.[module.name] ?? {}, () => baseUrl));
  }
  const defaultAppKeys = await defaultAppKeysOf(engine, modules, options.defaultAppKeys);
  for (const module of modules) {
    const app = await ensureDefaultApp(engine, module, defaultAppKeys.get(module.name));
    const keyFiles = persistent ? await module.writeKeyFiles(options.dataDir!, app, generatedMerchantKeys(engine).get(`${module.name}:${app.appId}`)) : undefined;
    defaultApps.set(module.name, { app, ...(keyFiles ? { keyFiles } : {}) });
  }
  engine.faults.magicValues = options.magicValues ?? true;
  for (const rule of options.faults ?? []) engine.faults.add(rule, 'file');
  engine.start();

  const dashboardLinks = new DashboardLinks();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/_sim', controlApiGuard(() => controlHosts.current), adminRoutes({ engine, channels: modules, generatedMerchantKeys: () => generatedMerchantKeys(engine), startedAtMs: clock.now() }));
  for (const channel of channels.values()) app.use(channel.router);
  app.use(cashierRoutes(engine, new Map<ChannelName, CashierReturn>([...channels].map(([name, channel]) => [name, channel.cashier]))));
  app.use(simulatorDashboard({ engine, channels: [...channels.keys()], links: dashboardLinks }));
  app.use((req: Request, res: Response) => {
    if (isCashierPath(req)) return sendHtml(res, 404, cashierMessage('页面不存在', 'No such cashier page. Start the payment again from the merchant.'));
    sendSimulatorError(res, 'NOT_FOUND', 'no such path on the paysim simulator; see README "Simulator HTTP"');
  });
  // A client's mistake that Express found (a URL that does not percent-decode: a URIError with status
  // 400) is answered with its own 4xx; only a bug gets a 500. Never a stack trace on the wire.
  const answerError = (error: unknown, req: Request, res: Response) => {
    const clientStatus = clientErrorStatus(error);
    if (clientStatus === undefined) {
      process.emitWarning(`simulator error on ${req.method} ${req.originalUrl}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) return;
      if (isCashierPath(req)) return sendHtml(res, 500, cashierMessage('系统错误', 'The simulator failed to show this page; its console has the details.'));
      sendSimulatorError(res, 'INTERNAL_ERROR', 'the simulator failed to handle this request; its console has the details');
      return;
    }
    if (res.headersSent) return;
    const detail = (error instanceof Error ? error.message : String(error)).slice(0, 200);
    if (isCashierPath(req)) return sendHtml(res, clientStatus, cashierMessage('请求有误', `This link could not be read (${detail}). Start the payment again from the merchant.`));
    res.status(clientStatus).json({ code: 'BAD_REQUEST', message: `the request could not be read: ${detail}; check the URL's percent-encoding` } satisfies { code: 'BAD_REQUEST'; message: string });
  };
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => answerError(error, req, res));
  const handler = directDispatch(app, [...channels.values()], answerError);

  let server: Server | undefined;
  const simulator: Simulator = {
    modules,
    engine,
    clock,
    channels,
    app,
    dashboardLinks,
    get url() {
      return baseUrl;
    },
    defaultApps,
    defaultAppId(channel) {
      const found = defaultApps.get(channel);
      if (!found) throw new ConfigError(`this simulator serves no channel ${channel}; channels: ${[...defaultApps.keys()].join(', ')}`);
      return found.app.appId;
    },
    listen: () =>
      new Promise<string>((resolve, reject) => {
        const host = options.host ?? simulatorDefaults.host;
        // Express 5 calls the listen callback on failure too, so listen on the server's own events.
        server = createSimulatorHttpServer(handler);
        server.once('error', reject);
        server.listen(options.port ?? simulatorDefaults.port, host, () => {
          const address = server!.address() as AddressInfo;
          controlHosts.listeningAt(address);
          const warning = bindWarning(address);
          if (warning) process.emitWarning(warning, { type: 'PaysimWarning', code: 'PAYSIM_BEYOND_LOOPBACK' });
          const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          if (!options.publicBaseUrl) baseUrl = `http://${hostPart}:${address.port}`;
          resolve(baseUrl);
        });
      }),
    close: async () => {
      engine.stop();
      if (clock instanceof StoredVirtualClock) await clock.storeNow();
      if (!options.sharedClock) clock.stop();
      if (server?.listening) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await store.close();
    },
  };
  return simulator;
}

/**
 * The request listener: a GET or POST on a channel's direct path (the Alipay gateway, where every SDK
 * call lands; WeChat Pay's API families) goes straight to its handler, with the request and response
 * given Express's prototypes as Express's own `app.handle` gives them, but without walking the router's
 * layers; everything else goes through Express. The direct handlers are the routers' own, so both ways answer alike.
 */
function directDispatch(
  app: express.Express,
  channels: readonly InstalledChannel[],
  answerError: (error: unknown, req: Request, res: Response) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = channels.flatMap((channel) => (channel.directRoute ? [channel.directRoute] : []));
  const directRoute = (path: string): DirectRoute | undefined => {
    for (const route of routes) {
      const found = route(path);
      if (found) return found;
    }
    return undefined;
  };
  return (incoming, outgoing) => {
    const url = incoming.url ?? '';
    const queryAt = url.indexOf('?');
    const route = incoming.method === 'POST' || incoming.method === 'GET' ? directRoute(queryAt < 0 ? url : url.slice(0, queryAt)) : undefined;
    if (!route) return app(incoming, outgoing);
    const req = Object.setPrototypeOf(incoming, app.request) as Request;
    const res = Object.setPrototypeOf(outgoing, app.response) as Response;
    Object.assign(req, { res, originalUrl: url, baseUrl: '', params: {} });
    Object.assign(res, { req, locals: Object.create(null) });
    route(req, res).catch((error: unknown) => answerError(error, req, res));
  };
}

/**
 * The simulator's own clock. A virtual clock on a data dir resumes where it stood at the last advance
 * or close: restarting at the epoch would put stored trades in the future and reopen ended bill days.
 * An explicit `startMs` still wins.
 */
function ownClock(options: SimulatorOptions, store: Store, persistent: boolean): Clock {
  const kind = options.clock ?? simulatorDefaults.clock;
  const timeScale = options.timeScale ?? simulatorDefaults.timeScale;
  // Without a merchant on its clock, notification attempts due at one instant can go out together; a
  // clock it shares with one (clockShared) stays serial.
  const virtualOptions = { runDueNow: options.runDueNow ?? false, ...(options.clockShared ? {} : { concurrency: simulatorClockConcurrency }) };
  if (kind !== 'virtual' || !persistent) {
    return createClock(kind, { timeScale, ...virtualOptions, ...(options.startMs !== undefined ? { startMs: options.startMs } : {}) });
  }
  return new StoredVirtualClock(options.startMs ?? storedVirtualTimeMs(store) ?? virtualEpochMs, store, virtualOptions);
}

/** Virtual time that is stored after every advance, so that a restart, even after a crash, resumes it. */
class StoredVirtualClock extends VirtualClock {
  private stopped = false;

  constructor(
    startMs: number,
    private readonly store: Store,
    options: ClockOptions,
  ) {
    super(startMs, options);
  }

  override advance(ms: number): Promise<void> {
    return super.advance(ms).then(() => this.storeNow());
  }

  /** Resolves once the current time is durable; after `stop` (the store is closing) it stores nothing. */
  storeNow(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.store.commit([storeVirtualTime(this.now())]);
  }

  override stop(): void {
    this.stopped = true;
    super.stop();
  }
}

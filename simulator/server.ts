// The simulator's composition root: clock, random source, store, engine, dialects and routes, built
// once. Tests and scenarios start it on port 0 and talk to it over loopback like any client.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createClock, VirtualClock, virtualEpochMs, type Clock } from '../lib/clock.ts';
import { Random } from '../lib/random.ts';
import { openStore, type Store } from '../lib/store/index.ts';
import { adminRoutes } from './admin/routes.ts';
import { cashierMessage } from './cashier/page.ts';
import { cashierRoutes } from './cashier/routes.ts';
import { installAlipay, type AlipayDialect } from './channels/alipay/index.ts';
import { simulatorDefaults, type SimulatorOptions } from './config.ts';
import { ensureDefaultAlipayApp, generatedMerchantKeys, writeAlipayKeyFiles, type KeyFiles } from './default-apps.ts';
import { storedVirtualTimeMs, storeVirtualTime } from './engine/context.ts';
import { Engine } from './engine/engine.ts';

export interface Simulator {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly alipay: AlipayDialect;
  readonly app: express.Express;
  /** The base URL once listening, e.g. http://127.0.0.1:4010. */
  readonly url: string;
  readonly defaultAlipayAppId: string;
  readonly keyFiles?: KeyFiles;
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
  const engine = new Engine({ store, clock, random: new Random(seed), ...(options.engine ? { config: options.engine } : {}) });
  let baseUrl = options.publicBaseUrl ?? '';
  const alipay = installAlipay(engine, options.alipay ?? {}, () => baseUrl);

  const defaultApp = await ensureDefaultAlipayApp(engine, simulatorDefaults.defaultAlipayAppId, options.defaultAlipayKeys);
  const keyFiles = options.dataDir && !options.memory
    ? await writeAlipayKeyFiles(options.dataDir, defaultApp, generatedMerchantKeys(engine).get(`alipay:${defaultApp.appId}`))
    : undefined;
  engine.faults.magicValues = options.magicValues ?? true;
  for (const rule of options.faults ?? []) engine.faults.add(rule, 'file');
  engine.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/_sim', adminRoutes({ engine, generatedMerchantKeys: () => generatedMerchantKeys(engine), startedAtMs: clock.now() }));
  app.use(alipay.router);
  app.use(cashierRoutes(engine, { alipay: alipay.cashierReturn }));
  app.get('/', (_req, res) => {
    res.type('text/plain; charset=utf-8').send('paysim simulator: see /_sim/health, /_sim/apps, /_sim/trades; Alipay gateway at /gateway.do\n');
  });
  app.use((req: Request, res: Response) => {
    if (isCashierPath(req)) return sendHtml(res, 404, cashierMessage('页面不存在', 'No such cashier page. Start the payment again from the merchant.'));
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such path on the paysim simulator; see README "Simulator HTTP"' });
  });
  // A client's mistake that Express found (a URL that does not percent-decode: a URIError with status
  // 400) is answered with its own 4xx; only a bug gets a 500. Never a stack trace on the wire.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const clientStatus = clientErrorStatus(error);
    if (clientStatus === undefined) {
      process.emitWarning(`simulator error on ${req.method} ${req.originalUrl}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) return;
      if (isCashierPath(req)) return sendHtml(res, 500, cashierMessage('系统错误', 'The simulator failed to show this page; its console has the details.'));
      res.status(500).json({ code: 'INTERNAL_ERROR', message: 'the simulator failed to handle this request; its console has the details' });
      return;
    }
    if (res.headersSent) return;
    const detail = (error instanceof Error ? error.message : String(error)).slice(0, 200);
    if (isCashierPath(req)) return sendHtml(res, clientStatus, cashierMessage('请求有误', `This link could not be read (${detail}). Start the payment again from the merchant.`));
    res.status(clientStatus).json({ code: 'BAD_REQUEST', message: `the request could not be read: ${detail}; check the URL's percent-encoding` });
  });

  let server: Server | undefined;
  const simulator: Simulator = {
    engine,
    clock,
    alipay,
    app,
    get url() {
      return baseUrl;
    },
    defaultAlipayAppId: defaultApp.appId,
    ...(keyFiles ? { keyFiles } : {}),
    listen: () =>
      new Promise<string>((resolve, reject) => {
        const host = options.host ?? simulatorDefaults.host;
        // Express 5 calls the listen callback on failure too, so listen on the server's own events.
        server = createServer(app);
        server.once('error', reject);
        server.listen(options.port ?? simulatorDefaults.port, host, () => {
          const address = server!.address() as AddressInfo;
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
 * The simulator's own clock. A virtual clock on a data dir resumes where it stood at the last advance
 * or close: restarting at the epoch would put stored trades in the future and reopen ended bill days.
 * An explicit `startMs` still wins.
 */
function ownClock(options: SimulatorOptions, store: Store, persistent: boolean): Clock {
  const kind = options.clock ?? simulatorDefaults.clock;
  const timeScale = options.timeScale ?? simulatorDefaults.timeScale;
  if (kind !== 'virtual' || !persistent) {
    return createClock(kind, { timeScale, ...(options.startMs !== undefined ? { startMs: options.startMs } : {}) });
  }
  return new StoredVirtualClock(options.startMs ?? storedVirtualTimeMs(store) ?? virtualEpochMs, store);
}

/** Virtual time that is stored after every advance, so that a restart, even after a crash, resumes it. */
class StoredVirtualClock extends VirtualClock {
  private stopped = false;

  constructor(
    startMs: number,
    private readonly store: Store,
  ) {
    super(startMs);
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

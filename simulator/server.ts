// The simulator's composition root: clock, random source, store, engine, dialects and routes, built
// once. Tests and scenarios start it on port 0 and talk to it over loopback like any client.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createClock, type Clock } from '../lib/clock.ts';
import { Random } from '../lib/random.ts';
import { openStore } from '../lib/store/index.ts';
import { adminRoutes } from './admin/routes.ts';
import { cashierRoutes } from './cashier/routes.ts';
import { installAlipay, type AlipayDialect } from './channels/alipay/index.ts';
import { simulatorDefaults, type SimulatorOptions } from './config.ts';
import { ensureDefaultAlipayApp, generatedMerchantKeys, writeAlipayKeyFiles, type KeyFiles } from './default-apps.ts';
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

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? simulatorDefaults.seed;
  const clock =
    options.sharedClock ??
    createClock(options.clock ?? simulatorDefaults.clock, {
      timeScale: options.timeScale ?? simulatorDefaults.timeScale,
      ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
    });
  const store = options.dataDir && !options.memory ? await openStore({ dataDir: options.dataDir, name: 'simulator' }) : await openStore({ memory: true });
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
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such path on the paysim simulator; see README "Simulator HTTP"' });
  });
  // Only a bug reaches here: answer without a stack trace and keep the details in the process output.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    process.emitWarning(`simulator error on ${req.method} ${req.originalUrl}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) res.status(500).json({ code: 'INTERNAL_ERROR', message: 'the simulator failed to handle this request; its console has the details' });
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

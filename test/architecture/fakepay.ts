// A third channel, defined only here: a simulator module and a core connector module of a made-up
// "fakepay" protocol (JSON create and query, no notifications). Registered through the module lists, it
// must work without a change to the engine, the admin API, the cashier, the fault layer or the core's
// services: that is what "a channel is one module on each side" means.
import { Router, type Request, type Response } from 'express';
import { readRawBody } from '../../lib/http.ts';
import { ChannelUnavailableError, type Channel, type ChannelPaymentStatus } from '../../core/connectors/channel.ts';
import type { ConnectorModule } from '../../core/connectors/module.ts';
import { channelRoute } from '../../core/domain/routing.ts';
import type { ChannelModule } from '../../simulator/channels/module.ts';
import type { ChannelDialect } from '../../simulator/engine/context.ts';
import { exchangePipeline } from '../../simulator/exchange/pipeline.ts';
import type { WireAnswer } from '../../simulator/faults/transport.ts';

const json = (status: number, value: unknown): WireAnswer => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

const fakeDialect: ChannelDialect = {
  scheduleOffsetsMs: [0],
  fieldsFor: () => undefined, // fakepay sends no notifications: the core learns by querying
  renderAttempt: async () => ({ headers: {}, body: '' }),
  tamperAmount: (fields) => ({ ...fields }),
  tamperIdentity: (fields) => ({ ...fields }),
  isAcknowledged: (status) => status === 200,
  tradeNo: (random) => `FP${random.digits(10)}`,
  notificationId: (random) => `FN${random.digits(10)}`,
  refundNo: (random) => `FR${random.digits(10)}`,
  appIdPattern: /^fp\d{6}$/,
  freshAppId: (random) => `fp${random.digits(6)}`,
  sellerId: (random) => `FS${random.digits(6)}`,
  buyer: (random, faker) => ({ id: `FB${random.digits(6)}`, logonId: 'fake***@example.com', name: faker.person.fullName() }),
  refundApis: [],
  tradeLifetimeMsDefault: 60 * 60_000,
  refundWindowMsDefault: 24 * 60 * 60_000,
};

export const fakeSimulatorModule: ChannelModule = {
  name: 'fakepay',
  title: 'FakePay',
  endpoints: [{ label: 'orders', path: '/fakepay/orders' }],
  dialect: fakeDialect,
  knownApis: ['fakepay.create', 'POST /fakepay/orders', 'fakepay.query', 'GET /fakepay/orders'],
  configSchema: {},
  appIdField: 'appId',
  defaultApp: { appId: 'fp000001', name: 'FakePay merchant' },
  install(engine, _config, baseUrl) {
    engine.registerDialect('fakepay', fakeDialect);
    const exchanges = exchangePipeline(engine, 'fakepay', engine.ctx.random.fork('fakepay-wire'));
    const noProtocolFaults = { businessError: async () => json(500, { error: 'SYSTEM' }), rateLimited: async () => json(429, { error: 'LIMIT' }), badlySigned: async (answer: WireAnswer) => answer };
    const router = Router();
    router.post('/fakepay/orders', async (req: Request, res: Response) => {
      const oneOff = exchanges.oneOffFaults(req, res);
      if (!oneOff) return;
      const raw = await readRawBody(req, 64 * 1024);
      const text = raw.kind === 'ok' ? raw.text : '';
      const body = JSON.parse(text || '{}') as { appId: string; outTradeNo: string; amountFen: number; subject: string };
      const firings = exchanges.decide(req, res, { layer: 'gateway', channel: 'fakepay', apis: ['fakepay.create', 'POST /fakepay/orders'], outTradeNo: body.outTradeNo, amountFen: body.amountFen, createsTrade: true }, oneOff, text);
      if (!firings || (await exchanges.answeredByFault(req, res, firings, noProtocolFaults, 'fakepay.create', text))) return;
      const outcome = await engine.trades.create({ channel: 'fakepay', appId: body.appId, outTradeNo: body.outTradeNo, product: 'qr', amountFen: body.amountFen, subject: body.subject, visible: true });
      const answer = outcome.kind === 'created' || outcome.kind === 'existing'
        ? json(200, { tradeNo: outcome.trade.tradeNo, payUrl: `${baseUrl()}/cashier/${outcome.trade.cashierToken}` })
        : json(409, { error: outcome.kind });
      await exchanges.finish(req, res, firings, noProtocolFaults, 'fakepay.create', text, answer);
    });
    router.get('/fakepay/orders/:appId/:outTradeNo', (req, res) => {
      const trade = engine.trades.find('fakepay', String(req.params.appId), { outTradeNo: String(req.params.outTradeNo) });
      if (!trade) return void res.status(404).json({ error: 'NOT_FOUND' });
      res.json({ state: trade.state.kind, tradeNo: trade.tradeNo, amountFen: trade.amountFen });
    });
    return { router, cashier: { title: 'FakePay 收银台', afterPay: async () => undefined, afterCancel: () => undefined } };
  },
  writeKeyFiles: async () => ({}),
};

interface FakeOptions {
  readonly baseUrl: string;
  readonly appId: string;
}

export const fakeConnector: ConnectorModule<FakeOptions> = {
  name: 'fakepay',
  routes: [channelRoute('fakepay.qr', 'fakepay', 0)],
  parseOptions(input) {
    const options = input as Partial<FakeOptions>;
    if (typeof options?.baseUrl !== 'string' || typeof options.appId !== 'string') throw new TypeError('fakepay connector: baseUrl and appId are required');
    return { baseUrl: options.baseUrl, appId: options.appId };
  },
  create({ baseUrl, appId }): Channel {
    const call = async (operation: string, path: string, init?: RequestInit) => {
      try {
        return await fetch(`${baseUrl}${path}`, init);
      } catch (error) {
        throw new ChannelUnavailableError('fakepay', operation, (error as Error).message);
      }
    };
    return {
      name: 'fakepay',
      appId,
      async createPayment(request) {
        const response = await call('createPayment', '/fakepay/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appId, outTradeNo: request.paymentNo, amountFen: request.amountFen, subject: request.subject }),
        });
        if (response.status !== 200) throw new ChannelUnavailableError('fakepay', 'createPayment', `HTTP ${response.status}`);
        const body = (await response.json()) as { payUrl: string };
        return { kind: 'created', qrCode: body.payUrl };
      },
      async queryPayment(paymentNo): Promise<ChannelPaymentStatus> {
        const response = await call('queryPayment', `/fakepay/orders/${appId}/${paymentNo}`);
        if (response.status === 404) return { kind: 'notFound' };
        if (response.status !== 200) throw new ChannelUnavailableError('fakepay', 'queryPayment', `HTTP ${response.status}`);
        const body = (await response.json()) as { state: string; tradeNo: string; amountFen: number };
        switch (body.state) {
          case 'waiting':
            return { kind: 'waiting' };
          case 'paid':
            return { kind: 'paid', channelTradeNo: body.tradeNo, amountFen: body.amountFen };
          case 'closed':
            return { kind: 'closed', wasPaid: false };
          default:
            return { kind: 'unrecognized', raw: body.state };
        }
      },
      closePayment: async () => ({ kind: 'closed' }),
      refund: async () => ({ kind: 'rejected', code: 'UNSUPPORTED', message: 'fakepay takes no refunds' }),
      queryRefund: async () => ({ kind: 'notFound' }),
      verifyNotification: async () => ({ kind: 'invalid', reason: 'fakepay sends no notifications' }),
      notifyReply: (verdict) => ({ status: verdict === 'acknowledged' ? 200 : 400, body: verdict, contentType: 'text/plain' }),
      paymentNoOfReturn: (params) => params.order,
      downloadBill: async () => ({ kind: 'notReady' }),
      // No bill file ever downloads, so there are no rows to read.
      async *readBill() {},
    };
  },
};

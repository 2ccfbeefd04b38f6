// A real simulator and a real core in one process on one VirtualClock, talking HTTP over loopback, the
// core's Alipay connector running the official SDK. Tests drive them as a business system and a buyer
// would: the core's API, the simulator's buyer and fault controls, and the shared clock.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { createCore, type Core, type CoreOptions } from '../../../core/app.ts';
import type { CoreConfigInput } from '../../../core/config.ts';
import type { FaultRule } from '../../../simulator/faults/rule.ts';
import { createSimulator, type Simulator } from '../../../simulator/server.ts';
import type { SimulatorOptions } from '../../../simulator/config.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { connectorOptionsFor } from '../../../scenarios/harness/connect.ts';

export interface ApiAnswer<T = any> {
  readonly status: number;
  readonly body: T;
}

export interface Paysim {
  readonly sim: Simulator;
  readonly core: Core;
  readonly clock: VirtualClock;
  readonly webhook: WebhookReceiver;
  api<T = any>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** Creates an order and starts a payment (an Alipay QR payment unless `method` says otherwise); returns the order and payment numbers. */
  orderAndPay(amount: string, options?: { expireInSec?: number; subject?: string; method?: string }): Promise<{ orderNo: string; paymentNo: string; pay: any }>;
  /** The buyer pays (or acts otherwise) without a browser, on the payment's channel (Alipay unless told). */
  buyerPays(paymentNo: string, options?: { channel?: string; outcome?: 'success' | 'insufficient' | 'cancel' }): Promise<ApiAnswer>;
  fault(rule: FaultRule): void;
  advance(ms: number): Promise<void>;
  order(orderNo: string): Promise<any>;
  /** Stops the core and starts a new one on the same store (a data dir, when the options name one). */
  restartCore(): Promise<void>;
  close(): Promise<void>;
}

export interface PaysimOptions {
  readonly core?: CoreConfigInput;
  readonly coreOptions?: Partial<CoreOptions>;
  readonly sim?: SimulatorOptions;
  /** Timeout of one call from the connector to the simulator, real ms. */
  readonly channelTimeoutMs?: number;
}

let orderSequence = 0;

export async function startPaysim(options: PaysimOptions = {}): Promise<Paysim> {
  const clock = new VirtualClock(virtualEpochMs);
  const sim = await createSimulator({
    port: 0,
    sharedClock: clock,
    defaultAppKeys: {
      alipay: { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel },
      wechatpay: { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel, channelSecondary: fixtureKeys.wechatpayPublicKey },
    },
    ...options.sim,
  });
  const simUrl = await sim.listen();
  const connectors = connectorOptionsFor(sim, { timeoutMs: options.channelTimeoutMs ?? 3_000 });
  const webhook = await startWebhookReceiver();
  const startCore = async () => {
    const started = await createCore({
      clock,
      memory: true,
      connectors,
      config: { port: 0, merchantWebhookUrl: webhook.url, checksIntervalMs: 0, reconciliation: { dailyAt: null }, ...options.core },
      ...options.coreOptions,
    });
    await started.listen();
    return started;
  };
  let core = await startCore();

  const api = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${core.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  };

  const paysim: Paysim = {
    sim,
    get core() {
      return core;
    },
    clock,
    webhook,
    api,
    async orderAndPay(amount, orderOptions = {}) {
      orderSequence += 1;
      const created = await api('POST', '/api/orders', {
        outOrderNo: `T${process.pid}-${orderSequence}-${Date.now().toString(36)}`,
        amount,
        subject: orderOptions.subject ?? 'paysim test order',
        ...(orderOptions.expireInSec !== undefined ? { expireInSec: orderOptions.expireInSec } : {}),
      });
      if (created.status !== 201) throw new Error(`order not created: ${JSON.stringify(created)}`);
      const paid = await api('POST', `/api/orders/${created.body.orderNo}/pay`, { method: orderOptions.method ?? 'alipay.qr' });
      if (paid.status !== 200) throw new Error(`pay failed: ${JSON.stringify(paid)}`);
      return { orderNo: created.body.orderNo, paymentNo: paid.body.paymentNo, pay: paid.body };
    },
    async buyerPays(paymentNo, buyer = {}) {
      const response = await fetch(`${sim.url}/_sim/buyer/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: buyer.channel ?? 'alipay', outTradeNo: paymentNo, ...(buyer.outcome ? { outcome: buyer.outcome } : {}) }),
      });
      return { status: response.status, body: await response.json() };
    },
    fault(rule) {
      sim.engine.faults.add(rule);
    },
    advance: (ms) => clock.advance(ms),
    async order(orderNo) {
      const answer = await api('GET', `/api/orders/${orderNo}`);
      if (answer.status !== 200) throw new Error(`order ${orderNo}: ${JSON.stringify(answer)}`);
      return answer.body;
    },
    async restartCore() {
      await core.close();
      core = await startCore();
    },
    async close() {
      await core.close();
      await sim.close();
      await webhook.close();
    },
  };
  return paysim;
}

/** The business system's end of the webhook: records every POST, answers as the test says. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: { readonly id: string; readonly type: string; readonly orderNo: string; readonly refundNo?: string; readonly amount: string }[];
  /** `success` acknowledges; `down` answers 503; `wrongBody` answers 200 with a body other than `success`. */
  mode: 'success' | 'down' | 'wrongBody';
  close(): Promise<void>;
}

async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = { received: [], mode: 'success' } as unknown as { -readonly [K in keyof WebhookReceiver]: WebhookReceiver[K] };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (receiver.mode === 'success') response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
      else if (receiver.mode === 'wrongBody') response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      else response.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/paysim-webhook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** The simulator's notifications about one trade, with every attempt. */
export function simNotificationsOf(paysim: Paysim, paymentNo: string) {
  return paysim.sim.engine.outbox.all().filter((notification) => notification.tradeKey.endsWith(`:${paymentNo}`));
}

/** The core's ledger entries of one payment (read from its store: the ledger has no API of its own). */
export function ledgerOf(paysim: Paysim, paymentNo: string) {
  return paysim.core.store.all<{ id: string; kind: string; paymentNo: string | null }>('ledger').filter((entry) => entry.paymentNo === paymentNo);
}

export function failedChecks(paysim: Paysim): string[] {
  return paysim.core.runChecks().results.filter((result) => !result.passed).map((result) => result.name);
}

/** Waits (in real time) until `condition` holds: for work in flight on the loopback, not on the clock. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** How often an installed simulator fault rule has fired. */
export function firedCount(paysim: Paysim, ruleId: string): number {
  return paysim.sim.engine.faults.list().find((rule) => rule.id === ruleId)?.fired ?? 0;
}

// The consumer of the notification contracts: the real core (createCore, in memory, on a virtual clock)
// with its HTTP API and its real notify handling (`POST /notify/<channel>` → connector.parseNotification
// → identity and amount checks → confirm by query → apply → acknowledge). Its channel is the real
// connector (Alipay here; WeChat Pay in wechatpay/notify-support.ts, through startCoreWithConnector), so
// signatures are verified by the official SDK exactly as in production; only the calls the connector
// would make to the channel answer from this harness (`answers`), the way the channel would. Those calls
// have their own contract in the channel's API pact (query of a paid trade, refund query).
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { createCore, type Core } from '../../../core/app.ts';
import { createAlipayChannel } from '../../../core/connectors/alipay/index.ts';
import type { Channel, ChannelPaymentStatus, ChannelRefundStatus } from '../../../core/connectors/channel.ts';
import type { ChannelName } from '../../../core/domain/index.ts';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { contractAppId } from '../../support/participants.ts';

/** The seller id the core's Alipay configuration names; notifications must claim it. */
export const contractSellerId = '2088621954823215';

export interface ApiAnswer {
  readonly status: number;
  readonly body: any;
}

/** The core on one channel's real connector, whatever the channel. */
export interface CoreOnConnector {
  readonly core: Core;
  /** What the channel answers when the core asks it (by payment number, by refund number). */
  readonly answers: { readonly payments: Map<string, ChannelPaymentStatus>; readonly refunds: Map<string, ChannelRefundStatus> };
  api(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** Creates an order and starts a payment of it with the channel's QR method. */
  orderAndPay(amount: string): Promise<{ orderNo: string; paymentNo: string }>;
  /** POSTs a notification body to the core's notify URL of the channel, as the channel does. */
  notify(headers: Record<string, string>, body: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface CoreUnderTest extends CoreOnConnector {
  /** Delivers a notification as Alipay does: a form POST to the core's notify URL. */
  deliverNotification(fields: Readonly<Record<string, string>>, contentType: string): Promise<{ status: number; text: string }>;
}

export interface ConnectorSetup {
  readonly channel: Exclude<ChannelName, 'balance'>;
  /** The real connector; its calls to the channel are answered by the harness. */
  readonly connector: Channel;
  /** What creating a payment answers (the QR code the channel would give). */
  readonly qrCode: string;
  /** The pay method the orders are paid with. */
  readonly payMethod: string;
  /** Prefix of the business order numbers. */
  readonly outOrderPrefix: string;
  readonly seed: number;
}

/** The real core on `setup.connector`, every call out to the channel answered from `answers`. */
export async function startCoreWithConnector(setup: ConnectorSetup): Promise<CoreOnConnector> {
  const answers = { payments: new Map<string, ChannelPaymentStatus>(), refunds: new Map<string, ChannelRefundStatus>() };
  const channel: Channel = {
    ...setup.connector,
    createPayment: async () => ({ kind: 'created', qrCode: setup.qrCode }),
    queryPayment: async (paymentNo) => answers.payments.get(paymentNo) ?? { kind: 'waiting' },
    closePayment: async () => ({ kind: 'closed' }),
    refund: async () => ({ kind: 'accepted' }),
    queryRefund: async (_paymentNo, refundNo) => answers.refunds.get(refundNo) ?? { kind: 'processing' },
    downloadBill: async () => ({ kind: 'notReady' }),
  };
  const core = await createCore({
    clock: new VirtualClock(virtualEpochMs),
    memory: true,
    seed: setup.seed,
    channels: new Map<ChannelName, Channel>([[setup.channel, channel]]),
    config: { port: 0, checksIntervalMs: 0 },
  });
  await core.listen();

  const api = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${core.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
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

  let orders = 0;
  return {
    core,
    answers,
    api,
    async orderAndPay(amount) {
      orders += 1;
      const created = await api('POST', '/api/orders', { outOrderNo: `${setup.outOrderPrefix}-${orders}`, amount, subject: 'paysim contract order' });
      if (created.status !== 201) throw new Error(`order not created: ${JSON.stringify(created)}`);
      const paying = await api('POST', `/api/orders/${created.body.orderNo}/pay`, { method: setup.payMethod });
      if (paying.status !== 200) throw new Error(`payment not started: ${JSON.stringify(paying)}`);
      return { orderNo: created.body.orderNo as string, paymentNo: paying.body.paymentNo as string };
    },
    async notify(headers, body) {
      const response = await fetch(`${core.url}/notify/${setup.channel}`, { method: 'POST', headers, body });
      return { status: response.status, text: await response.text() };
    },
    close: () => core.close(),
  };
}

export async function startCoreUnderTest(): Promise<CoreUnderTest> {
  const connector = createAlipayChannel({
    appId: contractAppId,
    sellerId: contractSellerId,
    privateKeyPem: fixtureKeys.merchant.privateKeyPem,
    alipayPublicKeyPem: fixtureKeys.channel.publicKeyPem,
    // Never called: every method that would call the gateway answers from `answers`.
    gatewayUrl: 'http://127.0.0.1:9/gateway.do',
    endpoint: 'http://127.0.0.1:9',
  });
  const base = await startCoreWithConnector({ channel: 'alipay', connector, qrCode: 'https://qr.alipay.com/bax03206ug2xdbkfafvx0037', payMethod: 'alipay.qr', outOrderPrefix: 'BIZ-PACT', seed: 7 });
  return {
    ...base,
    deliverNotification: (fields, contentType) => base.notify({ 'content-type': contentType }, new URLSearchParams(fields).toString()),
  };
}

// WeChat Pay conformance helpers: a simulator with the fixture keys, both official SDKs pointed at it as
// their READMEs say (wechatpay-axios-plugin by `baseURL`; wechatpay-node-v3 by a PayRequest subclass that
// rewrites the real host), a recorder in front of node-v3 so that its answers can be verified with its own
// `verifySign`, and a loopback merchant that receives notifications with their headers.
import { createRequire } from 'node:module';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Wechatpay } from 'wechatpay-axios-plugin';
import type { SimulatorOptions } from '../../simulator/config.ts';
import type { App } from '../../simulator/engine/types.ts';
import { fixtureKeys } from './keys.ts';
import { startSimulator, type RunningSimulator } from './simulator.ts';

const require = createRequire(import.meta.url);
// node-v3 is CommonJS with `export =`; its request class is the documented seam for another host.
export const NodeV3Pay = require('wechatpay-node-v3') as new (options: Record<string, unknown>) => NodeV3;
const { PayRequest } = require('wechatpay-node-v3/dist/lib/pay-request') as { PayRequest: new () => NodeV3Request };

export const realHost = 'https://api.mch.weixin.qq.com';
export const appid = 'wxd930ea5d5a258f4f';

export interface NodeV3Output {
  status: number;
  data?: any;
  error?: string;
}

interface NodeV3Request {
  get(url: string, headers: Record<string, unknown>): Promise<NodeV3Output>;
  post(url: string, params: Record<string, unknown>, headers: Record<string, unknown>): Promise<NodeV3Output>;
  upload(url: string, params: Record<string, unknown>, headers: Record<string, unknown>): Promise<NodeV3Output>;
}

/** The node-v3 methods the tests use (its typings are `export =`, which an ESM import cannot name). */
export interface NodeV3 {
  createHttp(service: NodeV3Request): void;
  transactions_native(params: Record<string, unknown>): Promise<NodeV3Output>;
  transactions_h5(params: Record<string, unknown>): Promise<NodeV3Output>;
  transactions_jsapi(params: Record<string, unknown>): Promise<NodeV3Output>;
  transactions_app(params: Record<string, unknown>): Promise<NodeV3Output>;
  query(params: { out_trade_no?: string; transaction_id?: string }): Promise<NodeV3Output>;
  close(outTradeNo: string): Promise<NodeV3Output>;
  refunds(params: Record<string, unknown>): Promise<NodeV3Output>;
  find_refunds(outRefundNo: string): Promise<NodeV3Output>;
  tradebill(params: Record<string, unknown>): Promise<NodeV3Output>;
  fundflowbill(params: Record<string, unknown>): Promise<NodeV3Output>;
  downloadBill(downloadUrl: string): Promise<NodeV3Output>;
  verifySign(params: { timestamp: string; nonce: string; body: string; serial: string; signature: string; apiSecret?: string }): Promise<boolean>;
  decipher_gcm<T>(ciphertext: string, associatedData: string, nonce: string, key?: string): T;
}

/** node-v3's certificate cache is static (shared by every instance), so tests reset it. */
export function nodeV3Certificates(): Record<string, string> {
  return (NodeV3Pay as unknown as { certificates: Record<string, string> }).certificates;
}

/** The documented rewrite: the SDK's own request class, with the real host replaced before each call. */
export function hostRewrite(baseUrl: string): NodeV3Request {
  const rewrite = (url: string) => url.replace(realHost, baseUrl);
  return new (class extends PayRequest {
    override get(url: string, headers: Record<string, unknown>) {
      return super.get(rewrite(url), headers);
    }
    override post(url: string, params: Record<string, unknown>, headers: Record<string, unknown>) {
      return super.post(rewrite(url), params, headers);
    }
    override upload(url: string, params: Record<string, unknown>, headers: Record<string, unknown>) {
      return super.upload(rewrite(url), params, headers);
    }
  })();
}

export interface RecordedAnswer {
  readonly target: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface AnswerRecorder {
  readonly url: string;
  readonly answers: RecordedAnswer[];
  last(): RecordedAnswer;
  close(): Promise<void>;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** A loopback pass-through that keeps each answer's headers and exact body (node-v3 returns neither). */
export async function startAnswerRecorder(targetBaseUrl: string): Promise<AnswerRecorder> {
  const target = new URL(targetBaseUrl);
  const answers: RecordedAnswer[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    const body = await readAll(incoming);
    const { connection: _connection, ...headers } = incoming.headers;
    const upstream = request({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...headers, host: target.host } }, async (answer) => {
      const answerBody = await readAll(answer);
      answers.push({ target: incoming.url ?? '/', status: answer.statusCode ?? 0, headers: answer.headers, body: answerBody.toString('utf8') });
      const { 'transfer-encoding': _chunked, connection: _close, ...answerHeaders } = answer.headers;
      outgoing.writeHead(answer.statusCode ?? 502, { ...answerHeaders, 'content-length': String(answerBody.length) }).end(answerBody);
    });
    upstream.on('error', (error) => outgoing.writeHead(599).end(error.message));
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answers,
    last() {
      const answer = answers.at(-1);
      if (!answer) throw new Error('the recorder saw no answer');
      return answer;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** node-v3's verifySign over a recorded answer's headers and exact body. */
export function verifyWithNodeV3(pay: NodeV3, answer: RecordedAnswer, apiSecret?: string): Promise<boolean> {
  const header = (name: string) => String(answer.headers[name] ?? '');
  return pay.verifySign({
    timestamp: header('wechatpay-timestamp'), nonce: header('wechatpay-nonce'), serial: header('wechatpay-serial'), signature: header('wechatpay-signature'),
    body: answer.body, ...(apiSecret ? { apiSecret } : {}),
  });
}

/** The plugin's chain (`v3.pay.transactions.native.post(…)`) is built from property names at run time, untyped. */
export type AxiosChain = Wechatpay & { readonly v3: any };

export interface WechatpaySimulator {
  readonly env: RunningSimulator;
  readonly app: App;
  readonly mchid: string;
  readonly data: Readonly<Record<string, string>>;
  /** axios-plugin with both keys of the merchant's channel trusted, as the bridge gives the core. */
  axios(overrides?: { mchid?: string; privateKey?: string; serial?: string; certs?: Record<string, string> }): AxiosChain;
  /** node-v3 through the answer recorder; `Pay.certificates` holds the public key by its id. */
  nodeV3(overrides?: { privateKey?: string; key?: string }): NodeV3;
  readonly recorder: AnswerRecorder;
  /** The buyer pays (or fails to) without a browser. */
  buyerPays(outTradeNo: string, outcome?: 'success' | 'insufficient'): Promise<void>;
  close(): Promise<void>;
}

export async function startWechatpaySimulator(options: SimulatorOptions = {}): Promise<WechatpaySimulator> {
  const env = await startSimulator(options);
  const mchid = env.sim.defaultAppId('wechatpay');
  const app = env.sim.engine.apps.get('wechatpay', mchid)!;
  const data = app.channelData!;
  const recorder = await startAnswerRecorder(env.url);
  for (const serial of Object.keys(nodeV3Certificates())) delete nodeV3Certificates()[serial];
  return {
    env, app, mchid, data, recorder,
    axios: (overrides = {}) =>
      new Wechatpay({
        mchid: overrides.mchid ?? mchid,
        serial: overrides.serial ?? data.merchantSerial!,
        privateKey: overrides.privateKey ?? fixtureKeys.merchant.privateKeyPem,
        certs: overrides.certs ?? { [data.publicKeyId!]: data.publicKeyPem!, [data.platformSerial!]: data.platformCertPem! },
        baseURL: `${env.url}/`,
      } as ConstructorParameters<typeof Wechatpay>[0]) as unknown as AxiosChain,
    nodeV3: (overrides = {}) => {
      const pay = new NodeV3Pay({ appid, mchid, publicKey: Buffer.from(data.merchantCertPem!), privateKey: Buffer.from(overrides.privateKey ?? fixtureKeys.merchant.privateKeyPem), key: overrides.key ?? data.apiV3Key });
      pay.createHttp(hostRewrite(recorder.url));
      // Public-key mode has no node-v3 support: the documented workaround presets the key by its id (§3.3).
      nodeV3Certificates()[data.publicKeyId!] = data.publicKeyPem!;
      return pay;
    },
    async buyerPays(outTradeNo, outcome = 'success') {
      const response = await fetch(`${env.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'wechatpay', outTradeNo, outcome }) });
      if (response.status !== 200) throw new Error(`buyer could not pay ${outTradeNo}: ${response.status} ${await response.text()}`);
    },
    close: async () => {
      await recorder.close();
      await env.close();
    },
  };
}

export interface NotifyArrival {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface NotifyReceiver {
  readonly url: string;
  readonly arrivals: NotifyArrival[];
  /** The status the next notifications get (default 204). */
  status: number;
  close(): Promise<void>;
}

/** A loopback merchant notify endpoint: keeps each notification's headers and raw body. */
export async function startNotifyReceiver(): Promise<NotifyReceiver> {
  const arrivals: NotifyArrival[] = [];
  const receiver = { status: 204 } as { status: number };
  const server = createServer(async (incoming, outgoing) => {
    const body = (await readAll(incoming)).toString('utf8');
    arrivals.push({ headers: incoming.headers, body });
    if (receiver.status === 204 || receiver.status === 200) outgoing.writeHead(receiver.status).end();
    else outgoing.writeHead(receiver.status, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'FAIL', message: '失败' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify/wechatpay`,
    arrivals,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}

/** The fields of a native order, with a notify URL. */
export function nativeOrder(mchid: string, outTradeNo: string, totalFen: number, notifyUrl = 'http://127.0.0.1:9/notify'): Record<string, unknown> {
  return { appid, mchid, description: 'Coffee beans', out_trade_no: outTradeNo, notify_url: notifyUrl, amount: { total: totalFen, currency: 'CNY' } };
}

/** The answer of a call the plugin rejected (it throws on non-2xx, and on an answer that does not verify). */
export const errorResponse = (error: { response?: any }): any => error.response;

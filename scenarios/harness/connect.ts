// The bridge between a running simulator and a core: the core's connector options for each channel the
// simulator serves, from that channel's default app. `paysim up`, the integration tests, the benchmarks
// and the scenario runner all point a core at a simulator this way. (core and simulator never import
// each other; this is one of the places allowed to know both.)
import { createPrivateKey } from 'node:crypto';
import { connectorModules } from '../../core/connectors/modules.ts';
import type { Simulator } from '../../simulator/server.ts';
import { generatedMerchantKeys } from '../../simulator/default-apps.ts';
import type { App } from '../../simulator/engine/types.ts';

export interface BridgeInput {
  readonly app: App;
  /** The merchant's private key the simulator generated for its default app. */
  readonly merchantPrivateKeyPem: string;
  /** The simulator's base URL, e.g. http://127.0.0.1:4010. */
  readonly simulatorUrl: string;
  readonly timeoutMs?: number;
  /** Sign on a worker thread where the connector can (Alipay's `sdkThread`). */
  readonly sdkThread?: boolean;
}

/** One channel's connector options from its simulated default app. */
export type Bridge = (input: BridgeInput) => unknown;

/** Per channel, how a core connects to the simulated one. Adding a channel is one line here. */
export const bridges: Readonly<Record<string, Bridge>> = {
  alipay: ({ app, merchantPrivateKeyPem, simulatorUrl, timeoutMs, sdkThread }) => ({
    appId: app.appId,
    sellerId: app.sellerId,
    privateKeyPem: merchantPrivateKeyPem,
    alipayPublicKeyPem: app.channelPublicKeyPem,
    gatewayUrl: `${simulatorUrl}/gateway.do`,
    endpoint: simulatorUrl,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(sdkThread ? { sdkThread } : {}),
  }),
  /**
   * The options of core/connectors/wechatpay (WechatpayConnectorOptions; the SDK is wechatpay-axios-plugin):
   * mchid and appid (the simulator binds no app id to a merchant: the bridge names one), the merchant's
   * PKCS#8 key and certificate serial, the APIv3 key, and `platformKeys`, every key WeChat Pay may sign
   * with, keyed by the Wechatpay-Serial it comes under (the public key id, and the platform certificate's
   * serial), so the connector verifies in either key mode. baseUrl is the simulator's root; bill links
   * keep the real host, whose path and query the connector requests from baseUrl.
   */
  wechatpay: ({ app, merchantPrivateKeyPem, simulatorUrl, timeoutMs }) => {
    // The simulator's own record of the merchant: connect.ts is allowed to know both sides.
    const data = app.channelData ?? {};
    const platformKeys: Record<string, string> = {};
    if (data.publicKeyId && data.publicKeyPem) platformKeys[data.publicKeyId] = data.publicKeyPem;
    if (data.platformSerial && data.platformCertPem) platformKeys[data.platformSerial] = data.platformCertPem;
    return {
      mchid: app.appId,
      appid: wechatpayAppIdOf(app.appId),
      merchantSerialNo: data.merchantSerial,
      privateKeyPem: createPrivateKey(merchantPrivateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString(),
      platformKeys,
      apiV3Key: data.apiV3Key,
      baseUrl: simulatorUrl,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
  },
};

/** A stable official-account app id (wx + 16 hex) for a merchant's orders. */
export function wechatpayAppIdOf(mchid: string): string {
  return `wx${Buffer.from(mchid).toString('hex').padEnd(16, '0').slice(0, 16)}`;
}

/**
 * Connector options for every channel the simulator serves and the core has a connector module for (it
 * must be listening), or for those of them `channels` names. Throws naming the
 * channel when its default app has lost its generated private key, or no bridge knows the channel.
 */
export function connectorOptionsFor(simulator: Simulator, options: { timeoutMs?: number; sdkThread?: boolean; bridges?: Readonly<Record<string, Bridge>>; channels?: readonly string[] } = {}): Record<string, unknown> {
  const known = { ...bridges, ...options.bridges };
  // Only channels the core can connect to: its connector modules, and those whose bridge the caller brings
  // (of those, only `channels` when given: a bridge may convert keys, which a swarm would pay for every seed).
  const wanted = new Set([...connectorModules.map((module) => module.name), ...Object.keys(options.bridges ?? {})].filter((channel) => !options.channels || options.channels.includes(channel)));
  const keys = generatedMerchantKeys(simulator.engine);
  const connectors: Record<string, unknown> = {};
  for (const [channel, { app }] of simulator.defaultApps) {
    if (!wanted.has(channel)) continue;
    const bridge = known[channel];
    if (!bridge) throw new Error(`no bridge connects a core to the simulated ${channel} channel; add one to scenarios/harness/connect.ts`);
    const merchantPrivateKeyPem = keys.get(`${channel}:${app.appId}`);
    if (!merchantPrivateKeyPem) {
      throw new Error(`the simulator has no private key of its default ${channel} app ${app.appId}; remove the data dir's simulator files to recreate the default app`);
    }
    connectors[channel] = bridge({ app, merchantPrivateKeyPem, simulatorUrl: simulator.url, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.sdkThread ? { sdkThread: true } : {}) });
  }
  return connectors;
}

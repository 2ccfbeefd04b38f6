// The bridge between a running simulator and a core: the core's connector options for each channel the
// simulator serves, from that channel's default app. `paysim up`, the integration tests, the benchmarks
// and the scenario runner all point a core at a simulator this way. (core and simulator never import
// each other; this is one of the places allowed to know both.)
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
}

/** One channel's connector options from its simulated default app. */
export type Bridge = (input: BridgeInput) => unknown;

/** Per channel, how a core connects to the simulated one. Adding a channel is one line here. */
export const bridges: Readonly<Record<string, Bridge>> = {
  alipay: ({ app, merchantPrivateKeyPem, simulatorUrl, timeoutMs }) => ({
    appId: app.appId,
    sellerId: app.sellerId,
    privateKeyPem: merchantPrivateKeyPem,
    alipayPublicKeyPem: app.channelPublicKeyPem,
    gatewayUrl: `${simulatorUrl}/gateway.do`,
    endpoint: simulatorUrl,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  }),
};

/**
 * Connector options for every channel the simulator serves (it must be listening). Throws naming the
 * channel when its default app has lost its generated private key, or no bridge knows the channel.
 */
export function connectorOptionsFor(simulator: Simulator, options: { timeoutMs?: number; bridges?: Readonly<Record<string, Bridge>> } = {}): Record<string, unknown> {
  const known = { ...bridges, ...options.bridges };
  const keys = generatedMerchantKeys(simulator.engine);
  const connectors: Record<string, unknown> = {};
  for (const [channel, { app }] of simulator.defaultApps) {
    const bridge = known[channel];
    if (!bridge) throw new Error(`no bridge connects a core to the simulated ${channel} channel; add one to scenarios/harness/connect.ts`);
    const merchantPrivateKeyPem = keys.get(`${channel}:${app.appId}`);
    if (!merchantPrivateKeyPem) {
      throw new Error(`the simulator has no private key of its default ${channel} app ${app.appId}; remove the data dir's simulator files to recreate the default app`);
    }
    connectors[channel] = bridge({ app, merchantPrivateKeyPem, simulatorUrl: simulator.url, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  }
  return connectors;
}

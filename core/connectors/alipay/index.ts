// The core's Alipay connector module: the Channel interface on top of the official alipay-sdk (v2
// gateway), the pay methods it serves, and its options. It never imports the simulator: the two sides
// implement the protocol independently.
import { defaultRoutingTable } from '../../domain/routing.ts';
import type { Channel, NotifyVerdict, NotifyWireReply } from '../channel.ts';
import { lazyChannel } from '../lazy.ts';
import type { ConnectorModule } from '../module.ts';
import { alipayMethods } from './methods.ts';
import { resolveOptions, type AlipayConnectorOptions, type ResolvedOptions } from './options.ts';
import { textField } from './wire.ts';

export type { AlipayConnectorOptions } from './options.ts';
export { AlipayRequestRefusedError } from './errors.ts';

/**
 * Alipay's acknowledgement is exactly these 7 characters, or it resends for 25 hours; anything else is
 * a refusal it resends on its schedule (400: it does not check out, 503: not confirmed yet).
 */
const notifyReplies: Record<NotifyVerdict, NotifyWireReply> = {
  acknowledged: { status: 200, body: 'success', contentType: 'text/plain' },
  rejected: { status: 400, body: 'fail', contentType: 'text/plain' },
  unconfirmed: { status: 503, body: 'fail', contentType: 'text/plain' },
};

/** Builds the connector; throws a TypeError at once when an option (key, URL, timeout) is wrong. */
export function createAlipayChannel(options: AlipayConnectorOptions): Channel {
  return channelOf(resolveOptions(options));
}

function channelOf(resolved: ResolvedOptions): Channel {
  return lazyChannel(
    {
      name: 'alipay',
      appId: resolved.appId,
      ...(resolved.sellerId !== undefined ? { sellerId: resolved.sellerId } : {}),
      notifyReply: (verdict) => notifyReplies[verdict],
      // The sync return carries the trade's out_trade_no (our payment number) among signed parameters;
      // the services only use it to decide what to query.
      paymentNoOfReturn: (params) => textField(params.out_trade_no),
    },
    // alipay-sdk is imported on the first call, not when the core starts.
    async () => (await import('./live.ts')).liveChannel(resolved),
  );
}

export const alipayConnector: ConnectorModule<ResolvedOptions> = {
  name: 'alipay',
  // The public surface's Alipay methods, as the default routing table has them.
  routes: alipayMethods.map((method) => defaultRoutingTable[method]),
  parseOptions: (input) => resolveOptions(input as AlipayConnectorOptions),
  create: channelOf,
};

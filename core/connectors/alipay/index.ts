// The core's Alipay connector module: the Channel interface on top of the official alipay-sdk (v2
// gateway), the pay methods it serves, and its options. It never imports the simulator: the two sides
// implement the protocol independently.
import { defaultRoutingTable } from '../../domain/routing.ts';
import type { Channel, NotifyVerdict, NotifyWireReply } from '../channel.ts';
import type { ConnectorModule } from '../module.ts';
import { readAlipayBill } from './bill-rows.ts';
import { downloadBill } from './bills.ts';
import { verifyNotification } from './notifications.ts';
import { resolveOptions, type AlipayConnectorOptions, type ResolvedOptions } from './options.ts';
import { alipayMethods, closePayment, createPayment, queryPayment } from './payments.ts';
import { queryRefund, refund } from './refunds.ts';
import { createGateway, createSdk, signingCalls } from './sdk.ts';
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
  const sdk = createSdk(resolved);
  const calls = signingCalls(sdk, resolved);
  const gateway = createGateway(calls);
  const payments = { calls, gateway };
  return {
    name: 'alipay',
    appId: resolved.appId,
    ...(resolved.sellerId !== undefined ? { sellerId: resolved.sellerId } : {}),
    createPayment: (request) => createPayment(payments, request),
    queryPayment: (paymentNo) => queryPayment(payments, paymentNo),
    closePayment: (paymentNo) => closePayment(payments, paymentNo),
    refund: (request) => refund(gateway, request),
    queryRefund: (paymentNo, refundNo) => queryRefund(gateway, paymentNo, refundNo),
    verifyNotification: async (incoming) => verifyNotification(sdk, incoming),
    notifyReply: (verdict) => notifyReplies[verdict],
    // The sync return carries the trade's out_trade_no (our payment number) among signed parameters;
    // the services only use it to decide what to query.
    paymentNoOfReturn: (params) => textField(params.out_trade_no),
    downloadBill: (billDate) => downloadBill({ gateway, timeoutMs: resolved.timeoutMs }, billDate),
    readBill: readAlipayBill,
  };
}

export const alipayConnector: ConnectorModule<ResolvedOptions> = {
  name: 'alipay',
  // The public surface's Alipay methods, as the default routing table has them.
  routes: alipayMethods.map((method) => defaultRoutingTable[method]),
  parseOptions: (input) => resolveOptions(input as AlipayConnectorOptions),
  create: channelOf,
};

// The core's Alipay connector: the Channel interface on top of the official alipay-sdk (v2 gateway).
// It never imports the simulator: the two sides implement the protocol independently.
import type { Channel } from '../channel.ts';
import { downloadBill } from './bills.ts';
import { parseNotification } from './notifications.ts';
import { resolveOptions, type AlipayConnectorOptions } from './options.ts';
import { closePayment, createPayment, queryPayment } from './payments.ts';
import { queryRefund, refund } from './refunds.ts';
import { createGateway, createSdk } from './sdk.ts';

export type { AlipayConnectorOptions } from './options.ts';
export { AlipayRequestRefusedError } from './errors.ts';

/** Alipay's acknowledgement: exactly these 7 characters, or it resends for 25 hours. */
const acknowledgement = { status: 200, body: 'success', contentType: 'text/plain' } as const;

/** Builds the connector; throws a TypeError at once when an option (key, URL, timeout) is wrong. */
export function createAlipayChannel(options: AlipayConnectorOptions): Channel {
  const resolved = resolveOptions(options);
  const sdk = createSdk(resolved);
  const gateway = createGateway(sdk);
  const payments = { sdk, gateway };
  return {
    name: 'alipay',
    appId: resolved.appId,
    ...(resolved.sellerId !== undefined ? { sellerId: resolved.sellerId } : {}),
    createPayment: (request) => createPayment(payments, request),
    queryPayment: (paymentNo) => queryPayment(payments, paymentNo),
    closePayment: (paymentNo) => closePayment(payments, paymentNo),
    refund: (request) => refund(gateway, request),
    queryRefund: (paymentNo, refundNo) => queryRefund(gateway, paymentNo, refundNo),
    parseNotification: (incoming) => parseNotification(sdk, incoming),
    acknowledgement,
    downloadBill: (billDate) => downloadBill({ gateway, timeoutMs: resolved.timeoutMs }, billDate),
  };
}

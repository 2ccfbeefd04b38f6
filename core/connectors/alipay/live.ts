// The SDK-backed half of the Alipay connector (see ../lazy.ts): imported on the channel's first use.
import type { LiveChannel } from '../lazy.ts';
import { readAlipayBill } from './bill-rows.ts';
import { downloadBill } from './bills.ts';
import { verifyNotification } from './notifications.ts';
import type { ResolvedOptions } from './options.ts';
import { closePayment, createPayment, queryPayment } from './payments.ts';
import { queryRefund, refund } from './refunds.ts';
import { createGateway, createSdk, signingCalls } from './sdk.ts';

export function liveChannel(resolved: ResolvedOptions): LiveChannel {
  const sdk = createSdk(resolved);
  const calls = signingCalls(sdk, resolved);
  const gateway = createGateway(calls);
  const payments = { calls, gateway };
  return {
    createPayment: (request) => createPayment(payments, request),
    queryPayment: (paymentNo) => queryPayment(payments, paymentNo),
    closePayment: (paymentNo) => closePayment(payments, paymentNo),
    refund: (request) => refund(gateway, request),
    queryRefund: (paymentNo, refundNo) => queryRefund(gateway, paymentNo, refundNo),
    verifyNotification: async (incoming) => verifyNotification(sdk, incoming),
    downloadBill: (billDate) => downloadBill({ gateway, timeoutMs: resolved.timeoutMs }, billDate),
    readBill: readAlipayBill,
  };
}

// The SDK-backed half of the WeChat Pay connector (see ../lazy.ts): imported on the channel's first use.
import { Wechatpay } from 'wechatpay-axios-plugin';
import type { LiveChannel } from '../lazy.ts';
import { readWechatpayBill } from './bill-rows.ts';
import { downloadBill } from './bills.ts';
import { createNotificationVerifier } from './notifications.ts';
import type { ResolvedOptions } from './options.ts';
import { closePayment, createPayment, queryPayment } from './payments.ts';
import { queryRefund, refund } from './refunds.ts';
import { answerBytesMax } from './sdk.ts';

export function createSdk(options: ResolvedOptions): Wechatpay {
  return new Wechatpay({
    mchid: options.mchid,
    serial: options.merchantSerialNo,
    privateKey: options.privateKeyPem,
    certs: { ...options.platformKeys },
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxContentLength: answerBytesMax,
    // The SDK verifies an answer only when validateStatus accepts its status. WeChat signs business
    // errors too (docs/wechatpay-protocol.md §3.1), so accepting every status makes the SDK verify
    // 404 ORDER_NOT_EXIST as it verifies 200: an unsigned "no such order" is never believed.
    validateStatus: () => true,
  });
}

export function liveChannel(resolved: ResolvedOptions): LiveChannel {
  const sdk = createSdk(resolved);
  const payments = { sdk, options: resolved };
  const verifier = createNotificationVerifier(resolved);
  return {
    createPayment: (request) => createPayment(payments, request),
    queryPayment: (paymentNo) => queryPayment(payments, paymentNo),
    closePayment: (paymentNo) => closePayment(payments, paymentNo),
    refund: (request) => refund(sdk, request),
    queryRefund: (paymentNo, refundNo) => queryRefund(sdk, paymentNo, refundNo),
    verifyNotification: async (incoming) => verifier.verify(incoming),
    downloadBill: (billDate) => downloadBill(sdk, billDate),
    readBill: readWechatpayBill,
  };
}

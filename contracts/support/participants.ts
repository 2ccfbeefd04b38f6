// Who the contracts are between, and where the pact files live. One consumer (the core's Alipay
// connector and notify handling) and two provider interfaces of the simulator: its HTTP surface
// (the v2 gateway and the bill download) and the notifications it sends.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const consumerName = 'paysim-core';
export const gatewayProviderName = 'paysim-alipay-gateway';
export const notifyProviderName = 'paysim-alipay-notify';

/** Committed: `npm run contracts` regenerates them (consumer) and verifies the simulator against them (provider). */
export const pactDirectory = fileURLToPath(new URL('../pacts/', import.meta.url));
export const gatewayPactFile = join(pactDirectory, `${consumerName}-${gatewayProviderName}.json`);
export const notifyPactFile = join(pactDirectory, `${consumerName}-${notifyProviderName}.json`);

/**
 * The app both sides use: the simulator's default Alipay app, registered with the fixture keys
 * (test/fixtures/keys: the merchant signs requests with merchant_private.pem; the channel signs
 * answers and notifications with channel_private.pem).
 */
export const contractAppId = '2021000000000001';

/** The pact core's own log level; its verifier report is printed whatever this says. */
export const pactLogLevel = 'error' as const;

/** The WeChat Pay providers: the simulator's API v3 surface and the notifications it sends. */
export const wechatpayApiProviderName = 'paysim-wechatpay-api';
export const wechatpayNotifyProviderName = 'paysim-wechatpay-notify';
export const wechatpayApiPactFile = join(pactDirectory, `${consumerName}-${wechatpayApiProviderName}.json`);
export const wechatpayNotifyPactFile = join(pactDirectory, `${consumerName}-${wechatpayNotifyProviderName}.json`);

/**
 * The WeChat Pay merchant both sides use: the simulator's default WeChat Pay merchant, registered with the
 * fixture keys (the merchant signs with merchant_private.pem; WeChat Pay signs with channel_private.pem
 * under the public key id below, and encrypts notification resources with the APIv3 key).
 */
export const wechatpayContract = {
  mchid: '1900000001',
  appid: 'wx8888888888888888',
  merchantSerialNo: '3775B6A45ACD588826D15E583A95F5DD2C1D6A6B',
  platformKeyId: 'PUB_KEY_ID_0119000000012026010100000000000001',
  apiV3Key: 'paysimContractApiV3Key0123456789',
} as const;

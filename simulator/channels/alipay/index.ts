// The Alipay module: its dialect (identifiers, notifications, timings) for the engine, its routes, its
// fault apis, its config and its default app. It is one line in simulator/channels/modules.ts.
import { join } from 'node:path';
import { makePrivateDirectoryUnder, writePrivateFile } from '../../../lib/private-files.ts';
import { boolean, choice, integer, type Schema } from '../../../lib/config-schema.ts';
import type { CashierReturn } from '../../cashier/routes.ts';
import type { ChannelDialect } from '../../engine/context.ts';
import type { App } from '../../engine/types.ts';
import type { ChannelModule } from '../module.ts';
import { defaultAlipayConfig, type AlipayConfig } from './config.ts';
import { alipayAppId, alipayAppIdPattern, alipayBuyer, alipayNotifyId, alipayRefundNo, alipaySellerId, alipayTradeNo } from './ids.ts';
import { alipayNotificationDialect, returnParameters, withNotifyTimeOfFirstAttempt } from './notify.ts';
import { alipayMethods, alipayRoutes } from './routes.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** What the engine needs from Alipay: its notification rules, identifier shapes and timings. */
export const alipayChannelDialect: ChannelDialect = {
  ...alipayNotificationDialect,
  tradeNo: alipayTradeNo,
  notificationId: alipayNotifyId,
  refundNo: (random, trade) => alipayRefundNo(random, trade),
  appIdPattern: alipayAppIdPattern,
  freshAppId: alipayAppId,
  sellerId: alipaySellerId,
  buyer: alipayBuyer,
  refundApis: ['alipay.trade.refund', 'POST /v3/alipay/trade/refund'],
  // 15 days when the request names no timeout_express / time_expire (docs/alipay-protocol.md).
  tradeLifetimeMsDefault: 15 * dayMs,
  // A paid trade can be refunded for 3 months, then it is TRADE_FINISHED.
  refundWindowMsDefault: 90 * dayMs,
};

/** The methods and paths the gateway decides faults for: every method, by name and by its v3 path. */
const knownApis = [
  'POST /gateway.do',
  'GET /gateway.do',
  ...Object.keys(alipayMethods).flatMap((method) => [method, `${method.startsWith('alipay.data.') ? 'GET' : 'POST'} /v3/${method.replaceAll('.', '/')}`]),
];

const configSchema: Schema = {
  strictParameters: boolean,
  v3BusinessErrorStatus: integer(200, 599),
  v3ErrorCodeStyle: choice('prefixed', 'bare'),
  emptyBill: choice('file', 'not_exist'),
  billUrlTtlMs: integer(1_000, 24 * 60 * 60 * 1000, 'ms'),
  bodyBytesMax: integer(1_024, 64 * 1024 * 1024, 'bytes'),
  serviceFeeBasisPoints: integer(0, 10_000, 'basis points'),
  notifyTimeOnResend: choice('send', 'first'),
  partialRefundWithoutRequestNo: choice('refuse', 'accept'),
  timeExpireRange: choice('enforce', 'ignore'),
};

export const alipayModule: ChannelModule = {
  name: 'alipay',
  title: 'Alipay',
  endpoints: [
    { label: 'gateway (v2)', path: '/gateway.do' },
    { label: 'OpenAPI v3', path: '/v3/alipay/...' },
  ],
  dialect: alipayChannelDialect,
  knownApis,
  configSchema,
  appIdField: 'appId',
  defaultApp: { appId: '2021000000000001', name: 'paysim 默认商户 (default merchant)' },

  install(engine, config, baseUrl) {
    const fullConfig: AlipayConfig = { ...defaultAlipayConfig, ...(config as Partial<AlipayConfig>) };
    engine.registerDialect('alipay', fullConfig.notifyTimeOnResend === 'first' ? withNotifyTimeOfFirstAttempt(alipayChannelDialect) : alipayChannelDialect);
    const cashier: CashierReturn = {
      title: '支付宝 收银台',
      async afterPay(trade, app) {
        if (!trade.returnUrl) return undefined;
        const params = await returnParameters(trade, app, engine.clock.now());
        return `${trade.returnUrl}${trade.returnUrl.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`;
      },
      afterCancel(trade) {
        return trade.quitUrl ?? trade.returnUrl;
      },
    };
    const { router, directRoute } = alipayRoutes({ engine, config: fullConfig, baseUrl });
    return { router, directRoute, cashier };
  },

  writeKeyFiles: writeAlipayKeyFiles,
};

/** The key files of an Alipay app, in the layout README gives: keys/alipay/<appId>/*.pem. */
async function writeAlipayKeyFiles(dataDir: string, app: App, merchantPrivateKeyPem: string | undefined): Promise<Record<string, string>> {
  const directory = join(dataDir, 'keys', 'alipay', app.appId);
  await makePrivateDirectoryUnder(dataDir, directory);
  const files = {
    'app private key': join(directory, 'app_private_key.pem'),
    'app public key': join(directory, 'app_public_key.pem'),
    'alipay public key': join(directory, 'alipay_public_key.pem'),
  };
  const writes: [string, string | undefined][] = [
    [files['app private key'], merchantPrivateKeyPem],
    [files['app public key'], app.merchantPublicKeyPem],
    [files['alipay public key'], app.channelPublicKeyPem],
  ];
  // Each file is its own atomic write, so they go to the disk together (every start rewrites them).
  await Promise.all(writes.map(([path, content]) => (content === undefined ? undefined : writePrivateFile(path, content))));
  return files;
}

export { defaultAlipayConfig, type AlipayConfig };

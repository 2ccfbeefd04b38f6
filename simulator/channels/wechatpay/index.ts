// The WeChat Pay module: its dialect (identifiers, notifications, timings, the app's keys and
// certificates) for the engine, its routes, its fault apis, its config, its default merchant and how a
// merchant registers. It is one line in simulator/channels/modules.ts.
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { makePrivateDirectoryUnder, writePrivateFile } from '../../../lib/private-files.ts';
import { boolean, choice, integer, type Schema } from '../../../lib/config-schema.ts';
import { systemWallClock, type WallClock } from '../../../lib/clock.ts';
import type { CashierReturn } from '../../cashier/routes.ts';
import type { ChannelDialect } from '../../engine/context.ts';
import type { App } from '../../engine/types.ts';
import type { AppRegistration, ChannelModule } from '../module.ts';
import { completeWechatpayApp, wechatpayData } from './app-data.ts';
import { issueCertificate, readCertificate } from './certs.ts';
import { defaultWechatpayConfig, type WechatpayConfig } from './config.ts';
import { certificateSerial, wechatpayBuyer, wechatpayMchid, wechatpayMchidPattern, wechatpayNotificationId, wechatpayRefundId, wechatpayTransactionId } from './ids.ts';
import { wechatpayNotificationDialect } from './notify.ts';
import { wechatpayApis, wechatpayRoutes } from './routes.ts';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;

/** What the engine needs from WeChat Pay, for a config and a wall clock (notification timestamps). */
export function wechatpayChannelDialect(config: Pick<WechatpayConfig, 'keyMode' | 'notifyAttemptTimeoutMs'>, wallClock: WallClock): ChannelDialect {
  return {
    ...wechatpayNotificationDialect(config, wallClock),
    tradeNo: wechatpayTransactionId,
    notificationId: wechatpayNotificationId,
    refundNo: wechatpayRefundId,
    appIdPattern: wechatpayMchidPattern,
    freshAppId: wechatpayMchid,
    // A direct merchant is its own account: the mchid.
    sellerId: () => '',
    buyer: wechatpayBuyer,
    refundApis: ['POST /v3/refund/domestic/refunds'],
    // Unpaid orders close after about 2 hours when time_expire is absent. [L] §6.1 (engine.defaultTradeLifetimeMs overrides)
    tradeLifetimeMsDefault: 2 * hourMs,
    // Refunds are taken within a year of payment (§6.4).
    refundWindowMsDefault: 365 * dayMs,
    completeApp: (app, random) => completeWechatpayApp({ ...app, sellerId: app.appId }, random),
  };
}

const configSchema: Schema = {
  keyMode: choice('public_key', 'platform_certificate'),
  certificatesInPublicKeyMode: choice('serve', 'not_found'),
  signAuthorizationErrors: boolean,
  serialMismatch: choice('sign_error', 'system_error'),
  timestampSkewSecondsMax: integer(1, 24 * 60 * 60, 's'),
  payUrlStyle: choice('cashier', 'real'),
  billDownloadHost: choice('real', 'simulator'),
  billUrlTtlMs: integer(1_000, dayMs, 'ms'),
  billLineEnding: choice('lf', 'crlf'),
  bodyBytesMax: integer(1_024, 64 * 1024 * 1024, 'bytes'),
  serviceFeeBasisPoints: integer(0, 10_000, 'basis points'),
  refundFeeReturn: choice('proportional', 'rate'),
  notifyAttemptTimeoutMs: integer(1, 10 * 60_000, 'real ms'),
};

/** `merchantCertPem` (its serial is then checked) or a bare `publicKeyPem` (any serial passes). */
function readRegistration(body: Readonly<Record<string, unknown>>): AppRegistration {
  const certPem = body.merchantCertPem;
  const publicKeyPem = body.publicKeyPem;
  if (certPem !== undefined && publicKeyPem !== undefined) return { ok: false, message: 'give "merchantCertPem" or "publicKeyPem", not both' };
  if (typeof certPem === 'string' && certPem !== '') {
    const cert = readCertificate(certPem);
    if (!cert.ok) return cert;
    return { ok: true, merchantPublicKeyPem: cert.publicKeyPem, channelData: { merchantSerial: cert.serial, merchantCertPem: certPem } };
  }
  if (typeof publicKeyPem === 'string' && publicKeyPem !== '') return { ok: true, merchantPublicKeyPem: publicKeyPem };
  return { ok: false, message: '"merchantCertPem" (the merchant API certificate, PEM) or "publicKeyPem" (its RSA public key) is required' };
}

/** What POST /_sim/apps answers (SURFACE.md), and GET /_sim/apps adds. */
function describeApp(app: App): Record<string, unknown> {
  const data = wechatpayData(app);
  return {
    mchid: app.appId,
    apiV3Key: data.apiV3Key,
    platformSerial: data.platformSerial,
    platformCertPem: data.platformCertPem,
    platformPublicKeyId: data.publicKeyId,
    platformPublicKeyPem: data.publicKeyPem,
    ...(data.merchantSerial ? { merchantSerial: data.merchantSerial } : {}),
  };
}

export const wechatpayModule: ChannelModule = {
  name: 'wechatpay',
  title: 'WeChat Pay',
  endpoints: [{ label: 'API v3', path: '/' }],
  dialect: wechatpayChannelDialect(defaultWechatpayConfig, systemWallClock),
  knownApis: wechatpayApis.map((api) => api.name),
  configSchema,
  appIdField: 'mchid',
  defaultApp: { appId: '1900000001', name: 'paysim 默认商户 (default merchant)' },
  secondaryChannelKey: true,
  readRegistration,
  registrationFields: ['merchantCertPem'],
  describeApp,
  defaultAppData(merchant, random, nowMs) {
    // The high first byte makes node-v3 send the serial with a leading 00 (§2.2), so every default run exercises that path.
    const serial = `9${certificateSerial(random).slice(1)}`;
    const cert = issueCertificate({ ...merchant, serial, commonName: 'paysim default merchant', nowMs });
    return { merchantSerial: cert.serial, merchantCertPem: cert.certPem };
  },

  install(engine, config, baseUrl) {
    const fullConfig: WechatpayConfig = { ...defaultWechatpayConfig, ...(config as Partial<WechatpayConfig>) };
    engine.registerDialect('wechatpay', wechatpayChannelDialect(fullConfig, engine.ctx.wallClock));
    // WeChat Pay has no browser return: after paying the buyer stays in WeChat.
    const cashier: CashierReturn = { title: '微信支付 收银台', afterPay: async () => undefined, afterCancel: () => undefined };
    const { router, directRoute } = wechatpayRoutes({ engine, config: fullConfig, baseUrl });
    return { router, directRoute, cashier };
  },

  writeKeyFiles: writeWechatpayKeyFiles,
};

/** The key files of a WeChat Pay merchant, in the layout README gives: keys/wechatpay/<mchid>/*. */
async function writeWechatpayKeyFiles(dataDir: string, app: App, merchantPrivateKeyPem: string | undefined): Promise<Record<string, string>> {
  const directory = join(dataDir, 'keys', 'wechatpay', app.appId);
  await makePrivateDirectoryUnder(dataDir, directory);
  const data = wechatpayData(app);
  const file = (name: string) => join(directory, name);
  const writes: [label: string, path: string, content: string | undefined][] = [
    // apiclient_key.pem is PKCS#8, as the merchant platform's tool writes it.
    ['merchant private key', file('apiclient_key.pem'), merchantPrivateKeyPem && createPrivateKey(merchantPrivateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString()],
    ['merchant certificate', file('apiclient_cert.pem'), data.merchantCertPem],
    ['merchant public key', file('apiclient_public_key.pem'), app.merchantPublicKeyPem],
    ['APIv3 key', file('apiv3_key.txt'), data.apiV3Key],
    ['platform certificate', file(`wechatpay_${data.platformSerial}.pem`), data.platformCertPem],
    ['WeChat Pay public key', file('pub_key.pem'), data.publicKeyPem],
  ];
  // Each file is its own atomic write, so they go to the disk together (every start rewrites them).
  const written = writes.filter((write): write is [string, string, string] => write[2] !== undefined);
  await Promise.all(written.map(([, path, content]) => writePrivateFile(path, content)));
  return Object.fromEntries(written.map(([label, path]) => [label, path]));
}

export { defaultWechatpayConfig, type WechatpayConfig };

// What the simulator keeps for a WeChat Pay merchant besides its public key (App.channelData): the APIv3
// key, the merchant certificate's serial (absent for a bare public key: any serial then passes), the
// platform certificate (over the app's channel key pair) and the WeChat Pay public key with its id (a
// second key pair), and which of the two signs an answer (docs/wechatpay-protocol.md §3.2).
import type { KeyObject } from 'node:crypto';
import type { Random } from '../../../lib/random.ts';
import { channelSecondaryPrivateKey, channelSecondaryPublicKey } from '../../default-apps.ts';
import { generateRsaKeyPair, privateKeyObject } from '../../engine/keys.ts';
import type { App } from '../../engine/types.ts';
import { issueCertificate } from './certs.ts';
import type { WechatpayConfig } from './config.ts';
import { certificateSerial, publicKeyId, wechatpayApiV3Key } from './ids.ts';
import { normalizeSerial } from './sign.ts';

export interface WechatpayAppData {
  readonly apiV3Key: string;
  /** Upper-case hex without a leading 00; absent when the merchant registered a bare public key. */
  readonly merchantSerial?: string;
  /** The merchant API certificate, when the simulator issued it (the default merchant) or was given it. */
  readonly merchantCertPem?: string;
  readonly platformSerial: string;
  readonly platformCertPem: string;
  readonly platformNotBeforeMs: string;
  readonly platformNotAfterMs: string;
  readonly publicKeyId: string;
  readonly publicKeyPem: string;
  readonly publicKeyPrivateKeyPem: string;
}

/** The app's WeChat Pay data; an app without it was not completed by this dialect, which is a bug. */
export function wechatpayData(app: App): WechatpayAppData {
  const data = app.channelData as Partial<WechatpayAppData> | undefined;
  if (!data?.apiV3Key || !data.platformCertPem || !data.publicKeyId || !data.publicKeyPrivateKeyPem) {
    throw new Error(`wechatpay app ${app.appId} has no APIv3 key or platform keys; it was registered without the wechatpay dialect`);
  }
  return data as WechatpayAppData;
}

/** Completes a new app: APIv3 key, platform certificate, public key id and key (dialect.completeApp). */
export function completeWechatpayApp(app: App, random: Random): App {
  const given = app.channelData ?? {};
  const secondary = given[channelSecondaryPrivateKey] && given[channelSecondaryPublicKey]
    ? { privateKeyPem: given[channelSecondaryPrivateKey], publicKeyPem: given[channelSecondaryPublicKey] }
    : generateRsaKeyPair();
  const platform = issueCertificate({
    privateKeyPem: app.channelPrivateKeyPem,
    publicKeyPem: app.channelPublicKeyPem,
    serial: certificateSerial(random),
    commonName: `Tenpay.com sign ${app.appId}`,
    nowMs: app.createdAtMs,
  });
  const { [channelSecondaryPrivateKey]: _private, [channelSecondaryPublicKey]: _public, ...rest } = given;
  const data: WechatpayAppData = {
    ...rest,
    apiV3Key: wechatpayApiV3Key(random),
    platformSerial: platform.serial,
    platformCertPem: platform.certPem,
    platformNotBeforeMs: String(platform.notBeforeMs),
    platformNotAfterMs: String(platform.notAfterMs),
    publicKeyId: publicKeyId(random, app.appId),
    publicKeyPem: secondary.publicKeyPem,
    publicKeyPrivateKeyPem: secondary.privateKeyPem,
  };
  return { ...app, channelData: { ...data } as unknown as Record<string, string> };
}

export interface SigningKey {
  /** What Wechatpay-Serial says: the platform certificate serial or the public key id. */
  readonly serial: string;
  readonly privateKey: KeyObject;
}

/**
 * The key that signs an answer: the one a request's `Wechatpay-Serial` names (during migration the answer
 * follows the request, §3.2), else the configured mode's.
 */
export function signingKeyFor(app: App, config: Pick<WechatpayConfig, 'keyMode'>, requestedSerial?: string): SigningKey {
  const data = wechatpayData(app);
  const platform = { serial: data.platformSerial, privateKey: privateKeyObject(app.channelPrivateKeyPem) };
  const publicKey = { serial: data.publicKeyId, privateKey: privateKeyObject(data.publicKeyPrivateKeyPem) };
  if (requestedSerial === data.publicKeyId) return publicKey;
  if (requestedSerial !== undefined && normalizeSerial(requestedSerial) === data.platformSerial) return platform;
  return config.keyMode === 'public_key' ? publicKey : platform;
}

/** The platform certificate's key, which always signs GET /v3/certificates (clients verify it with the certificate itself). */
export function platformKeyOf(app: App): SigningKey {
  return { serial: wechatpayData(app).platformSerial, privateKey: privateKeyObject(app.channelPrivateKeyPem) };
}

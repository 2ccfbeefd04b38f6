// The connector's configuration: one typed object, checked once when the connector is built, so a wrong
// key, id or URL fails at start with a message that says how to fix it, not on the first payment.
import { privateKeyObject, publicKeyObject } from '../../../lib/key-objects.ts';

export interface WechatpayConnectorOptions {
  /** The merchant id (商户号), digits, e.g. 1900000001. */
  readonly mchid: string;
  /** The app id bound to the merchant (公众账号/应用 ID), e.g. wx8888888888888888. */
  readonly appid: string;
  /** Serial number of the merchant API certificate (商户API证书序列号), hex: it names the key requests are signed with. */
  readonly merchantSerialNo: string;
  /** The merchant API private key (apiclient_key.pem): PKCS#8 as WeChat issues it, or PKCS#1. */
  readonly privateKeyPem: string;
  /**
   * The keys WeChat Pay signs answers and notifications with, by the `Wechatpay-Serial` they come under:
   * the WeChat Pay public key under its id (`PUB_KEY_ID_…`), and/or platform certificates under their
   * serial. Values are PEM public keys or certificates.
   */
  readonly platformKeys: Readonly<Record<string, string>>;
  /** The APIv3 key (APIv3密钥): 32 characters, the AEAD_AES_256_GCM key of notification resources. */
  readonly apiV3Key: string;
  /** Where the API lives, e.g. http://127.0.0.1:4010 (the real host is https://api.mch.weixin.qq.com). */
  readonly baseUrl: string;
  /** Timeout of one HTTP call to the channel. */
  readonly timeoutMs?: number;
  /** How far a notification's Wechatpay-Timestamp may be from the time it is received (WeChat: 5 minutes). */
  readonly notifyTimestampSkewMsMax?: number;
  /**
   * Real time in epoch ms, what notification timestamps are compared with (default Date.now). WeChat Pay
   * signs with its servers' real time, and the SDK checks answers' timestamps against Date.now() too, so
   * this is not the core's (possibly virtual) clock. Tests pin it.
   */
  readonly wallClock?: () => number;
}

export type ResolvedOptions = Required<WechatpayConnectorOptions>;

export const connectorDefaults = {
  timeoutMs: 5_000,
  notifyTimestampSkewMsMax: 5 * 60_000,
  wallClock: () => Date.now(),
} as const;

const optionNames = ['mchid', 'appid', 'merchantSerialNo', 'privateKeyPem', 'platformKeys', 'apiV3Key', 'baseUrl', 'timeoutMs', 'notifyTimestampSkewMsMax', 'wallClock'];

/** Longest timeout accepted: a call that may hang longer than this would stall the services. */
const timeoutMsMax = 120_000;
const skewMsMax = 60 * 60_000;

/** Checks every option and fills defaults; throws a TypeError naming the bad option and the fix. */
export function resolveOptions(options: WechatpayConnectorOptions): ResolvedOptions {
  const fail = (message: string): never => {
    throw new TypeError(`wechatpay connector: ${message}`);
  };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail(`options must be an object {${optionNames.join(', ')}}`);
  }
  const unknown = Object.keys(options).filter((key) => !optionNames.includes(key));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')}; known: ${optionNames.join(', ')}`);
  if (typeof options.mchid !== 'string' || !/^\d{1,32}$/.test(options.mchid)) fail(`mchid must be the merchant id, digits such as 1900000001, got ${JSON.stringify(options.mchid)}`);
  if (typeof options.appid !== 'string' || !/^[A-Za-z0-9_]{1,32}$/.test(options.appid)) fail(`appid must be the app id bound to the merchant, such as wx8888888888888888, got ${JSON.stringify(options.appid)}`);
  if (typeof options.merchantSerialNo !== 'string' || !/^[0-9A-Fa-f]{1,64}$/.test(options.merchantSerialNo)) {
    fail(`merchantSerialNo must be the hex serial of the merchant API certificate (openssl x509 -noout -serial -in apiclient_cert.pem), got ${JSON.stringify(options.merchantSerialNo)}`);
  }
  if (typeof options.privateKeyPem !== 'string' || !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(options.privateKeyPem)) {
    fail('privateKeyPem must be the merchant API private key, a PEM ("-----BEGIN PRIVATE KEY-----", as in apiclient_key.pem)');
  }
  try {
    if (privateKeyObject(options.privateKeyPem).asymmetricKeyType !== 'rsa') fail('privateKeyPem must be an RSA key (WECHATPAY2-SHA256-RSA2048)');
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('wechatpay connector:')) throw error;
    fail(`privateKeyPem does not parse as a private key (${(error as Error).message})`);
  }
  const platformKeys = options.platformKeys;
  if (platformKeys === null || typeof platformKeys !== 'object' || Array.isArray(platformKeys) || Object.keys(platformKeys).length === 0) {
    fail('platformKeys must name at least one key WeChat Pay signs with: {"PUB_KEY_ID_…": "-----BEGIN PUBLIC KEY-----…"} or {"<platform certificate serial>": "-----BEGIN CERTIFICATE-----…"}');
  }
  for (const [serial, pem] of Object.entries(platformKeys)) {
    if (!/^(PUB_KEY_ID_\d{1,64}|[0-9A-Fa-f]{1,64})$/.test(serial)) fail(`platformKeys: ${JSON.stringify(serial.slice(0, 80))} is neither a public key id (PUB_KEY_ID_ and digits) nor a hex certificate serial`);
    if (serial.toUpperCase() === options.merchantSerialNo.toUpperCase()) fail(`platformKeys: ${serial} is the merchant's own certificate serial; list WeChat Pay's keys here, not the merchant's`);
    try {
      if (typeof pem !== 'string') throw new Error('not a string');
      publicKeyObject(pem);
    } catch (error) {
      fail(`platformKeys.${serial} must be a PEM public key or certificate (${(error as Error).message})`);
    }
  }
  // The key is used as its 32 UTF-8 bytes (docs/wechatpay-protocol.md §5): anything else cannot decrypt.
  if (typeof options.apiV3Key !== 'string' || Buffer.byteLength(options.apiV3Key, 'utf8') !== 32 || !/^[\x21-\x7e]+$/.test(options.apiV3Key)) {
    fail('apiV3Key must be the 32-character APIv3 key set in the merchant platform (printable ASCII)');
  }
  if (typeof options.baseUrl !== 'string' || !URL.canParse(options.baseUrl) || !/^https?:$/.test(new URL(options.baseUrl).protocol)) {
    fail(`baseUrl must be an http(s) URL such as http://127.0.0.1:4010, got ${JSON.stringify(options.baseUrl)}`);
  }
  // The SDK signs the URL's path: a prefix in baseUrl would be signed too, and a root-mounted API would refuse it.
  if (new URL(options.baseUrl).pathname.replace(/\/+$/, '') !== '') fail(`baseUrl must have no path (the API is at the root, /v3/...), got ${JSON.stringify(options.baseUrl)}`);
  const timeoutMs = options.timeoutMs ?? connectorDefaults.timeoutMs;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > timeoutMsMax) fail(`timeoutMs must be an integer in 1..${timeoutMsMax}, got ${timeoutMs}`);
  const notifyTimestampSkewMsMax = options.notifyTimestampSkewMsMax ?? connectorDefaults.notifyTimestampSkewMsMax;
  if (!Number.isSafeInteger(notifyTimestampSkewMsMax) || notifyTimestampSkewMsMax <= 0 || notifyTimestampSkewMsMax > skewMsMax) {
    fail(`notifyTimestampSkewMsMax must be an integer in 1..${skewMsMax}, got ${notifyTimestampSkewMsMax}`);
  }
  const wallClock = options.wallClock ?? connectorDefaults.wallClock;
  if (typeof wallClock !== 'function') fail('wallClock must be a function returning epoch milliseconds');
  return {
    mchid: options.mchid,
    appid: options.appid,
    merchantSerialNo: options.merchantSerialNo,
    privateKeyPem: options.privateKeyPem,
    platformKeys: { ...platformKeys },
    apiV3Key: options.apiV3Key,
    baseUrl: `${new URL(options.baseUrl).origin}/`,
    timeoutMs,
    notifyTimestampSkewMsMax,
    wallClock,
  };
}

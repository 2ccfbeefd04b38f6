// The connector's configuration: one typed object, checked once when the connector is built, so a
// wrong key or URL fails at start with a message that says how to fix it, not on the first payment.
import { privateKeyObject, publicKeyObject } from '../../../lib/key-objects.ts';

export interface AlipayConnectorOptions {
  readonly appId: string;
  /** The app private key, PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), as alipay-sdk takes it by default. */
  readonly privateKeyPem: string;
  /** The Alipay public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`): verifies answers and notifications. */
  readonly alipayPublicKeyPem: string;
  /** The v2 gateway, e.g. http://127.0.0.1:4010/gateway.do. */
  readonly gatewayUrl: string;
  /** The v3 endpoint, e.g. http://127.0.0.1:4010. */
  readonly endpoint: string;
  /** The seller id notifications must claim (2088…), when known. */
  readonly sellerId?: string;
  /** Timeout of one HTTP call to the channel (gateway or bill download). */
  readonly timeoutMs?: number;
  /**
   * Run alipay-sdk's signing calls (exec: sign, HTTP, verify; pageExec: sign a URL) on a worker thread
   * (sdk-thread.ts) instead of the event loop; the same SDK, formats and checks. Default false.
   */
  readonly sdkThread?: boolean;
}

export const connectorDefaults = {
  timeoutMs: 5_000,
  sdkThread: false,
} as const;

const optionNames = ['appId', 'privateKeyPem', 'alipayPublicKeyPem', 'gatewayUrl', 'endpoint', 'sellerId', 'timeoutMs', 'sdkThread'];

/** Longest timeout accepted: a call that may hang longer than this would stall the services. */
const timeoutMsMax = 120_000;

export type ResolvedOptions = Required<Omit<AlipayConnectorOptions, 'sellerId'>> & Pick<AlipayConnectorOptions, 'sellerId'>;

/** Checks every option and fills defaults; throws a TypeError naming the bad option. */
export function resolveOptions(options: AlipayConnectorOptions): ResolvedOptions {
  const fail = (message: string): never => {
    throw new TypeError(`alipay connector: ${message}`);
  };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail('options must be an object {appId, privateKeyPem, alipayPublicKeyPem, gatewayUrl, endpoint, sellerId?, timeoutMs?, sdkThread?}');
  const unknown = Object.keys(options).filter((key) => !optionNames.includes(key));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')}; known: ${optionNames.join(', ')}`);
  if (typeof options.appId !== 'string' || !/^\S{1,32}$/.test(options.appId)) fail(`appId must be an Alipay app id such as 2021000000000001, got ${JSON.stringify(options.appId)}`);
  if (!/-----BEGIN RSA PRIVATE KEY-----/.test(options.privateKeyPem ?? '')) {
    fail('privateKeyPem must be a PKCS#1 PEM ("-----BEGIN RSA PRIVATE KEY-----"); convert a PKCS#8 key with `openssl rsa -traditional`');
  }
  try {
    privateKeyObject(options.privateKeyPem);
  } catch (error) {
    fail(`privateKeyPem does not parse as an RSA private key (${(error as Error).message})`);
  }
  if (!/-----BEGIN PUBLIC KEY-----/.test(options.alipayPublicKeyPem ?? '')) {
    fail('alipayPublicKeyPem must be an SPKI PEM ("-----BEGIN PUBLIC KEY-----"); alipay-sdk rejects "RSA PUBLIC KEY"');
  }
  try {
    publicKeyObject(options.alipayPublicKeyPem);
  } catch (error) {
    fail(`alipayPublicKeyPem does not parse as a public key (${(error as Error).message})`);
  }
  for (const name of ['gatewayUrl', 'endpoint'] as const) {
    const value = options[name];
    if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) fail(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (options.sellerId !== undefined && !/^2088\d{12}$/.test(options.sellerId)) fail(`sellerId must be 2088 followed by 12 digits, got ${JSON.stringify(options.sellerId)}`);
  const timeoutMs = options.timeoutMs ?? connectorDefaults.timeoutMs;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > timeoutMsMax) fail(`timeoutMs must be an integer in 1..${timeoutMsMax}, got ${timeoutMs}`);
  const sdkThread = options.sdkThread ?? connectorDefaults.sdkThread;
  if (typeof sdkThread !== 'boolean') fail(`sdkThread must be true or false, got ${JSON.stringify(sdkThread)}`);
  return {
    appId: options.appId,
    privateKeyPem: options.privateKeyPem,
    alipayPublicKeyPem: options.alipayPublicKeyPem,
    gatewayUrl: options.gatewayUrl,
    endpoint: options.endpoint,
    timeoutMs,
    sdkThread,
    ...(options.sellerId !== undefined ? { sellerId: options.sellerId } : {}),
  };
}

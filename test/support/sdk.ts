// The official alipay-sdk, configured only by pointing its gateway and endpoint at the simulator.
import { AlipaySdk } from 'alipay-sdk';
import { fixtureKeys } from './keys.ts';

export interface SdkOptions {
  appId?: string;
  /** The app private key (PKCS#1 PEM); the fixture merchant key by default. */
  privateKey?: string;
  /** The "Alipay" public key that verifies responses and notifications; the fixture channel key by default. */
  alipayPublicKey?: string;
}

export const defaultAppId = '2021000000000001';

export function alipaySdk(baseUrl: string, options: SdkOptions = {}): AlipaySdk {
  return new AlipaySdk({
    appId: options.appId ?? defaultAppId,
    privateKey: options.privateKey ?? fixtureKeys.merchant.privateKeyPem,
    alipayPublicKey: options.alipayPublicKey ?? fixtureKeys.channel.publicKeyPem,
    gateway: `${baseUrl}/gateway.do`,
    endpoint: baseUrl,
    timeout: 10_000,
  });
}

/** Every v2 call in the suite verifies the response signature, which v4 skips unless asked. */
export const verified = { validateSign: true } as const;

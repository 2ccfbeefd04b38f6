// Key pairs for the simulated channels' default apps, made once per process: RSA key generation costs
// far more than a whole scenario (five 2048-bit pairs took about 550 ms per world when only Alipay's were
// given), and no timeline entry depends on a key (signatures are not shown).
import { generateKeyPairSync } from 'node:crypto';
import type { DefaultAppKeys } from '../../simulator/channels/module.ts';

let cached: DefaultAppKeys | undefined;
let cachedWechatpay: DefaultAppKeys | undefined;

function pair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export function scenarioAppKeys(): DefaultAppKeys {
  cached ??= { merchant: pair(), channel: pair() };
  return cached;
}

/** WeChat Pay's default merchant: its merchant pair, the platform certificate's pair and the public-key mode's pair. */
export function scenarioWechatpayKeys(): DefaultAppKeys {
  cachedWechatpay ??= { merchant: pair(), channel: pair(), channelSecondary: pair() };
  return cachedWechatpay;
}

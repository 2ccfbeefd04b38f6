// The test-only key pairs in test/fixtures/keys: the merchant's app keys, the simulated channel's
// ("Alipay") keys, and a rogue pair that no app is registered with. WeChat Pay's default merchant uses the
// same merchant and channel pairs, and a pair of its own for the public-key mode.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KeyPairPem } from '../../simulator/engine/keys.ts';

const keyDirectory = fileURLToPath(new URL('../fixtures/keys/', import.meta.url));

function pair(name: 'merchant' | 'channel' | 'rogue' | 'wechatpay_public_key'): KeyPairPem {
  return {
    privateKeyPem: readFileSync(`${keyDirectory}${name}_private.pem`, 'utf8'),
    publicKeyPem: readFileSync(`${keyDirectory}${name}_public.pem`, 'utf8'),
  };
}

/** PKCS#1 private keys and SPKI public keys, as alipay-sdk takes them by default. */
export const fixtureKeys = {
  merchant: pair('merchant'),
  channel: pair('channel'),
  rogue: pair('rogue'),
  /** The WeChat Pay public-key mode's key (the channel's second key beside its platform certificate's). */
  wechatpayPublicKey: pair('wechatpay_public_key'),
} as const;

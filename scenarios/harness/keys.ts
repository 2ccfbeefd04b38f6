// Key pairs for the simulated channel's default app, made once per process: RSA key generation costs
// far more than a whole scenario, and no timeline entry depends on a key (signatures are not shown).
import { generateKeyPairSync } from 'node:crypto';
import type { DefaultAppKeys } from '../../simulator/channels/module.ts';

let cached: DefaultAppKeys | undefined;

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

// RSA keys parsed once per PEM. node:crypto parses a PEM string again on every sign or verify it is given
// (several times the cost of the signature itself), and a KeyObject is immutable, so every simulator and
// core in a process can share one. Bounded: a process that makes keys without end (a test suite) keeps
// the most recent few hundred.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { BoundedCache } from './bounded-cache.ts';

const privateKeys = new BoundedCache<KeyObject>(512);
const publicKeys = new BoundedCache<KeyObject>(512);

/** A private key PEM (PKCS#1 or PKCS#8), parsed once; throws as createPrivateKey does when it does not parse. */
export function privateKeyObject(pem: string): KeyObject {
  return privateKeys.get(pem, () => createPrivateKey(pem));
}

/** An SPKI or PKCS#1 public key PEM, or bare base64 of SPKI DER, parsed once; throws when it does not parse. */
export function publicKeyObject(pemOrBase64: string): KeyObject {
  return publicKeys.get(pemOrBase64, () => {
    const text = pemOrBase64.trim();
    return text.startsWith('-----')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  });
}

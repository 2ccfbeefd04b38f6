// RSA keys parsed once per PEM. node:crypto parses a PEM string again on every sign or verify it is given
// (several times the cost of the signature itself), and a KeyObject is immutable, so every simulator and
// core in a process can share one. Bounded: a process that makes keys without end (a test suite) keeps
// the most recent few hundred.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const limit = 512;
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function remembered(cache: Map<string, KeyObject>, text: string, parse: () => KeyObject): KeyObject {
  let key = cache.get(text);
  if (!key) {
    key = parse();
    if (cache.size >= limit) cache.delete(cache.keys().next().value!);
    cache.set(text, key);
  }
  return key;
}

/** A private key PEM (PKCS#1 or PKCS#8), parsed once; throws as createPrivateKey does when it does not parse. */
export function privateKeyObject(pem: string): KeyObject {
  return remembered(privateKeys, pem, () => createPrivateKey(pem));
}

/** An SPKI or PKCS#1 public key PEM, or bare base64 of SPKI DER, parsed once; throws when it does not parse. */
export function publicKeyObject(pemOrBase64: string): KeyObject {
  return remembered(publicKeys, pemOrBase64, () => {
    const text = pemOrBase64.trim();
    return text.startsWith('-----')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  });
}

// Key pairs for apps. node-forge generates them (it delegates to node:crypto's native generator where
// available, so this is fast); signing on the hot path uses node:crypto KeyObjects parsed once.
import forge from 'node-forge';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { forgeryPrivateKeyPem } from '../faults/forgery-key.ts';

export interface KeyPairPem {
  /** PKCS#1 ("RSA PRIVATE KEY"): what alipay-sdk takes by default. */
  readonly privateKeyPem: string;
  /** SPKI ("PUBLIC KEY"): what alipay-sdk takes as alipayPublicKey. */
  readonly publicKeyPem: string;
}

export function generateRsaKeyPair(bits = 2048): KeyPairPem {
  const pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  return {
    privateKeyPem: forge.pki.privateKeyToPem(pair.privateKey),
    publicKeyPem: forge.pki.publicKeyToPem(pair.publicKey),
  };
}

const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject>();

/** Parses a private key PEM once; parsing on every call costs several times the signature itself. */
export function privateKeyObject(pem: string): KeyObject {
  let key = privateCache.get(pem);
  if (!key) privateCache.set(pem, (key = createPrivateKey(pem)));
  return key;
}

/** Accepts SPKI or PKCS#1 PEM, or bare base64 of SPKI DER. Throws a clear error when unreadable. */
export function publicKeyObject(pemOrBase64: string): KeyObject {
  let key = publicCache.get(pemOrBase64);
  if (!key) {
    const text = pemOrBase64.trim();
    key = text.startsWith('-----')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    publicCache.set(pemOrBase64, key);
  }
  return key;
}

/** True when the text parses as an RSA public key. */
export function isReadablePublicKey(pemOrBase64: string): boolean {
  try {
    return publicKeyObject(pemOrBase64).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

let forgery: KeyPairPem | undefined;

/**
 * A key pair no merchant trusts: signs forged notifications and badly signed responses. Fixed, not
 * generated, so that forged signatures are the same in every run of the same seed.
 */
export function forgeryKeyPair(): KeyPairPem {
  forgery ??= {
    privateKeyPem: forgeryPrivateKeyPem,
    publicKeyPem: createPublicKey(forgeryPrivateKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
  };
  return forgery;
}

// X.509 certificates of WeChat Pay: the platform certificate the simulator issues for each merchant
// (served by GET /v3/certificates), the merchant API certificate of the default merchant, and reading a
// certificate a merchant registers. node-forge builds them (never on the hot path).
import { constants, createPublicKey, privateEncrypt } from 'node:crypto';
import type forgeModule from 'node-forge';
import { lazyRequire } from '../../../lib/lazy-require.ts';
import { privateKeyObject } from '../../engine/keys.ts';

const loadForge = lazyRequire<typeof forgeModule>('node-forge');

const yearMs = 365 * 24 * 60 * 60 * 1000;

export interface IssuedCertificate {
  readonly certPem: string;
  /** 40 upper-case hex digits, as WeChat and openssl show serials. */
  readonly serial: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

/**
 * A certificate for `publicKeyPem`, signed by its own key pair (`privateKeyPem`), valid five years from
 * `nowMs` (platform certificates live 5 years, §3.2). Deterministic for the same inputs.
 */
export function issueCertificate(input: { privateKeyPem: string; publicKeyPem: string; serial: string; commonName: string; nowMs: number }): IssuedCertificate {
  const forge = loadForge();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(input.publicKeyPem);
  // DER integers are signed: a serial whose first byte is 0x80 or more gets a leading zero byte, as a CA writes it.
  cert.serialNumber = `${Number.parseInt(input.serial.slice(0, 2), 16) >= 0x80 ? '00' : ''}${input.serial.toLowerCase()}`;
  const notBeforeMs = Math.floor(input.nowMs / 1000) * 1000;
  const notAfterMs = notBeforeMs + 5 * yearMs;
  cert.validity.notBefore = new Date(notBeforeMs);
  cert.validity.notAfter = new Date(notAfterMs);
  const subject = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: 'Tenpay.com (paysim)' },
    { shortName: 'OU', value: 'Tenpay.com CA Center (paysim)' },
    { shortName: 'CN', value: input.commonName },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(nativeSigner(input.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), serial: input.serial.toUpperCase(), notBeforeMs, notAfterMs };
}

/** DER prefix of a SHA-256 DigestInfo: PKCS#1 v1.5 signs this and the digest. */
const sha256DigestInfoPrefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * forge's certificate signing with node:crypto doing the RSA operation: forge's own pure-JavaScript RSA
 * takes about 150 ms per certificate, and every simulator start issues two.
 */
function nativeSigner(privateKeyPem: string): forgeModule.pki.rsa.PrivateKey {
  const key = privateKeyObject(privateKeyPem);
  const sign = (md: forgeModule.md.MessageDigest) => {
    const digestInfo = Buffer.concat([sha256DigestInfoPrefix, Buffer.from(md.digest().getBytes(), 'binary')]);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
  };
  return { sign } as unknown as forgeModule.pki.rsa.PrivateKey;
}

export type ReadCertificate = { readonly ok: true; readonly serial: string; readonly publicKeyPem: string } | { readonly ok: false; readonly message: string };

/** The serial (upper-case hex, no leading zero byte) and the SPKI public key of a PEM certificate. */
export function readCertificate(certPem: string): ReadCertificate {
  const forge = loadForge();
  try {
    const cert = forge.pki.certificateFromPem(certPem);
    const serial = cert.serialNumber.toUpperCase().replace(/^(00)+(?=[0-9A-F]{2})/, '');
    const publicKeyPem = createPublicKey(forge.pki.publicKeyToPem(cert.publicKey)).export({ type: 'spki', format: 'pem' }).toString();
    return { ok: true, serial, publicKeyPem };
  } catch (error) {
    return { ok: false, message: `merchantCertPem is not a readable RSA certificate (PEM "CERTIFICATE"): ${error instanceof Error ? error.message : String(error)}` };
  }
}

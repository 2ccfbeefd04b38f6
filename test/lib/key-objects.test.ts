import { readFileSync } from 'node:fs';
import { sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyObject, publicKeyObject } from '../../lib/key-objects.ts';

const pem = (name: string) => readFileSync(new URL(`../fixtures/keys/${name}.pem`, import.meta.url), 'utf8');

describe('parsed keys', () => {
  it('parses a PEM once and hands every caller the same KeyObject', () => {
    const privatePem = pem('merchant_private');
    expect(privateKeyObject(privatePem)).toBe(privateKeyObject(privatePem));
    const publicPem = pem('merchant_public');
    expect(publicKeyObject(publicPem)).toBe(publicKeyObject(publicPem));
  });

  it('reads a public key as PEM or as the bare base64 of its SPKI DER, and the pair still signs and verifies', () => {
    const publicPem = pem('merchant_public');
    const bare = publicPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const message = Buffer.from('out_trade_no=1&total_amount=0.01');
    const signature = sign('sha256', message, privateKeyObject(pem('merchant_private')));
    expect(verify('sha256', message, publicKeyObject(bare), signature)).toBe(true);
    expect(verify('sha256', message, publicKeyObject(publicPem), signature)).toBe(true);
  });

  it('throws as node:crypto does for text that is not a key, and remembers nothing for it', () => {
    expect(() => privateKeyObject('-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----')).toThrow();
    expect(() => publicKeyObject('not base64 of a key')).toThrow();
    expect(() => publicKeyObject('not base64 of a key')).toThrow();
  });
});

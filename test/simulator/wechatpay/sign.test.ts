// Known-answer vectors for simulator/channels/wechatpay/sign.ts: the strings to sign, the RSA-SHA256
// signature of the fixture merchant key over one of them (PKCS#1 v1.5 is deterministic), AEAD_AES_256_GCM
// under a fixed key and nonce, and the parsing rules of docs/wechatpay-protocol.md §2.2. The official
// plugin's own Rsa and Aes check the same vectors, so the two implementations agree.
import { describe, expect, it } from 'vitest';
import { Aes, Rsa } from 'wechatpay-axios-plugin';
import {
  aeadDecrypt, aeadEncrypt, normalizeSerial, parseAuthorization, requestSignContent, responseSignContent, signSync, verify,
} from '../../../simulator/channels/wechatpay/sign.ts';
import { privateKeyObject, publicKeyObject } from '../../../simulator/engine/keys.ts';
import { fixtureKeys } from '../../support/keys.ts';

const request = { method: 'POST', target: '/v3/pay/transactions/native', timestamp: '1554208460', nonce: '593BEC0C930BF1AFEB40B4A08C8FB242', body: '{"appid":"wxd930ea5d5a258f4f","mchid":"1900000001"}' };
const requestContent = 'POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"appid":"wxd930ea5d5a258f4f","mchid":"1900000001"}\n';
const requestSignature =
  'P+r9UqBPDJzTQNNucgYqR36CMS2ra8M1Vp/pwHLV7/GIQIlZMb768Hx1VtrKPcnduULfZ0xXE607XNIFmfaSRZb2dqCTJwF2+KfDROQXh/Ozy/SF7xVxLh/uwEHZ5dqcrLxOweMlSmNAbqVp/VkZLGRP78O4veeEupW5eJN6RnolT4ooO9rF1FR2LG91EsKHmKC9AFEmNy2FidIguTND425M3JR/6uKI+7dXqi7RSfbrPg44uo56xgd6CtS0uC+Fl4UdUTnOFr2+YNebCag+Nz00B9uFUUE/0AGdN61HjUhq6LmVpb2He6EtsM5Qu85HWkzTC5AlKE8vYhClU+h23w==';
const apiV3Key = '0123456789abcdefghijklmnopqrstuv';
const ciphertext = 't+IUuh+fo+2ruMpeLxNgny3XNURhqxvlHYKnuGHGy7+TOd5Uga8HmQU=';

describe('WeChat Pay signing (known answers)', () => {
  it('builds the five-line request string and the three-line answer string, an empty body still ending in a newline', () => {
    expect(requestSignContent(request)).toBe(requestContent);
    expect(requestSignContent({ ...request, method: 'GET', target: '/v3/certificates', body: '' })).toBe('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n');
    expect(responseSignContent('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', '')).toBe('1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n\n');
  });

  it('signs the request string to the known signature, which the plugin\'s Rsa also produces and verifies', () => {
    expect(signSync(requestContent, privateKeyObject(fixtureKeys.merchant.privateKeyPem))).toBe(requestSignature);
    expect(Rsa.sign(requestContent, fixtureKeys.merchant.privateKeyPem)).toBe(requestSignature);
    expect(verify(requestContent, requestSignature, publicKeyObject(fixtureKeys.merchant.publicKeyPem))).toBe(true);
    expect(verify(requestContent.replace('1900000001', '1900000002'), requestSignature, publicKeyObject(fixtureKeys.merchant.publicKeyPem))).toBe(false);
    expect(verify(requestContent, 'not base64 at all', publicKeyObject(fixtureKeys.merchant.publicKeyPem))).toBe(false);
  });

  it('encrypts with AEAD_AES_256_GCM to the known ciphertext, which the plugin decrypts; a wrong AAD fails to authenticate', () => {
    expect(aeadEncrypt('{"trade_state":"SUCCESS"}', apiV3Key, 'nonce1234567', 'transaction')).toBe(ciphertext);
    expect(Aes.AesGcm.decrypt(ciphertext, apiV3Key, 'nonce1234567', 'transaction')).toBe('{"trade_state":"SUCCESS"}');
    expect(aeadDecrypt(ciphertext, apiV3Key, 'nonce1234567', 'transaction')).toBe('{"trade_state":"SUCCESS"}');
    expect(() => aeadDecrypt(ciphertext, apiV3Key, 'nonce1234567', 'refund')).toThrow();
  });

  it('parses the Authorization items in any order and names the missing ones', () => {
    const header = 'WECHATPAY2-SHA256-RSA2048 serial_no="00ABC",signature="c2ln",timestamp="1554208460",nonce_str="n",mchid="1900000001"';
    expect(parseAuthorization(header)).toEqual({ ok: true, items: { serial_no: '00ABC', signature: 'c2ln', timestamp: '1554208460', nonce_str: 'n', mchid: '1900000001' } });
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",timestamp="2"')).toEqual({ ok: false, issue: 'Authorization lacks nonce_str, signature, serial_no' });
    expect(parseAuthorization('Bearer x')).toMatchObject({ ok: false });
    expect(parseAuthorization(undefined)).toMatchObject({ ok: false, issue: 'Authorization header is missing' });
  });

  it('compares serials upper-case with one leading 00 stripped, as node-v3 sends them', () => {
    expect(normalizeSerial('009a75c2f1')).toBe('9A75C2F1');
    expect(normalizeSerial('9A75C2F1')).toBe('9A75C2F1');
    expect(normalizeSerial('0A75')).toBe('0A75');
  });
});

// The WeChat Pay connector's options are checked when it is built: a wrong key, id or URL fails at
// start with a message that names the option and how to fix it, not on the first payment.
import { KeyObject } from 'node:crypto';
import { expect, it } from 'vitest';
import { createCore } from '../../../core/app.ts';
import { wechatpayConnector, type WechatpayConnectorOptions } from '../../../core/connectors/wechatpay/index.ts';
import { createSdk } from '../../../core/connectors/wechatpay/live.ts';
import { fixtureKeys } from '../../support/keys.ts';

const valid: WechatpayConnectorOptions = {
  mchid: '1900000001',
  appid: 'wx8888888888888888',
  merchantSerialNo: '3775B6A45ACD588826D15E583A95F5DD2C1D6A6B',
  privateKeyPem: fixtureKeys.merchant.privateKeyPem,
  platformKeys: { PUB_KEY_ID_0119000000012026010100000000000001: fixtureKeys.channel.publicKeyPem },
  apiV3Key: 'paysimContractApiV3Key0123456789',
  baseUrl: 'http://127.0.0.1:4010',
};

const problemOf = (options: unknown): string => {
  try {
    wechatpayConnector.parseOptions(options);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

it('accepts valid options and fills the defaults', () => {
  const resolved = wechatpayConnector.parseOptions(valid);
  expect(resolved).toMatchObject({ mchid: '1900000001', baseUrl: 'http://127.0.0.1:4010/', timeoutMs: 5_000, notifyTimestampSkewMsMax: 300_000 });
  expect(typeof resolved.wallClock).toBe('function');
});

it.each([
  [{ ...valid, mchid: 'M-1' }, /mchid must be the merchant id, digits/],
  [{ ...valid, appid: '' }, /appid must be the app id/],
  [{ ...valid, merchantSerialNo: 'not hex' }, /merchantSerialNo must be the hex serial.*openssl x509/],
  [{ ...valid, privateKeyPem: fixtureKeys.merchant.publicKeyPem }, /privateKeyPem must be the merchant API private key/],
  [{ ...valid, platformKeys: {} }, /platformKeys must name at least one key/],
  [{ ...valid, platformKeys: { 'PUB-1': fixtureKeys.channel.publicKeyPem } }, /neither a public key id .* nor a hex certificate serial/],
  [{ ...valid, platformKeys: { PUB_KEY_ID_01: 'not a key' } }, /platformKeys.PUB_KEY_ID_01 must be a PEM public key or certificate/],
  [{ ...valid, platformKeys: { [valid.merchantSerialNo]: fixtureKeys.channel.publicKeyPem } }, /the merchant's own certificate serial/],
  [{ ...valid, apiV3Key: 'too short' }, /apiV3Key must be the 32-character APIv3 key/],
  [{ ...valid, baseUrl: 'ftp://127.0.0.1' }, /baseUrl must be an http\(s\) URL/],
  [{ ...valid, baseUrl: 'http://127.0.0.1:4010/wx' }, /baseUrl must have no path/],
  [{ ...valid, timeoutMs: 0 }, /timeoutMs must be an integer in 1..120000/],
  [{ ...valid, notifyTimestampSkewMsMax: -1 }, /notifyTimestampSkewMsMax must be an integer/],
  [{ ...valid, apiV3key: 'typo' }, /unknown option\(s\) apiV3key; known: mchid/],
  [null, /options must be an object/],
])('refuses %#: the message names the option and the fix', (options, message) => {
  expect(problemOf(options)).toMatch(message);
});

it('refuses a core whose WeChat Pay options are wrong before anything is opened', async () => {
  await expect(createCore({ memory: true, connectors: { wechatpay: { ...valid, apiV3Key: 'x' } } })).rejects.toThrow(/wechatpay connector: apiV3Key/);
});

it('serves wechatpay.native and wechatpay.h5 once configured, and answers METHOD_UNAVAILABLE without it', async () => {
  expect(wechatpayConnector.routes.map((route) => route.method)).toEqual(['wechatpay.native', 'wechatpay.h5']);
  const core = await createCore({ memory: true, config: { port: 0, checksIntervalMs: 0 } });
  try {
    await core.listen();
    const created = await fetch(`${core.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outOrderNo: 'WX-UNCONFIGURED', amount: '1.00', currency: 'CNY', subject: 'x' }) });
    const { orderNo } = (await created.json()) as { orderNo: string };
    const paid = await fetch(`${core.url}/api/orders/${orderNo}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'wechatpay.native' }) });
    expect(paid.status).toBe(422);
    expect(await paid.json()).toMatchObject({ code: 'METHOD_UNAVAILABLE' });
  } finally {
    await core.close();
  }
});

it('hands wechatpay-axios-plugin keys it parses once, as KeyObjects, so no request signature or answer verification parses a PEM again', () => {
  // The plugin turns privateKey and every certs entry into a KeyObject when it is built (Rsa.from);
  // its signer and verifier then take those. The connector gives it PEM and relies on that.
  const sdk = createSdk(wechatpayConnector.parseOptions(valid));
  const defaults = (sdk as unknown as { client: { v3: { defaults: { privateKey: unknown; certs: Record<string, unknown> } } } }).client.v3.defaults;
  expect(defaults.privateKey).toBeInstanceOf(KeyObject);
  expect(Object.values(defaults.certs)).toHaveLength(1);
  for (const key of Object.values(defaults.certs)) expect(key).toBeInstanceOf(KeyObject);
});

// The control API for WeChat Pay: what GET /_sim/apps shows of a merchant (never a key of the channel's),
// the buyer paying by mchid, and registration refusals.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nativeOrder, startWechatpaySimulator, type WechatpaySimulator } from '../../support/wechatpay.ts';

let wx: WechatpaySimulator;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
});
afterAll(() => wx.close());

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${wx.env.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

it('shows the default merchant with its APIv3 key, both public keys and its serial, and no private key of the channel', async () => {
  const apps = (await (await fetch(`${wx.env.url}/_sim/apps`)).json()) as Record<string, string>[];
  const merchant = apps.find((app) => app.channel === 'wechatpay')!;
  expect(merchant).toMatchObject({ mchid: wx.mchid, apiV3Key: wx.data.apiV3Key, platformSerial: wx.data.platformSerial, platformPublicKeyId: wx.data.publicKeyId, merchantSerial: wx.data.merchantSerial });
  expect(merchant.platformCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  const privateKeys = Object.entries(merchant).filter(([, value]) => typeof value === 'string' && value.includes('PRIVATE KEY')).map(([name]) => name);
  expect(privateKeys).toEqual(['merchantPrivateKeyPem']);
});

it('lets the buyer pay a WeChat Pay order named by mchid', async () => {
  await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'CA-BUYER-1', 100));
  const paid = await post('/_sim/buyer/pay', { channel: 'wechatpay', outTradeNo: 'CA-BUYER-1', mchid: wx.mchid });
  expect(paid.status).toBe(200);
  expect(paid.body.outcome).toBe('paid');
  const stranger = await post('/_sim/buyer/pay', { channel: 'wechatpay', outTradeNo: 'CA-BUYER-1', mchid: '1999999999' });
  expect(stranger.status).toBe(404);
});

it('refuses a registration with both a certificate and a key, a malformed mchid, and an unknown field', async () => {
  const both = await post('/_sim/apps', { channel: 'wechatpay', merchantCertPem: wx.data.merchantCertPem, publicKeyPem: wx.app.merchantPublicKeyPem });
  expect([both.status, both.body.code]).toEqual([400, 'INVALID_REQUEST']);
  const badId = await post('/_sim/apps', { channel: 'wechatpay', mchid: '12', publicKeyPem: wx.app.merchantPublicKeyPem });
  expect([badId.status, badId.body.code]).toEqual([400, 'INVALID_REQUEST']);
  const unknown = await post('/_sim/apps', { channel: 'wechatpay', publicKeyPem: wx.app.merchantPublicKeyPem, apiV3Key: 'mine' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.message).toContain('apiV3Key');
});

it('answers GET /v3/certificates with a signed 404 in public-key mode when switched so, and refuses an unknown switch at start', async () => {
  const strict = await startWechatpaySimulator({ channelConfig: { wechatpay: { certificatesInPublicKeyMode: 'not_found' } } });
  try {
    const refused = await strict.axios().v3.certificates.get().catch((error: { response?: any }) => error.response);
    expect([refused.status, refused.data.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
    expect(refused.headers['wechatpay-serial']).toBe(strict.data.publicKeyId);
  } finally {
    await strict.close();
  }
  await expect(startWechatpaySimulator({ channelConfig: { wechatpay: { keyMod: 'public_key' } } })).rejects.toThrow(/keyMod/);
});

// Signatures and keys: each tampering fails exactly where the real channel's would (the SDK's own check
// of an answer, the simulator's 401 SIGN_ERROR for a request), both key modes, the answer following a
// request's Wechatpay-Serial, merchants registered with a certificate or a bare public key, and
// signature timestamps on the wall clock whatever the simulation's clock says.
import forge from 'node-forge';
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes } from 'wechatpay-axios-plugin';
import { fixtureKeys } from '../../support/keys.ts';
import {
  errorResponse, nativeOrder, nodeV3Certificates, startWechatpaySimulator, verifyWithNodeV3, type WechatpaySimulator,
} from '../../support/wechatpay.ts';

let wx: WechatpaySimulator;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
});
afterAll(() => wx.close());

const fault = (value: unknown) => ({ headers: { 'x-paysim-fault': JSON.stringify(value) } });
const signedRequest = (input: { method: string; target: string; body: string; timestamp?: number; items?: (parts: Record<string, string>) => string[] }) => {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = 'NONCE0123456789';
  const signature = createSign('RSA-SHA256').update(`${input.method}\n${input.target}\n${timestamp}\n${nonce}\n${input.body}\n`).sign(fixtureKeys.merchant.privateKeyPem, 'base64');
  const parts = { mchid: wx.mchid, nonce_str: nonce, signature, timestamp, serial_no: wx.data.merchantSerial! };
  const items = input.items ? input.items(parts) : Object.entries(parts).map(([name, value]) => `${name}="${value}"`);
  return fetch(`${wx.env.url}${input.target}`, {
    method: input.method,
    headers: { authorization: `WECHATPAY2-SHA256-RSA2048 ${items.join(',')}`, 'content-type': 'application/json', accept: 'application/json' },
    ...(input.method === 'GET' ? {} : { body: input.body }),
  });
};

describe('answer signatures', () => {
  it('answers with Wechatpay-Timestamp on the wall clock although the simulation runs on virtual time', async () => {
    const answer = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-WALL-1', 100));
    expect(Math.abs(Number(answer.headers['wechatpay-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(Math.abs(wx.env.clock.now() - Date.now())).toBeGreaterThan(24 * 3_600_000);
    expect(answer.headers['wechatpay-nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.headers['request-id']).toBeTruthy();
  });

  it('spoils the signature under bad_signature: the plugin throws EV3_RES_HEADER_SIGNATURE_DIGEST, node-v3 verifySign is false, the order exists', async () => {
    const thrown = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-BAD-1', 100), fault({ type: 'bad_signature' })).catch((error: Error & { code?: string }) => error);
    expect((thrown as { code?: string }).code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
    expect(wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo: 'SG-BAD-1' })).toBeDefined();
    const pay = wx.nodeV3();
    await pay.query({ out_trade_no: 'SG-BAD-1' });
    expect(await verifyWithNodeV3(pay, wx.recorder.last())).toBe(true);
    wx.env.sim.engine.faults.add({ match: { channel: 'wechatpay', api: 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}', outTradeNo: '^SG-BAD-1$' }, fault: { type: 'bad_signature' }, timesMax: 1 });
    const spoiled = await pay.query({ out_trade_no: 'SG-BAD-1' });
    expect(spoiled.data.out_trade_no).toBe('SG-BAD-1');
    expect(await verifyWithNodeV3(pay, wx.recorder.last())).toBe(false);
  });

  it('sends WeChat\'s SIGNTEST probe under bad_signature {probe}, which the plugin rejects like any bad signature', async () => {
    const thrown = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-PROBE-1', 100), fault({ type: 'bad_signature', probe: true })).catch((error: Error & { code?: string }) => error);
    expect((thrown as { code?: string }).code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
    const journal = wx.env.sim.engine.journal.page({ type: 'http.exchange', limit: 1 }).entries.at(-1) as unknown as { exchange: { responseHeaders: Record<string, string> } };
    expect(journal.exchange.responseHeaders['wechatpay-signature']).toMatch(/^WECHATPAY\/SIGNTEST\//);
  });

  it('is refused by a plugin that trusts only the platform certificate while answers carry the public key id (EV3_RES_HEADER_PLATFORM_SERIAL)', async () => {
    const client = wx.axios({ certs: { [wx.data.platformSerial!]: wx.data.platformCertPem! } });
    const thrown = await client.v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-SERIAL-1', 100)).catch((error: Error & { code?: string }) => error);
    expect((thrown as { code?: string }).code).toBe('EV3_RES_HEADER_PLATFORM_SERIAL');
  });

  it('signs with the platform certificate when the request names its serial in Wechatpay-Serial', async () => {
    const client = wx.axios({ certs: { [wx.data.platformSerial!]: wx.data.platformCertPem! } });
    const answer = await client.v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-SERIAL-2', 100), { headers: { 'wechatpay-serial': wx.data.platformSerial } });
    expect(answer.headers['wechatpay-serial']).toBe(wx.data.platformSerial);
  });
});

describe('request signatures', () => {
  it('refuses a request signed with another key with a signed 401 SIGN_ERROR naming what it verified, and creates nothing', async () => {
    const refused = await wx.axios({ privateKey: fixtureKeys.rogue.privateKeyPem }).v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-ROGUE-1', 100)).catch(errorResponse);
    expect(refused.status).toBe(401);
    expect(refused.data).toMatchObject({ code: 'SIGN_ERROR', detail: { detail: { issue: 'sign not match' }, field: 'signature', location: 'authorization', sign_information: { method: 'POST', url: '/v3/pay/transactions/native' } } });
    expect(refused.data.detail.sign_information.truncated_sign_message).toMatch(/^POST\n\/v3\/pay\/transactions\/native\n\d{10}\n/);
    expect(refused.headers['wechatpay-signature']).toBeTruthy();
    expect(wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo: 'SG-ROGUE-1' })).toBeUndefined();
  });

  it('refuses a serial_no that is not the merchant certificate\'s, a missing Authorization and an unknown merchant', async () => {
    const wrongSerial = await wx.axios({ serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' }).v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'SG-SER-1', 100)).catch(errorResponse);
    expect([wrongSerial.status, wrongSerial.data.code]).toEqual([401, 'SIGN_ERROR']);
    const bare = await fetch(`${wx.env.url}/v3/pay/transactions/out-trade-no/SG-SER-1?mchid=${wx.mchid}`);
    expect([bare.status, ((await bare.json()) as { code: string }).code]).toEqual([401, 'SIGN_ERROR']);
    const stranger = await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: '1999999999' }, out_trade_no: 'SG-SER-1', headers: {} }).catch(errorResponse);
    expect(stranger.status).toBe(400);
  });

  it('takes the Authorization items in any order, and verifies the raw request target and body bytes', async () => {
    const body = JSON.stringify(nativeOrder(wx.mchid, 'SG-ORDER-1', 100), null, 2);
    const reversed = await signedRequest({ method: 'POST', target: '/v3/pay/transactions/native', body, items: (parts) => Object.entries(parts).reverse().map(([name, value]) => `${name}="${value}"`) });
    expect(reversed.status).toBe(200);
    const target = `/v3/pay/transactions/out-trade-no/SG-ORDER-1?mchid=${wx.mchid}`;
    expect((await signedRequest({ method: 'GET', target, body: '' })).status).toBe(200);
    const missing = await signedRequest({ method: 'GET', target, body: '', items: (parts) => Object.entries(parts).filter(([name]) => name !== 'nonce_str').map(([name, value]) => `${name}="${value}"`) });
    expect(missing.status).toBe(401);
  });

  it('takes a timestamp within 300 s of the wall clock and refuses one further off with the real message', async () => {
    const target = `/v3/pay/transactions/out-trade-no/SG-ORDER-1?mchid=${wx.mchid}`;
    expect((await signedRequest({ method: 'GET', target, body: '', timestamp: Math.floor(Date.now() / 1000) - 290 })).status).toBe(200);
    const stale = await signedRequest({ method: 'GET', target, body: '', timestamp: Math.floor(Date.now() / 1000) - 310 });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { message: string }).message).toBe('Http头Authorization中的timestamp与发起请求的时间不得超过5分钟');
  });
});

describe('key modes and registration', () => {
  it('in platform-certificate mode signs with the certificate that GET /v3/certificates returns encrypted, which node-v3 fetches itself', async () => {
    const certMode = await startWechatpaySimulator({ channelConfig: { wechatpay: { keyMode: 'platform_certificate' } } });
    try {
      const answer = await certMode.axios({ certs: { [certMode.data.platformSerial!]: certMode.data.platformCertPem! } }).v3.pay.transactions.native.post(nativeOrder(certMode.mchid, 'SG-CERT-1', 100));
      expect(answer.headers['wechatpay-serial']).toBe(certMode.data.platformSerial);
      const certificates = await certMode.axios().v3.certificates.get();
      const [entry] = certificates.data.data as { serial_no: string; encrypt_certificate: { ciphertext: string; nonce: string; associated_data: string } }[];
      expect(entry!.serial_no).toBe(certMode.data.platformSerial);
      expect(Aes.AesGcm.decrypt(entry!.encrypt_certificate.ciphertext, certMode.data.apiV3Key!, entry!.encrypt_certificate.nonce, 'certificate')).toBe(certMode.data.platformCertPem);
      expect(() => Aes.AesGcm.decrypt(entry!.encrypt_certificate.ciphertext, 'K'.repeat(32), entry!.encrypt_certificate.nonce, 'certificate')).toThrow();
      const pay = certMode.nodeV3();
      delete nodeV3Certificates()[certMode.data.publicKeyId!];
      await pay.query({ out_trade_no: 'SG-CERT-1' });
      const queried = certMode.recorder.last();
      expect(await verifyWithNodeV3(pay, queried, certMode.data.apiV3Key)).toBe(true);
      expect(nodeV3Certificates()[certMode.data.platformSerial!]).toBeDefined();
    } finally {
      await certMode.close();
    }
  });

  it('registers a merchant with a bare public key (any serial then passes) or with its certificate (its serial is checked)', async () => {
    const register = async (body: Record<string, unknown>) => {
      const response = await fetch(`${wx.env.url}/_sim/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'wechatpay', ...body }) });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    const bare = await register({ publicKeyPem: fixtureKeys.rogue.publicKeyPem });
    expect(bare.status).toBe(201);
    expect(Object.keys(bare.body).sort()).toEqual(['apiV3Key', 'mchid', 'platformCertPem', 'platformPublicKeyId', 'platformPublicKeyPem', 'platformSerial']);
    const asBare = (serial: string) => wx.axios({ mchid: bare.body.mchid!, privateKey: fixtureKeys.rogue.privateKeyPem, serial, certs: { [bare.body.platformPublicKeyId!]: bare.body.platformPublicKeyPem! } });
    for (const [serial, outTradeNo] of [['ANY-SERIAL', 'SG-BARE-1'], ['00ABCDEF', 'SG-BARE-2']] as const) {
      expect((await asBare(serial).v3.pay.transactions.native.post(nativeOrder(bare.body.mchid!, outTradeNo, 100))).status).toBe(200);
    }

    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '5157f09e1a2b3c4d5e6f708192a3b4c5d6e7f809';
    cert.validity.notBefore = new Date(Date.UTC(2025, 0, 1));
    cert.validity.notAfter = new Date(Date.UTC(2030, 0, 1));
    cert.setSubject([{ shortName: 'CN', value: 'merchant' }]);
    cert.setIssuer([{ shortName: 'CN', value: 'merchant' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const withCert = await register({ merchantCertPem: forge.pki.certificateToPem(cert), mchid: '1900000777' });
    expect(withCert.status).toBe(201);
    expect(withCert.body.mchid).toBe('1900000777');
    const asCert = (serial: string) => wx.axios({ mchid: '1900000777', privateKey: forge.pki.privateKeyToPem(keys.privateKey), serial, certs: { [withCert.body.platformPublicKeyId!]: withCert.body.platformPublicKeyPem! } });
    expect((await asCert('5157F09E1A2B3C4D5E6F708192A3B4C5D6E7F809').v3.pay.transactions.native.post(nativeOrder('1900000777', 'SG-CERT-9', 100))).status).toBe(200);
    const other = await asCert('5157F09E1A2B3C4D5E6F708192A3B4C5D6E7F800').v3.pay.transactions.native.post(nativeOrder('1900000777', 'SG-CERT-8', 100)).catch(errorResponse);
    expect([other.status, other.data.code]).toEqual([401, 'SIGN_ERROR']);
    const taken = await register({ publicKeyPem: fixtureKeys.rogue.publicKeyPem, mchid: '1900000777' });
    expect(taken.status).toBe(409);
    const bad = await register({ merchantCertPem: 'not a certificate' });
    expect(bad.status).toBe(400);
    const neither = await register({});
    expect(neither.status).toBe(400);
  });
});

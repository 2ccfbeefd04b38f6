// Notifications as the merchant's server receives them, checked with each SDK's own tools: axios-plugin's
// Rsa.verify and Aes.AesGcm.decrypt, node-v3's verifySign and decipher_gcm. TRANSACTION.SUCCESS and
// REFUND.*, WeChat's retry schedule until a 2xx, the SIGNTEST probe and forged signatures, plain http
// on loopback only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../../../simulator/config.ts';
import { Aes, Rsa } from 'wechatpay-axios-plugin';
import {
  errorResponse, nativeOrder, startNotifyReceiver, startWechatpaySimulator, type NotifyArrival, type NotifyReceiver, type WechatpaySimulator,
} from '../../support/wechatpay.ts';

let wx: WechatpaySimulator;
let receiver: NotifyReceiver;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
  receiver = await startNotifyReceiver();
});
afterAll(async () => {
  await receiver.close();
  await wx.close();
});
afterEach(() => {
  receiver.arrivals.length = 0;
  receiver.status = 204;
});

interface Envelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary: string;
  resource: { algorithm: string; ciphertext: string; nonce: string; associated_data: string; original_type: string };
}

const header = (arrival: NotifyArrival, name: string) => String(arrival.headers[name]);
const verifiesWithPlugin = (arrival: NotifyArrival, publicKeyPem: string) =>
  Rsa.verify(`${header(arrival, 'wechatpay-timestamp')}\n${header(arrival, 'wechatpay-nonce')}\n${arrival.body}\n`, header(arrival, 'wechatpay-signature'), publicKeyPem);
const decryptWithPlugin = (envelope: Envelope, apiV3Key: string) =>
  JSON.parse(Aes.AesGcm.decrypt(envelope.resource.ciphertext, apiV3Key, envelope.resource.nonce, envelope.resource.associated_data)) as Record<string, any>;

async function paidOrder(outTradeNo: string, totalFen: number): Promise<void> {
  await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, outTradeNo, totalFen, receiver.url));
  await wx.buyerPays(outTradeNo);
  await wx.env.clock.advance(0);
}

describe('WeChat Pay notifications', () => {
  it('posts TRANSACTION.SUCCESS signed with the public key, its resource decrypting to the query body under the APIv3 key', async () => {
    await paidOrder('NT-PAID-1', 2500);
    expect(receiver.arrivals).toHaveLength(1);
    const arrival = receiver.arrivals[0]!;
    expect(header(arrival, 'wechatpay-serial')).toBe(wx.data.publicKeyId);
    expect(header(arrival, 'wechatpay-signature-type')).toBe('WECHATPAY2-SHA256-RSA2048');
    expect(header(arrival, 'wechatpay-nonce')).toMatch(/^[0-9a-f]{32}$/);
    expect(Math.abs(Number(header(arrival, 'wechatpay-timestamp')) - Date.now() / 1000)).toBeLessThan(300);
    expect(verifiesWithPlugin(arrival, wx.data.publicKeyPem!)).toBe(true);
    const envelope = JSON.parse(arrival.body) as Envelope;
    expect(envelope).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', summary: '支付成功', resource: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', original_type: 'transaction' } });
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.resource.nonce).toHaveLength(12);
    const transaction = decryptWithPlugin(envelope, wx.data.apiV3Key!);
    const queried = await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: wx.mchid }, out_trade_no: 'NT-PAID-1' });
    expect(transaction).toEqual(queried.data);
    expect(transaction).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 2500, payer_total: 2500 } });
  });

  it('verifies and decrypts with node-v3 too, and a tampered body no longer verifies', async () => {
    await paidOrder('NT-PAID-2', 300);
    const arrival = receiver.arrivals[0]!;
    const pay = wx.nodeV3();
    const signed = { timestamp: header(arrival, 'wechatpay-timestamp'), nonce: header(arrival, 'wechatpay-nonce'), serial: header(arrival, 'wechatpay-serial'), signature: header(arrival, 'wechatpay-signature') };
    expect(await pay.verifySign({ ...signed, body: arrival.body })).toBe(true);
    expect(await pay.verifySign({ ...signed, body: arrival.body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ') })).toBe(false);
    const { resource } = JSON.parse(arrival.body) as Envelope;
    const transaction = pay.decipher_gcm<Record<string, any>>(resource.ciphertext, resource.associated_data, resource.nonce);
    expect(transaction).toMatchObject({ out_trade_no: 'NT-PAID-2', trade_state: 'SUCCESS' });
  });

  it('cannot be decrypted under another APIv3 key: the plugin throws, node-v3 (which never authenticates) yields no transaction', async () => {
    await paidOrder('NT-PAID-3', 300);
    const envelope = JSON.parse(receiver.arrivals[0]!.body) as Envelope;
    const wrongKey = 'W'.repeat(32);
    expect(() => decryptWithPlugin(envelope, wrongKey)).toThrow();
    const garbage = wx.nodeV3({ key: wrongKey }).decipher_gcm<unknown>(envelope.resource.ciphertext, envelope.resource.associated_data, envelope.resource.nonce);
    expect(typeof garbage).toBe('string');
  });

  it('resends on WeChat\'s schedule (15s, 15s, 30s, 3m …) until a 2xx, with the same id each time', async () => {
    receiver.status = 500;
    await paidOrder('NT-RETRY', 100);
    const startedMs = wx.env.clock.now();
    for (const offsetMs of [15_000, 30_000, 60_000, 240_000]) await wx.env.clock.advance(startedMs + offsetMs - wx.env.clock.now());
    expect(receiver.arrivals).toHaveLength(5);
    receiver.status = 200;
    await wx.env.clock.advance(10 * 60_000);
    await wx.env.clock.advance(60 * 60_000);
    expect(receiver.arrivals).toHaveLength(6);
    expect(new Set(receiver.arrivals.map((arrival) => (JSON.parse(arrival.body) as Envelope).id)).size).toBe(1);
    const notification = wx.env.sim.engine.outbox.all().find((item) => item.tradeKey.endsWith(':NT-RETRY'))!;
    expect(notification.state).toBe('acknowledged');
    expect(notification.attempts.map((attempt) => attempt.atMs - startedMs)).toEqual([0, 15_000, 30_000, 60_000, 240_000, 840_000]);
  });

  it('posts REFUND.SUCCESS to the refund\'s notify_url with refund_status, and REFUND.ABNORMAL / REFUND.CLOSED when the refund fails', async () => {
    await paidOrder('NT-REFUND', 900);
    receiver.arrivals.length = 0;
    const refund = (outRefundNo: string, fen: number, headers: Record<string, string> = {}) =>
      wx.axios().v3.refund.domestic.refunds.post({ out_trade_no: 'NT-REFUND', out_refund_no: outRefundNo, notify_url: `${receiver.url}/refunds`, amount: { refund: fen, total: 900, currency: 'CNY' } }, { headers });
    await refund('NT-R-OK', 100);
    wx.env.sim.engine.faults.add({ match: { channel: 'wechatpay', outRequestNo: '^NT-R-BAD$' }, fault: { type: 'refund_fail', reason: 'account frozen' } });
    wx.env.sim.engine.faults.add({ match: { channel: 'wechatpay', outRequestNo: '^NT-R-CLOSED$' }, fault: { type: 'refund_fail', reason: 'CLOSED by the channel' } });
    await refund('NT-R-BAD', 100);
    await refund('NT-R-CLOSED', 100);
    await wx.env.clock.advance(wx.env.sim.engine.config.refundDelayMs);
    const events = receiver.arrivals.map((arrival) => {
      const envelope = JSON.parse(arrival.body) as Envelope;
      expect(verifiesWithPlugin(arrival, wx.data.publicKeyPem!)).toBe(true);
      expect(envelope.resource.associated_data).toBe('refund');
      const resource = decryptWithPlugin(envelope, wx.data.apiV3Key!);
      return [envelope.event_type, resource.out_refund_no, resource.refund_status];
    });
    expect(events.sort()).toEqual([['REFUND.ABNORMAL', 'NT-R-BAD', 'ABNORMAL'], ['REFUND.CLOSED', 'NT-R-CLOSED', 'CLOSED'], ['REFUND.SUCCESS', 'NT-R-OK', 'SUCCESS']]);
    const closed = await wx.axios().v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: 'NT-R-CLOSED' });
    expect(closed.data.status).toBe('CLOSED');
  });

  it('sends WeChat\'s probe signature WECHATPAY/SIGNTEST/… under forge_signature {probe}, which neither SDK accepts', async () => {
    wx.env.sim.engine.faults.add({ match: { channel: 'wechatpay', outTradeNo: '^NT-PROBE$' }, fault: { type: 'forge_signature', probe: true }, timesMax: 1 });
    await paidOrder('NT-PROBE', 100);
    const arrival = receiver.arrivals[0]!;
    expect(header(arrival, 'wechatpay-signature')).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(verifiesWithPlugin(arrival, wx.data.publicKeyPem!)).toBe(false);
    const pay = wx.nodeV3();
    expect(await pay.verifySign({ timestamp: header(arrival, 'wechatpay-timestamp'), nonce: header(arrival, 'wechatpay-nonce'), serial: header(arrival, 'wechatpay-serial'), signature: header(arrival, 'wechatpay-signature'), body: arrival.body })).toBe(false);
  });

  it('signs with a foreign key under forge_signature, which fails verification', async () => {
    wx.env.sim.engine.faults.add({ match: { channel: 'wechatpay', outTradeNo: '^NT-FORGED$' }, fault: { type: 'forge_signature' }, timesMax: 1 });
    await paidOrder('NT-FORGED', 100);
    expect(receiver.arrivals).toHaveLength(1);
    expect(verifiesWithPlugin(receiver.arrivals[0]!, wx.data.publicKeyPem!)).toBe(false);
  });

  it('counts an answer later than channels.wechatpay.notifyAttemptTimeoutMs as a failed attempt, whatever the engine-wide limit', async () => {
    const slow = createServer((_request, response) => void setTimeout(() => response.writeHead(204).end(), 300));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/notify`;
    const stateAfterOneAttempt = async (options: SimulatorOptions) => {
      const other = await startWechatpaySimulator(options);
      try {
        await other.axios().v3.pay.transactions.native.post(nativeOrder(other.mchid, 'NT-SLOW-1', 100, slowUrl));
        await other.buyerPays('NT-SLOW-1');
        await other.env.clock.advance(0);
        await other.env.sim.engine.outbox.settled();
        const [notification] = other.env.sim.engine.outbox.all();
        return [notification!.state, notification!.attempts.map((attempt) => attempt.error ?? attempt.status)];
      } finally {
        await other.close();
      }
    };
    try {
      // The channel's own limit (5 s by default) wins over the engine's, which is for channels without one.
      expect(await stateAfterOneAttempt({ engine: { notifyAttemptTimeoutMs: 100 } })).toEqual(['acknowledged', [204]]);
      const [state, attempts] = await stateAfterOneAttempt({ channelConfig: { wechatpay: { notifyAttemptTimeoutMs: 100 } } });
      expect(state).not.toBe('acknowledged');
      expect(attempts).toEqual([expect.stringMatching(/time/i)]);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('takes plain http notify URLs on loopback only: another host must be https (400 PARAM_ERROR)', async () => {
    const refused = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'NT-HTTP', 100, 'http://merchant.test/notify')).catch(errorResponse);
    expect([refused.status, refused.data.code, refused.data.detail.field]).toEqual([400, 'PARAM_ERROR', '/notify_url']);
    const accepted = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'NT-HTTPS', 100, 'https://merchant.test/notify'));
    expect(accepted.status).toBe(200);
  });
});

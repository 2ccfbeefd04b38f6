// Every operation through wechatpay-node-v3, unmodified, through its documented host rewrite (a PayRequest
// subclass). node-v3 never verifies answers itself: each answer is verified here with its own verifySign
// over the headers and exact body as they came over the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startWechatpaySimulator, type NodeV3, type WechatpaySimulator } from '../../support/wechatpay.ts';
import { verifyWithNodeV3 } from '../../support/wechatpay.ts';
import { fixtureKeys } from '../../support/keys.ts';

let wx: WechatpaySimulator;
let pay: NodeV3;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
  pay = wx.nodeV3();
});
afterAll(() => wx.close());

const order = (outTradeNo: string, total: number) => ({ description: 'Tea', out_trade_no: outTradeNo, notify_url: 'http://127.0.0.1:9/notify', amount: { total } });
const verifiedLast = async () => {
  const answer = wx.recorder.last();
  expect(await verifyWithNodeV3(pay, answer), `${answer.target} verifies`).toBe(true);
  return answer;
};

describe('wechatpay-node-v3 against the simulator', () => {
  it('signs with the certificate serial it reads itself (lower case, leading 00), which the simulator accepts', async () => {
    const result = await pay.transactions_native(order('NV-NATIVE-1', 990));
    expect(result.status).toBe(200);
    expect(result.data.code_url).toContain('/cashier/');
    const sent = wx.env.sim.engine.journal.page({ type: 'http.exchange', limit: 1 }).entries.at(-1) as unknown as { exchange: { requestHeaders: Record<string, string> } };
    expect(sent.exchange.requestHeaders.authorization).toMatch(new RegExp(`serial_no="00${wx.data.merchantSerial!.toLowerCase()}"`));
    await verifiedLast();
  });

  it('creates h5, jsapi and app orders; for jsapi and app it builds the client pay parameters from prepay_id', async () => {
    const h5 = await pay.transactions_h5({ ...order('NV-H5-1', 100), scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } });
    expect(h5.data.h5_url).toContain('/cashier/');
    await verifiedLast();
    const jsapi = await pay.transactions_jsapi({ ...order('NV-JSAPI-1', 100), payer: { openid: 'oNodeV3openid00000000000001' } });
    expect(jsapi.data.package).toMatch(/^prepay_id=wx\w{34}$/);
    expect(jsapi.data.signType).toBe('RSA');
    await verifiedLast();
    const app = await pay.transactions_app(order('NV-APP-1', 100));
    expect(app.data.prepayid).toMatch(/^wx\w{34}$/);
    await verifiedLast();
  });

  it('queries by out_trade_no and by transaction_id, closes with a verified 204, and reads a 404 as error text', async () => {
    await pay.transactions_native(order('NV-QUERY-1', 321));
    await wx.buyerPays('NV-QUERY-1');
    const paid = await pay.query({ out_trade_no: 'NV-QUERY-1' });
    expect(paid.data).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 321 } });
    await verifiedLast();
    const byId = await pay.query({ transaction_id: paid.data.transaction_id });
    expect(byId.data).toEqual(paid.data);
    await pay.transactions_native(order('NV-CLOSE-1', 100));
    const closed = await pay.close('NV-CLOSE-1');
    expect(closed.status).toBe(204);
    const answer = await verifiedLast();
    expect(answer.body).toBe('');
    const missing = await pay.query({ out_trade_no: 'NV-MISSING' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.error!)).toEqual({ code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    expect(await verifyWithNodeV3(pay, wx.recorder.last())).toBe(true);
  });

  it('refunds, then finds the refund PROCESSING and SUCCESS after the delay', async () => {
    await pay.transactions_native(order('NV-REFUND-1', 500));
    await wx.buyerPays('NV-REFUND-1');
    const refund = await pay.refunds({ out_trade_no: 'NV-REFUND-1', out_refund_no: 'NV-R-1', reason: 'broken', amount: { refund: 200, total: 500, currency: 'CNY' } });
    expect(refund.data).toMatchObject({ status: 'PROCESSING', out_refund_no: 'NV-R-1', amount: { refund: 200, total: 500 } });
    await verifiedLast();
    expect((await pay.find_refunds('NV-R-1')).data.status).toBe('PROCESSING');
    await wx.env.clock.advance(wx.env.sim.engine.config.refundDelayMs);
    const done = await pay.find_refunds('NV-R-1');
    expect(done.data).toMatchObject({ status: 'SUCCESS', refund_id: refund.data.refund_id });
    await verifiedLast();
  });

  it('downloads the trade bill through its download_url (real host kept, rewritten by the client), with the SHA1 of hash_value', async () => {
    await wx.env.clock.advance(24 * 3_600_000);
    const day = new Date(wx.env.clock.now() - 24 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const bill = await pay.tradebill({ bill_date: day, bill_type: 'ALL' });
    expect(bill.status).toBe(200);
    expect(bill.data.download_url).toMatch(/^https:\/\/api\.mch\.weixin\.qq\.com\/v3\/billdownload\/file\?token=/);
    await verifiedLast();
    const file = await pay.downloadBill(bill.data.download_url);
    expect(file.status).toBe(200);
    // superagent decodes text/plain as UTF-8 and drops nothing; the BOM is the file's first character.
    const text = String(file.data);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(createHash('sha1').update(Buffer.from(text, 'utf8')).digest('hex')).toBe(bill.data.hash_value);
    expect(text).toContain('`NV-QUERY-1');
    const flow = await pay.fundflowbill({ bill_date: day });
    expect(flow.status).toBe(200);
    await verifiedLast();
    const flowFile = String((await pay.downloadBill(flow.data.download_url)).data);
    expect(createHash('sha1').update(Buffer.from(flowFile, 'utf8')).digest('hex')).toBe(flow.data.hash_value);
    expect(flowFile).toContain('资金流水总笔数');
  });

  it('is refused with 401 SIGN_ERROR when it signs with another key, and the order is not created', async () => {
    const rogue = wx.nodeV3({ privateKey: fixtureKeys.rogue.privateKeyPem });
    const refused = await rogue.transactions_native(order('NV-ROGUE-1', 100));
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.error!).code).toBe('SIGN_ERROR');
    expect(wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo: 'NV-ROGUE-1' })).toBeUndefined();
  });

  it('keeps download_url on the real host: without the client\'s rewrite of that host, the signed URL is the full URL and the simulator refuses it', async () => {
    const bill = await pay.tradebill({ bill_date: new Date(wx.env.clock.now() - 24 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 10) });
    const onSimulatorHost = bill.data.download_url.replace('https://api.mch.weixin.qq.com', wx.recorder.url);
    const refused = await pay.downloadBill(onSimulatorHost);
    expect(refused.status).toBe(401);
  });
});

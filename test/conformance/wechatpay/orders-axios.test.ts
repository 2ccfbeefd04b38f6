// Orders through wechatpay-axios-plugin, unmodified but for its baseURL, with its automatic verification
// of every 2xx answer on: native, h5, jsapi and app orders, query by out_trade_no and transaction_id,
// close, and every trade state a query can show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appid, errorResponse, nativeOrder, startWechatpaySimulator, type WechatpaySimulator } from '../../support/wechatpay.ts';

let wx: WechatpaySimulator;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
});
afterAll(() => wx.close());

const query = (outTradeNo: string) => wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: wx.mchid }, out_trade_no: outTradeNo });

describe('orders through wechatpay-axios-plugin', () => {
  it('creates a native order whose code_url opens the cashier, and answers signed with the WeChat Pay public key', async () => {
    const answer = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-NATIVE-1', 8880));
    expect(answer.status).toBe(200);
    expect(answer.data.code_url).toMatch(new RegExp(`^${wx.env.url}/cashier/[0-9a-f]{32}$`));
    expect(answer.headers['wechatpay-serial']).toBe(wx.data.publicKeyId);
    expect(answer.headers['wechatpay-serial']).toMatch(/^PUB_KEY_ID_\d{28}$/);
    const page = await fetch(answer.data.code_url);
    expect(await page.text()).toContain('Coffee beans');
  });

  it('creates h5, jsapi and app orders: h5_url, and prepay_id of the real shape', async () => {
    const h5 = await wx.axios().v3.pay.transactions.h5.post({ ...nativeOrder(wx.mchid, 'AX-H5-1', 100), scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } });
    expect(h5.data.h5_url).toMatch(/\/cashier\/[0-9a-f]{32}$/);
    const jsapi = await wx.axios().v3.pay.transactions.jsapi.post({ ...nativeOrder(wx.mchid, 'AX-JSAPI-1', 100), payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
    expect(jsapi.data.prepay_id).toMatch(/^wx\w{34}$/);
    const app = await wx.axios().v3.pay.transactions.app.post(nativeOrder(wx.mchid, 'AX-APP-1', 100));
    expect(app.data.prepay_id).toMatch(/^wx\w{34}$/);
    expect(app.data.prepay_id).not.toBe(jsapi.data.prepay_id);
  });

  it('answers the same order re-submitted with the same result, and another amount under its out_trade_no with 403 OUT_TRADE_NO_USED', async () => {
    const first = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-RESUBMIT', 500));
    const again = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-RESUBMIT', 500));
    expect(again.data).toEqual(first.data);
    const conflict = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-RESUBMIT', 600)).catch(errorResponse);
    expect(conflict.status).toBe(403);
    expect(conflict.data.code).toBe('OUT_TRADE_NO_USED');
  });

  it('refuses an order re-submitted with another appid, notify_url or attach (403 OUT_TRADE_NO_USED), and keeps the first one as it was', async () => {
    const order = { ...nativeOrder(wx.mchid, 'AX-RESUBMIT-2', 500, 'https://m.test/first'), attach: 'A' };
    await wx.axios().v3.pay.transactions.native.post(order);
    for (const changed of [{ appid: 'wx1111111111111111' }, { notify_url: 'https://m.test/second' }, { attach: 'B' }, { attach: undefined }]) {
      const conflict = await wx.axios().v3.pay.transactions.native.post({ ...order, ...changed }).catch(errorResponse);
      expect([conflict.status, conflict.data.code]).toEqual([403, 'OUT_TRADE_NO_USED']);
    }
    const trade = wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo: 'AX-RESUBMIT-2' })!;
    expect([trade.notifyUrl, trade.echo.appid, trade.echo.attach]).toEqual(['https://m.test/first', appid, 'A']);
    expect((await wx.axios().v3.pay.transactions.native.post(order)).status).toBe(200);
  });

  it('answers re-ordering a paid order ORDERPAID, also once it is refunded in full, and a closed one ORDER_CLOSED', async () => {
    await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-REORDER-PAID', 300));
    await wx.buyerPays('AX-REORDER-PAID');
    const paid = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-REORDER-PAID', 300)).catch(errorResponse);
    expect([paid.status, paid.data.code]).toEqual([400, 'ORDERPAID']);
    await wx.axios().v3.refund.domestic.refunds.post({ out_trade_no: 'AX-REORDER-PAID', out_refund_no: 'AX-REORDER-PAID-R', amount: { refund: 300, total: 300, currency: 'CNY' } });
    await wx.env.clock.advance(wx.env.sim.engine.config.refundDelayMs);
    expect((await query('AX-REORDER-PAID')).data.trade_state).toBe('REFUND');
    const refunded = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-REORDER-PAID', 300)).catch(errorResponse);
    expect([refunded.status, refunded.data.code]).toEqual([400, 'ORDERPAID']);
  });

  it('queries NOTPAY without transaction_id, then SUCCESS by out_trade_no and by transaction_id once paid', async () => {
    await wx.axios().v3.pay.transactions.jsapi.post({ ...nativeOrder(wx.mchid, 'AX-QUERY-1', 1234), attach: 'cart=7', payer: { openid: 'oPAYERopenid0000000000000001' } });
    const unpaid = await query('AX-QUERY-1');
    expect(unpaid.data).toEqual({
      amount: { payer_currency: 'CNY', total: 1234 }, appid, attach: 'cart=7', mchid: wx.mchid, out_trade_no: 'AX-QUERY-1',
      promotion_detail: [], scene_info: { device_id: '' }, trade_state: 'NOTPAY', trade_state_desc: '订单未支付',
    });
    await wx.buyerPays('AX-QUERY-1');
    const paid = await query('AX-QUERY-1');
    expect(paid.data).toMatchObject({
      amount: { currency: 'CNY', payer_currency: 'CNY', payer_total: 1234, total: 1234 }, attach: 'cart=7', bank_type: 'OTHERS',
      payer: { openid: 'oPAYERopenid0000000000000001' }, trade_state: 'SUCCESS', trade_state_desc: '支付成功', trade_type: 'JSAPI',
    });
    expect(paid.data.transaction_id).toMatch(/^42000\d{23}$/);
    expect(paid.data.success_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(Object.keys(paid.data)).toEqual([...Object.keys(paid.data)].sort());
    const byId = await wx.axios().v3.pay.transactions.id._transaction_id_.get({ params: { mchid: wx.mchid }, transaction_id: paid.data.transaction_id });
    expect(byId.data).toEqual(paid.data);
  });

  it('closes an unpaid order with 204 over the empty body (verified), after which it queries CLOSED and cannot be paid', async () => {
    await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-CLOSE-1', 100));
    const closed = await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: wx.mchid }, { out_trade_no: 'AX-CLOSE-1' });
    expect(closed.status).toBe(204);
    expect(closed.data).toBe('');
    expect(closed.headers['wechatpay-signature']).toBeTruthy();
    expect((await query('AX-CLOSE-1')).data).toMatchObject({ trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
    await expect(wx.buyerPays('AX-CLOSE-1')).rejects.toThrow(/409/);
    const reopened = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-CLOSE-1', 100)).catch(errorResponse);
    expect([reopened.status, reopened.data.code]).toEqual([400, 'ORDER_CLOSED']);
  });

  it('refuses to close a paid order with a signed 400 ORDERPAID', async () => {
    await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-CLOSE-PAID', 100));
    await wx.buyerPays('AX-CLOSE-PAID');
    const refused = await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: wx.mchid }, { out_trade_no: 'AX-CLOSE-PAID' }).catch(errorResponse);
    expect([refused.status, refused.data.code]).toEqual([400, 'ORDERPAID']);
    expect(refused.headers['wechatpay-signature']).toBeTruthy();
  });

  it('shows PAYERROR after the buyer fails to pay, and SUCCESS once a later payment goes through', async () => {
    await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-PAYERROR', 100));
    await wx.buyerPays('AX-PAYERROR', 'insufficient');
    expect((await query('AX-PAYERROR')).data.trade_state).toBe('PAYERROR');
    await wx.buyerPays('AX-PAYERROR');
    expect((await query('AX-PAYERROR')).data.trade_state).toBe('SUCCESS');
  });

  it('shows USERPAYING while the buyer confirms (business_error USERPAYING on the create), then SUCCESS', async () => {
    const answer = await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'AX-USERPAYING', 100), { headers: { 'x-paysim-fault': '{"type":"business_error","code":"USERPAYING"}' } });
    expect(answer.status).toBe(200);
    expect((await query('AX-USERPAYING')).data.trade_state).toBe('USERPAYING');
    await wx.env.clock.advance(wx.env.sim.engine.config.barcodeUserPayingMs);
    expect((await query('AX-USERPAYING')).data.trade_state).toBe('SUCCESS');
  });

  it('expires an unpaid order at time_expire: CLOSED', async () => {
    const expire = new Date(wx.env.clock.now() + 60_000 + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
    await wx.axios().v3.pay.transactions.native.post({ ...nativeOrder(wx.mchid, 'AX-EXPIRE', 100), time_expire: expire });
    await wx.env.clock.advance(61_000);
    expect((await query('AX-EXPIRE')).data.trade_state).toBe('CLOSED');
  });

  it('answers an unknown order with a signed 404 ORDER_NOT_EXIST, and an unpaid order by transaction_id alike', async () => {
    const unknown = await query('AX-NOBODY').catch(errorResponse);
    expect([unknown.status, unknown.data]).toEqual([404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' }]);
    expect(unknown.headers['wechatpay-serial']).toBe(wx.data.publicKeyId);
    const tradeNo = wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo: 'AX-NATIVE-1' })!.tradeNo;
    const unpaid = await wx.axios().v3.pay.transactions.id._transaction_id_.get({ params: { mchid: wx.mchid }, transaction_id: tradeNo }).catch(errorResponse);
    expect([unpaid.status, unpaid.data.code]).toEqual([404, 'ORDER_NOT_EXIST']);
  });
});

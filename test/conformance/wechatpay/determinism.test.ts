// The same seed, keys and wall clock give the same WeChat Pay ids and the same answers byte for byte,
// signatures included: nonces come from the seeded source and timestamps from the injected wall clock.
import { expect, it } from 'vitest';
import { nativeOrder, startWechatpaySimulator } from '../../support/wechatpay.ts';

const wallMs = Date.now();

async function run(seed: number) {
  const wx = await startWechatpaySimulator({ seed, wallClock: () => wallMs, channelConfig: { wechatpay: { payUrlStyle: 'real' } } });
  try {
    await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'DT-0001', 700));
    await wx.buyerPays('DT-0001');
    await wx.axios().v3.refund.domestic.refunds.post({ out_trade_no: 'DT-0001', out_refund_no: 'DT-0001-R', amount: { refund: 100, total: 700, currency: 'CNY' } });
    await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: wx.mchid }, out_trade_no: 'DT-0001' });
    const answers = wx.env.sim.engine.journal.page({ type: 'http.exchange', limit: 100 }).entries.map((entry) => {
      const { exchange } = entry as unknown as { exchange: { status: number; responseHeaders: Record<string, string>; responseBody: string } };
      return [exchange.status, exchange.responseHeaders, exchange.responseBody];
    });
    return { answers, refund: wx.env.sim.engine.refunds.all()[0]!.refundNo, tradeNo: wx.env.sim.engine.trades.all()[0]!.tradeNo };
  } finally {
    await wx.close();
  }
}

it('gives the same transaction and refund ids and the same signed answers for the same seed, and others for another seed', async () => {
  const first = await run(11);
  const second = await run(11);
  const other = await run(12);
  expect(first.answers).toHaveLength(3);
  expect(String(first.answers[0]![2])).toMatch(/^\{"code_url":"weixin:\/\/wxpay\/bizpayurl\?pr=/);
  expect(second).toEqual(first);
  expect(other.tradeNo).not.toBe(first.tradeNo);
  expect(other.answers).not.toEqual(first.answers);
});

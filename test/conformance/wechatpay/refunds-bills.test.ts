// Refunds and bills through wechatpay-axios-plugin with verification on: PROCESSING then SUCCESS,
// idempotent on out_refund_no, bounded by what is left; the trade and fund-flow bills, plain and GZIP,
// whose SHA1 the plugin's own download checks, parsed with its Formatter.castCsvBill.
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Formatter } from 'wechatpay-axios-plugin';
import { errorResponse, nativeOrder, startWechatpaySimulator, type WechatpaySimulator } from '../../support/wechatpay.ts';

let wx: WechatpaySimulator;
let billDate: string;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
  billDate = new Date(wx.env.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
});
afterAll(() => wx.close());

const refund = (body: Record<string, unknown>) => wx.axios().v3.refund.domestic.refunds.post(body);
const queryRefund = (outRefundNo: string) => wx.axios().v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: outRefundNo });
const refundBody = (outTradeNo: string, outRefundNo: string, refundFen: number, totalFen: number) => ({ out_trade_no: outTradeNo, out_refund_no: outRefundNo, amount: { refund: refundFen, total: totalFen, currency: 'CNY' } });

async function paid(outTradeNo: string, totalFen: number): Promise<void> {
  await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, outTradeNo, totalFen));
  await wx.buyerPays(outTradeNo);
}

describe('refunds', () => {
  it('accepts a refund as PROCESSING (the real body\'s fields), then SUCCESS with success_time after the delay; the order queries REFUND', async () => {
    await paid('RFD-0001', 1000);
    const accepted = await refund({ ...refundBody('RFD-0001', 'RFD-0001-A', 300, 1000), reason: '商品已售完' });
    expect(accepted.data).toMatchObject({
      amount: { currency: 'CNY', payer_refund: 300, payer_total: 1000, refund: 300, total: 1000 }, channel: 'ORIGINAL', funds_account: 'AVAILABLE',
      out_refund_no: 'RFD-0001-A', out_trade_no: 'RFD-0001', status: 'PROCESSING', user_received_account: '支付用户零钱',
    });
    expect(accepted.data.refund_id).toMatch(/^503\d{26}$/);
    expect(accepted.data.success_time).toBeUndefined();
    expect((await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: wx.mchid }, out_trade_no: 'RFD-0001' })).data.trade_state).toBe('REFUND');
    await wx.env.clock.advance(wx.env.sim.engine.config.refundDelayMs);
    const done = await queryRefund('RFD-0001-A');
    expect(done.data).toMatchObject({ status: 'SUCCESS', refund_id: accepted.data.refund_id });
    expect(done.data.success_time).toMatch(/\+08:00$/);
  });

  it('returns the same refund for the same out_refund_no, refuses another amount under it, and refuses more than is left', async () => {
    await paid('RFD-0002', 500);
    const first = await refund(refundBody('RFD-0002', 'RFD-0002-A', 400, 500));
    const replay = await refund(refundBody('RFD-0002', 'RFD-0002-A', 400, 500));
    expect(replay.data.refund_id).toBe(first.data.refund_id);
    const discordant = await refund(refundBody('RFD-0002', 'RFD-0002-A', 100, 500)).catch(errorResponse);
    expect([discordant.status, discordant.data.code]).toEqual([400, 'INVALID_REQUEST']);
    const tooMuch = await refund(refundBody('RFD-0002', 'RFD-0002-B', 101, 500)).catch(errorResponse);
    expect([tooMuch.status, tooMuch.data.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(tooMuch.headers['wechatpay-signature']).toBeTruthy();
    const rest = await refund(refundBody('RFD-0002', 'RFD-0002-B', 100, 500));
    expect(rest.data.status).toBe('PROCESSING');
    await wx.env.clock.advance(wx.env.sim.engine.config.refundDelayMs);
    const afterFull = await refund(refundBody('RFD-0002', 'RFD-0002-C', 1, 500)).catch(errorResponse);
    expect([afterFull.status, afterFull.data.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(wx.env.sim.engine.refunds.all().filter((item) => item.outTradeNo === 'RFD-0002')).toHaveLength(2);
  });

  it('refunds by transaction_id, and refuses a wrong total, an unpaid order and an unknown refund with WeChat\'s codes', async () => {
    await paid('RFD-0003', 200);
    const transactionId = wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo: 'RFD-0003' })!.tradeNo;
    const byId = await refund({ transaction_id: transactionId, out_refund_no: 'RFD-0003-A', amount: { refund: 50, total: 200, currency: 'CNY' } });
    expect(byId.data.out_trade_no).toBe('RFD-0003');
    const wrongTotal = await refund(refundBody('RFD-0003', 'RFD-0003-B', 50, 201)).catch(errorResponse);
    expect([wrongTotal.status, wrongTotal.data.code]).toEqual([400, 'INVALID_REQUEST']);
    await wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, 'RF-UNPAID', 200));
    const unpaid = await refund(refundBody('RF-UNPAID', 'RF-U-A', 50, 200)).catch(errorResponse);
    expect([unpaid.status, unpaid.data.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
    const unknown = await queryRefund('RF-NOBODY').catch(errorResponse);
    expect([unknown.status, unknown.data.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
    const malformed = await refund({ out_trade_no: 'RFD-0003', out_refund_no: 'RFD-0003-C', amount: { refund: '50', total: 200 } }).catch(errorResponse);
    expect([malformed.status, malformed.data.code, malformed.data.detail.field]).toEqual([400, 'PARAM_ERROR', '/amount/refund']);
  });
});

describe('bills', () => {
  const tradeBill = (params: Record<string, string>) => wx.axios().v3.bill.tradebill.get({ params });
  /** The plugin's documented download: responseType arraybuffer, so axios does not strip the BOM. */
  const download = (downloadUrl: string) => {
    const { pathname, search } = new URL(downloadUrl);
    return wx.axios().v3.billdownload.file.get({ params: Object.fromEntries(new URLSearchParams(search)), responseType: 'arraybuffer', url: pathname });
  };

  it('answers STATEMENT_CREATING for a day not over, and NO_STATEMENT_EXIST for a day without trades', async () => {
    const today = await tradeBill({ bill_date: billDate }).catch(errorResponse);
    expect([today.status, today.data.code]).toEqual([400, 'STATEMENT_CREATING']);
    await wx.env.clock.advance(24 * 3_600_000);
    const empty = await tradeBill({ bill_date: '2025-12-30' }).catch(errorResponse);
    expect([empty.status, empty.data.code]).toEqual([400, 'NO_STATEMENT_EXIST']);
    const malformed = await tradeBill({ bill_date: '2026/01/01' }).catch(errorResponse);
    expect([malformed.status, malformed.data.code]).toEqual([400, 'PARAM_ERROR']);
  });

  it('serves the ALL trade bill: BOM, plain headers, backtick rows and summary, the SHA1 of hash_value, parsed by castCsvBill', async () => {
    const link = await tradeBill({ bill_date: billDate, bill_type: 'ALL' });
    expect(link.data).toMatchObject({ hash_type: 'SHA1' });
    expect(link.data.download_url).toMatch(/^https:\/\/api\.mch\.weixin\.qq\.com\/v3\/billdownload\/file\?token=\w+$/);
    const file = Buffer.from((await download(link.data.download_url)).data);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(createHash('sha1').update(file).digest('hex')).toBe(link.data.hash_value);
    const lines = file.subarray(3).toString('utf8').split('\n');
    expect(lines[0]).toBe('交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注');
    expect(lines.at(-1)).toBe('');
    const { rows, summary } = Formatter.castCsvBill(file) as { rows: Record<string, string>[]; summary: Record<string, string> };
    const payment = rows.find((row) => row['商户订单号'] === 'RFD-0001' && row['交易状态'] === 'SUCCESS')!;
    expect(payment).toMatchObject({ 商户号: wx.mchid, 特约商户号: '0', 应结订单金额: '10.00', 手续费: '0.06000', 费率: '0.60%', 订单金额: '10.00', 微信退款单号: '0' });
    const refunded = rows.find((row) => row['商户退款单号'] === 'RFD-0001-A')!;
    expect(refunded).toMatchObject({ 交易状态: 'REFUND', 应结订单金额: '0.00', 退款金额: '3.00', 退款类型: 'ORIGINAL', 退款状态: 'SUCCESS', 申请退款金额: '3.00' });
    expect(Number(summary['总交易单数'])).toBe(rows.length);
  });

  it('serves SUCCESS and REFUND bills with their own columns, and GZIP files whose hash is over the uncompressed bytes', async () => {
    const success = Buffer.from((await download((await tradeBill({ bill_date: billDate, bill_type: 'SUCCESS' })).data.download_url)).data);
    expect(success.subarray(3).toString('utf8').split('\n')[0]).toBe('交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注');
    const refundLines = Buffer.from((await download((await tradeBill({ bill_date: billDate, bill_type: 'REFUND' })).data.download_url)).data).subarray(3).toString('utf8').split('\n');
    expect(refundLines[0]).toContain('代金券金额,退款申请时间,退款成功时间,微信退款单号');
    expect(refundLines.at(-3)).toBe('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');
    const gzipLink = await tradeBill({ bill_date: billDate, tar_type: 'GZIP' });
    expect(gzipLink.data.download_url).toMatch(/&tartype=gzip$/);
    const gzipped = Buffer.from((await download(gzipLink.data.download_url)).data);
    expect(createHash('sha1').update(gunzipSync(gzipped)).digest('hex')).toBe(gzipLink.data.hash_value);
  });

  it('serves the fund-flow bill of the basic account', async () => {
    const link = await wx.axios().v3.bill.fundflowbill.get({ params: { bill_date: billDate, account_type: 'BASIC' } });
    const file = Buffer.from((await download(link.data.download_url)).data);
    expect(createHash('sha1').update(file).digest('hex')).toBe(link.data.hash_value);
    const { rows, summary } = Formatter.castCsvBill(file) as { rows: Record<string, string>[]; summary: Record<string, string> };
    expect(rows.some((row) => row['业务名称'] === '退款' && row['收支类型'] === '支出')).toBe(true);
    expect(Number(summary['资金流水总笔数'])).toBe(rows.length);
  });

  it('refuses an unsigned download (401 SIGN_ERROR) and a token past its 30 s (400 INVALID_REQUEST)', async () => {
    const link = await tradeBill({ bill_date: billDate });
    const { pathname, search } = new URL(link.data.download_url);
    const unsigned = await fetch(`${wx.env.url}${pathname}${search}`);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { code: string }).code).toBe('SIGN_ERROR');
    await wx.env.clock.advance(30_000);
    const expired = await download(link.data.download_url).catch(errorResponse);
    expect(expired.status).toBe(400);
    expect(JSON.parse(Buffer.from(expired.data).toString('utf8')).code).toBe('INVALID_REQUEST');
  });
});

// Every layer of the fault catalogue acts on WeChat Pay exchanges, seen through wechatpay-axios-plugin:
// transport and protocol faults on API calls, notification, refund, bill, buyer and trade-timeline
// faults, and the magic amounts.
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Aes } from 'wechatpay-axios-plugin';
import { errorResponse, nativeOrder, startNotifyReceiver, startWechatpaySimulator, type NotifyReceiver, type WechatpaySimulator } from '../../support/wechatpay.ts';

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
  wx.env.sim.engine.faults.clear();
  receiver.arrivals.length = 0;
});

const oneOff = (fault: unknown) => ({ headers: { 'x-paysim-fault': JSON.stringify(fault) } });
const create = (outTradeNo: string, totalFen = 100, config = {}) => wx.axios().v3.pay.transactions.native.post(nativeOrder(wx.mchid, outTradeNo, totalFen, receiver.url), config);
const tradeOf = (outTradeNo: string) => wx.env.sim.engine.trades.find('wechatpay', wx.mchid, { outTradeNo });
const addRule = (rule: Parameters<WechatpaySimulator['env']['sim']['engine']['faults']['add']>[0]) => wx.env.sim.engine.faults.add(rule);

describe('gateway faults on WeChat Pay calls', () => {
  it('answers http_error with the status and an HTML page, before anything is created', async () => {
    const failed = await create('FT-HTTP-1', 100, oneOff({ type: 'http_error', status: 502 })).catch(errorResponse);
    expect(failed.status).toBe(502);
    expect(String(failed.data)).toContain('<html>');
    expect(tradeOf('FT-HTTP-1')).toBeUndefined();
  });

  it('loses the answer under response_lost after the order was created', async () => {
    const thrown = await create('FT-LOST-1', 100, oneOff({ type: 'response_lost' })).catch((error: Error & { code?: string }) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect(tradeOf('FT-LOST-1')?.state.kind).toBe('waiting');
  });

  it('cuts the body under malformed_body, which no longer verifies', async () => {
    const thrown = await create('FT-HALF-1', 100, oneOff({ type: 'malformed_body' })).catch((error: Error & { code?: string }) => error);
    expect((thrown as { code?: string }).code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
  });

  it('answers business_error and rate_limit in WeChat\'s codes and statuses, signed, by rule on the path', async () => {
    addRule({ match: { channel: 'wechatpay', api: 'POST /v3/refund/domestic/refunds' }, fault: { type: 'business_error', code: 'NOT_ENOUGH', message: '基本账户余额不足，请充值后重新发起' }, timesMax: 1 });
    await create('FT-BIZ-1');
    await wx.buyerPays('FT-BIZ-1');
    const refused = await wx.axios().v3.refund.domestic.refunds.post({ out_trade_no: 'FT-BIZ-1', out_refund_no: 'FT-BIZ-R1', amount: { refund: 100, total: 100, currency: 'CNY' } }).catch(errorResponse);
    expect([refused.status, refused.data]).toEqual([403, { code: 'NOT_ENOUGH', message: '基本账户余额不足，请充值后重新发起' }]);
    expect(refused.headers['wechatpay-signature']).toBeTruthy();
    const limited = await create('FT-RATE-1', 100, oneOff({ type: 'rate_limit' })).catch(errorResponse);
    expect([limited.status, limited.data.code]).toEqual([429, 'FREQUENCY_LIMITED']);
  });

  it('holds a call under delay until the virtual clock has moved', async () => {
    let settled = false;
    const pending = create('FT-DELAY-1', 100, oneOff({ type: 'delay', ms: 5_000 })).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    await wx.env.clock.advance(5_000);
    await pending;
    expect(settled).toBe(true);
  });
});

describe('notification, refund, buyer and timeline faults', () => {
  it('drops the first attempt under drop, and sends copies under duplicate', async () => {
    addRule({ match: { channel: 'wechatpay', outTradeNo: '^FT-DROP-1$' }, fault: { type: 'drop' }, timesMax: 1 });
    await create('FT-DROP-1');
    await wx.buyerPays('FT-DROP-1');
    await wx.env.clock.advance(0);
    expect(receiver.arrivals).toHaveLength(0);
    await wx.env.clock.advance(15_000);
    expect(receiver.arrivals).toHaveLength(1);
    addRule({ match: { channel: 'wechatpay', outTradeNo: '^FT-DUP-1$' }, fault: { type: 'duplicate', copies: 2 }, timesMax: 1 });
    await create('FT-DUP-1');
    await wx.buyerPays('FT-DUP-1');
    await wx.env.clock.advance(0);
    expect(receiver.arrivals).toHaveLength(4);
  });

  it('reports another amount under tamper_amount (the magic amount 4000.24 does the same)', async () => {
    await create('FT-TAMPER-1', 400_024);
    await wx.buyerPays('FT-TAMPER-1');
    await wx.env.clock.advance(0);
    const envelope = JSON.parse(receiver.arrivals[0]!.body) as { resource: { ciphertext: string; nonce: string; associated_data: string } };
    const transaction = JSON.parse(Aes.AesGcm.decrypt(envelope.resource.ciphertext, wx.data.apiV3Key!, envelope.resource.nonce, envelope.resource.associated_data)) as { amount: { total: number } };
    expect(transaction.amount.total).toBe(1);
  });

  it('names another appid under tamper_identity (magic 4000.84), and another mchid in a refund, which names no appid', async () => {
    const decrypt = (body: string) => {
      const envelope = JSON.parse(body) as { resource: { ciphertext: string; nonce: string; associated_data: string } };
      return JSON.parse(Aes.AesGcm.decrypt(envelope.resource.ciphertext, wx.data.apiV3Key!, envelope.resource.nonce, envelope.resource.associated_data)) as { appid?: string; mchid: string; amount: Record<string, number> };
    };
    await create('FT-IDENTITY-1', 400_084);
    await wx.buyerPays('FT-IDENTITY-1');
    await wx.env.clock.advance(0);
    const transaction = decrypt(receiver.arrivals[0]!.body);
    const appid = tradeOf('FT-IDENTITY-1')!.echo.appid!;
    expect(transaction.appid).toMatch(/^wx/);
    expect(transaction.appid).not.toBe(appid);
    expect(transaction.appid!.slice(0, -1)).toBe(appid.slice(0, -1));
    expect(transaction).toMatchObject({ mchid: wx.mchid, amount: { total: 400_084 } });

    receiver.arrivals.length = 0;
    addRule({ match: { channel: 'wechatpay', api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'tamper_identity' } });
    await create('FT-IDENTITY-2');
    await wx.buyerPays('FT-IDENTITY-2');
    await wx.axios().v3.refund.domestic.refunds.post({ out_trade_no: 'FT-IDENTITY-2', out_refund_no: 'FT-IDENTITY-R', notify_url: receiver.url, amount: { refund: 100, total: 100, currency: 'CNY' } });
    await wx.env.clock.advance(60_000);
    const refunds = receiver.arrivals.map((arrival) => decrypt(arrival.body)).filter((resource) => 'refund' in resource.amount);
    expect(refunds.length).toBeGreaterThan(0);
    expect(refunds[0]!.appid).toBeUndefined();
    expect(refunds[0]!.mchid).not.toBe(wx.mchid);
    expect(refunds[0]!.mchid.slice(0, -1)).toBe(wx.mchid.slice(0, -1));
  });

  it('keeps a refund PROCESSING under refund_stuck until its time', async () => {
    addRule({ match: { channel: 'wechatpay', outRequestNo: '^FT-STUCK-R$' }, fault: { type: 'refund_stuck', ms: 3_600_000 } });
    await create('FT-STUCK-1');
    await wx.buyerPays('FT-STUCK-1');
    await wx.axios().v3.refund.domestic.refunds.post({ out_trade_no: 'FT-STUCK-1', out_refund_no: 'FT-STUCK-R', amount: { refund: 100, total: 100, currency: 'CNY' } });
    await wx.env.clock.advance(60_000);
    const query = () => wx.axios().v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: 'FT-STUCK-R' });
    expect((await query()).data.status).toBe('PROCESSING');
    await wx.env.clock.advance(3_600_000);
    expect((await query()).data.status).toBe('SUCCESS');
  });

  it('lets the buyer walk away under abandon, and pays a closed order under late_success', async () => {
    addRule({ match: { channel: 'wechatpay', outTradeNo: '^FT-ABANDON-1$' }, fault: { type: 'abandon' } });
    await create('FT-ABANDON-1');
    await wx.buyerPays('FT-ABANDON-1');
    expect(tradeOf('FT-ABANDON-1')?.state.kind).toBe('waiting');
    addRule({ match: { channel: 'wechatpay', outTradeNo: '^FT-LATE-1$' }, fault: { type: 'late_success' } });
    await create('FT-LATE-1');
    await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: wx.mchid }, { out_trade_no: 'FT-LATE-1' });
    await wx.env.clock.advance(1_000);
    const queried = await wx.axios().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: wx.mchid }, out_trade_no: 'FT-LATE-1' });
    expect(queried.data.trade_state).toBe('SUCCESS');
    expect(receiver.arrivals.some((arrival) => arrival.body.includes('TRANSACTION.SUCCESS'))).toBe(true);
  });
});

describe('bill faults', () => {
  it('leaves a row out under bill_missing_row, answers STATEMENT_CREATING under bill_not_ready, and spoils the file under bill_corrupt', async () => {
    await create('FT-BILL-1', 700);
    await wx.buyerPays('FT-BILL-1');
    await create('FT-BILL-2', 800);
    await wx.buyerPays('FT-BILL-2');
    const billDate = new Date(wx.env.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await wx.env.clock.advance(24 * 3_600_000);
    const bill = (params: Record<string, string>) => wx.axios().v3.bill.tradebill.get({ params: { bill_date: billDate, ...params } });
    addRule({ match: { channel: 'wechatpay', api: 'bill' }, fault: { type: 'bill_not_ready' }, timesMax: 1 });
    const notReady = await bill({}).catch(errorResponse);
    expect([notReady.status, notReady.data.code]).toEqual([400, 'STATEMENT_CREATING']);
    addRule({ match: { channel: 'wechatpay', outTradeNo: '^FT-BILL-2$' }, fault: { type: 'bill_missing_row' } });
    const link = await bill({});
    const { pathname, search } = new URL(link.data.download_url);
    const file = Buffer.from((await wx.axios().v3.billdownload.file.get({ url: pathname, params: Object.fromEntries(new URLSearchParams(search)), responseType: 'arraybuffer' })).data).toString('utf8');
    expect(file).toContain('`FT-BILL-1');
    expect(file).not.toContain('`FT-BILL-2');
  });

  it('serves a file whose SHA1 is not hash_value under bill_corrupt', async () => {
    await create('FT-CORRUPT-1', 700);
    await wx.buyerPays('FT-CORRUPT-1');
    const billDate = new Date(wx.env.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await wx.env.clock.advance(24 * 3_600_000);
    addRule({ match: { channel: 'wechatpay', api: 'bill' }, fault: { type: 'bill_corrupt' } });
    const link = await wx.axios().v3.bill.tradebill.get({ params: { bill_date: billDate } });
    const { pathname, search } = new URL(link.data.download_url);
    const bytes = Buffer.from((await wx.axios().v3.billdownload.file.get({ url: pathname, params: Object.fromEntries(new URLSearchParams(search)), responseType: 'arraybuffer' })).data);
    expect(createHash('sha1').update(bytes).digest('hex')).not.toBe(link.data.hash_value);
  });
});

// The trade methods of the v2 gateway, driven by the official alipay-sdk with response signatures
// verified: each succeeds and fails as docs/alipay-protocol.md §5–§7 says the real channel does.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { postGateway, commonParameters, signRequest } from '../../support/raw-gateway.ts';
import { barcodeOrder, confirmingAuthCode, createOrder, precreateOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
});
afterAll(() => env.close());

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, verified);
const query = (bizContent: Record<string, unknown>) => exec('alipay.trade.query', bizContent);
const statusOf = async (outTradeNo: string) => (await query({ outTradeNo })).tradeStatus as string | undefined;

describe('alipay.trade.precreate', () => {
  it('returns a qr_code, and the trade exists only once the buyer scans it', async () => {
    const outTradeNo = uniqueNo('PRE');
    const created = await exec('alipay.trade.precreate', precreateOrder(outTradeNo));
    expect(created).toMatchObject({ code: '10000', msg: 'Success', outTradeNo });
    expect(created.qrCode).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cashier\/[0-9a-f]+$/);

    expect(await query({ outTradeNo })).toMatchObject({ code: '40004', msg: 'Business Failed', subCode: 'ACQ.TRADE_NOT_EXIST' });
    const scanned = await fetch(created.qrCode);
    expect(scanned.status).toBe(200);
    expect(await query({ outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY', totalAmount: '88.80' });
  });

  it('answers ACQ.TRADE_HAS_SUCCESS when the out_trade_no was already paid', async () => {
    const outTradeNo = uniqueNo('PRE');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo));
    expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo))).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_HAS_SUCCESS' });
  });

  it('refuses a request without subject with 40001 isv.missing-parameter', async () => {
    const result = await exec('alipay.trade.precreate', { outTradeNo: uniqueNo('PRE'), totalAmount: '1.00' });
    expect(result).toMatchObject({ code: '40001', msg: 'Missing Required Arguments' });
    expect(result.subMsg).toContain('subject');
  });
});

it('refuses a time_expire more than 15 days ahead of its clock with timeExpireRange: enforce', async () => {
  const strict = await startSimulator({ channelConfig: { alipay: { timeExpireRange: 'enforce' } } });
  try {
    const strictSdk = alipaySdk(strict.url);
    const at = (offsetMs: number) => formatBeijingDateTime(strict.clock.now() + offsetMs);
    const order = (timeExpire: string) => strictSdk.exec('alipay.trade.precreate', { bizContent: { ...precreateOrder(uniqueNo('EXP')), timeExpire } }, verified);
    expect(await order(at(15 * 86_400_000 + 60_000))).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    expect(await order(at(15 * 86_400_000 - 60_000))).toMatchObject({ code: '10000' });
  } finally {
    await strict.close();
  }
});

describe('alipay.trade.create', () => {
  it('opens a WAIT_BUYER_PAY trade for a 2088 buyer_id and returns its trade_no', async () => {
    const outTradeNo = uniqueNo('CRE');
    const created = await exec('alipay.trade.create', createOrder(outTradeNo));
    expect(created).toMatchObject({ code: '10000', outTradeNo });
    expect(created.tradeNo).toMatch(/^\d{28}$/);
    expect(await query({ outTradeNo })).toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY', tradeNo: created.tradeNo });
  });

  it('is paid by the buyer its buyer_id names: the query and the notification carry that buyer_user_id', async () => {
    const outTradeNo = uniqueNo('CRE');
    const buyerId = '2088102146225135';
    await sdk.exec('alipay.trade.create', { bizContent: { ...createOrder(outTradeNo), buyerId }, notifyUrl: 'http://127.0.0.1:9/notify' }, verified);
    const paid = await fetch(`${env.url}/_sim/buyer/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', outTradeNo }) });
    expect(paid.status).toBe(200);
    const queried = await query({ outTradeNo });
    expect(queried).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', buyerUserId: buyerId });
    expect(queried.buyerLogonId).toMatch(/\*\*\*/);
    const notification = env.sim.engine.outbox.all().find((item) => item.tradeKey.endsWith(`:${outTradeNo}`));
    expect(notification?.fields.buyer_id).toBe(buyerId);
  });

  it('refuses a buyer_id that is not 2088 followed by 12 digits', async () => {
    const result = await exec('alipay.trade.create', { ...createOrder(uniqueNo('CRE')), buyerId: '1234' });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    expect(result.subMsg).toContain('buyer_id');
  });

  it('refuses a request with neither buyer_id nor buyer_open_id', async () => {
    const { buyerId: _buyerId, ...withoutBuyer } = createOrder(uniqueNo('CRE'));
    expect(await exec('alipay.trade.create', withoutBuyer)).toMatchObject({ code: '40001', subCode: 'isv.missing-parameter' });
  });
});

describe('alipay.trade.pay', () => {
  it('succeeds at once for a barcode payment with the paid amounts and fund bill', async () => {
    const outTradeNo = uniqueNo('PAY');
    const paid = await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '12.34'));
    expect(paid).toMatchObject({ code: '10000', outTradeNo, totalAmount: '12.34', receiptAmount: '12.34', buyerPayAmount: '12.34' });
    expect(paid.buyerUserId).toMatch(/^2088\d{12}$/);
    expect(paid.gmtPayment).toBe(formatBeijingDateTime(env.clock.now()));
    expect(paid.fundBillList).toEqual([{ fundChannel: 'ALIPAYACCOUNT', amount: '12.34', realAmount: '12.34' }]);
    expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
  });

  it('answers 10003 for an auth code starting with 2800 and turns TRADE_SUCCESS after barcodeUserPayingMs', async () => {
    const outTradeNo = uniqueNo('PAY');
    const pending = await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '5.00', confirmingAuthCode));
    expect(pending).toMatchObject({ code: '10003', outTradeNo });
    expect(pending.tradeNo).toMatch(/^\d{28}$/);
    const waitMs = env.sim.engine.config.barcodeUserPayingMs;
    await env.clock.advance(waitMs - 1);
    expect(await statusOf(outTradeNo)).toBe('WAIT_BUYER_PAY');
    await env.clock.advance(1);
    expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
  });

  it('refuses an auth code that is not a payment code with ACQ.PAYMENT_AUTH_CODE_INVALID', async () => {
    const result = await exec('alipay.trade.pay', barcodeOrder(uniqueNo('PAY'), '1.00', 'not-a-code'));
    expect(result).toMatchObject({ code: '40004', subCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
  });

  it('answers ACQ.TRADE_HAS_SUCCESS when the same out_trade_no is paid twice', async () => {
    const outTradeNo = uniqueNo('PAY');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo));
    expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo))).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_HAS_SUCCESS' });
  });
});

describe('alipay.trade.query', () => {
  it('reports WAIT_BUYER_PAY for a created, unpaid trade', async () => {
    const outTradeNo = uniqueNo('QRY');
    await exec('alipay.trade.create', createOrder(outTradeNo));
    expect(await query({ outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY', buyerPayAmount: '0.00' });
  });

  it('reports TRADE_SUCCESS with the payment date for a paid trade', async () => {
    const outTradeNo = uniqueNo('QRY');
    const paid = await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '3.00'));
    expect(await query({ outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', totalAmount: '3.00', receiptAmount: '3.00', sendPayDate: paid.gmtPayment });
  });

  it('reports TRADE_CLOSED for a closed trade', async () => {
    const outTradeNo = uniqueNo('QRY');
    await exec('alipay.trade.create', createOrder(outTradeNo));
    await exec('alipay.trade.close', { outTradeNo });
    expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
  });

  it('reports TRADE_FINISHED once the refund window of a paid trade is over, and refuses refunds then', async () => {
    const own = await startSimulator();
    try {
      const ownSdk = alipaySdk(own.url);
      const outTradeNo = uniqueNo('FIN');
      await ownSdk.exec('alipay.trade.pay', { bizContent: barcodeOrder(outTradeNo) }, verified);
      await own.clock.advance(own.sim.engine.refundWindowMs('alipay') - 1);
      expect((await ownSdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('TRADE_SUCCESS');
      await own.clock.advance(1);
      expect((await ownSdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified)).tradeStatus).toBe('TRADE_FINISHED');
      const refund = await ownSdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '1.00', outRequestNo: 'R1' } }, verified);
      expect(refund).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_HAS_FINISHED' });
    } finally {
      await own.close();
    }
  });

  it('answers ACQ.TRADE_NOT_EXIST for an unknown out_trade_no', async () => {
    expect(await query({ outTradeNo: uniqueNo('NONE') })).toMatchObject({ code: '40004', msg: 'Business Failed', subCode: 'ACQ.TRADE_NOT_EXIST', subMsg: '交易不存在' });
  });

  it('lets trade_no win over out_trade_no when both are given', async () => {
    const first = uniqueNo('WIN');
    const second = uniqueNo('WIN');
    const created = await exec('alipay.trade.create', createOrder(first, '1.11'));
    await exec('alipay.trade.create', createOrder(second, '2.22'));
    expect(await query({ tradeNo: created.tradeNo, outTradeNo: second })).toMatchObject({ outTradeNo: first, totalAmount: '1.11' });
  });
});

describe('alipay.trade.close', () => {
  it('closes an unpaid trade', async () => {
    const outTradeNo = uniqueNo('CLO');
    const created = await exec('alipay.trade.create', createOrder(outTradeNo));
    expect(await exec('alipay.trade.close', { outTradeNo })).toMatchObject({ code: '10000', outTradeNo, tradeNo: created.tradeNo });
    expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
  });

  it('refuses to close a paid trade with ACQ.TRADE_STATUS_ERROR', async () => {
    const outTradeNo = uniqueNo('CLO');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo));
    expect(await exec('alipay.trade.close', { outTradeNo })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
    expect(await statusOf(outTradeNo)).toBe('TRADE_SUCCESS');
  });

  it('answers ACQ.TRADE_NOT_EXIST for an unknown trade', async () => {
    expect(await exec('alipay.trade.close', { outTradeNo: uniqueNo('NONE') })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });
});

describe('alipay.trade.cancel', () => {
  it('closes an unpaid trade and answers action close', async () => {
    const outTradeNo = uniqueNo('CAN');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '9.00', confirmingAuthCode));
    expect(await exec('alipay.trade.cancel', { outTradeNo })).toMatchObject({ code: '10000', outTradeNo, retryFlag: 'N', action: 'close' });
    expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
  });

  it('refunds a paid trade in full and answers action refund', async () => {
    const outTradeNo = uniqueNo('CAN');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '9.00'));
    const cancelled = await exec('alipay.trade.cancel', { outTradeNo });
    expect(cancelled).toMatchObject({ code: '10000', outTradeNo, retryFlag: 'N', action: 'refund' });
    expect(cancelled.gmtRefundPay).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await statusOf(outTradeNo)).toBe('TRADE_CLOSED');
  });

  it('answers ACQ.TRADE_NOT_EXIST for an unknown trade', async () => {
    expect(await exec('alipay.trade.cancel', { outTradeNo: uniqueNo('NONE') })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });
});

describe('response envelope', () => {
  it('carries a trace_id header, which the SDK copies into result.traceId', async () => {
    const raw = await postGateway(env.url, signRequest(commonParameters('alipay.trade.query', JSON.stringify({ out_trade_no: 'ANY' }))));
    expect(raw.status).toBe(200);
    expect(raw.headers.get('trace_id')).toMatch(/^[0-9a-f]{16,}$/);
    const result = await query({ outTradeNo: 'ANY' });
    expect(result.traceId).toMatch(/^[0-9a-f]{16,}$/);
    expect(result.traceId).not.toBe(raw.headers.get('trace_id'));
  });

  it('is {"<method>_response":{…},"sign":"…"} with the signature over the exact inner bytes', async () => {
    const raw = await postGateway(env.url, signRequest(commonParameters('alipay.trade.query', JSON.stringify({ out_trade_no: 'ANY' }))));
    expect(raw.text).toMatch(/^\{"alipay_trade_query_response":\{.*\},"sign":"[A-Za-z0-9+/=]+"\}$/);
    const sign = (JSON.parse(raw.text) as { sign: string }).sign;
    expect(() => sdk.checkResponseSign(raw.text, 'alipay_trade_query_response', sign, '')).not.toThrow();
  });
});

// OpenAPI v3 through `sdk.curl` (§4): the SDK signs each request into the Authorization header and
// verifies every 2xx answer's alipay-signature; errors are 4xx JSON that the SDK throws as AlipayRequestError.
import { AlipayRequestError, type AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { buyerId, confirmingAuthCode, instantAuthCode, uniqueNo } from '../../support/orders.ts';
import { alipaySdk } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
});
afterAll(() => env.close());

const post = (path: string, body: Record<string, unknown>) => sdk.curl('POST', `/v3/alipay/trade/${path}`, { body });
const barcode = (outTradeNo: string, authCode = instantAuthCode) => ({ out_trade_no: outTradeNo, total_amount: '18.00', subject: 'v3 条码', scene: 'bar_code', auth_code: authCode });

async function rejection(call: Promise<unknown>): Promise<AlipayRequestError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AlipayRequestError);
  return error as AlipayRequestError;
}

it('POST /v3/alipay/trade/precreate returns a signed 200 with the qr_code and a trace id', async () => {
  const outTradeNo = uniqueNo('V3P');
  const result = await post('precreate', { out_trade_no: outTradeNo, total_amount: '8.00', subject: 'v3 扫码' });
  expect(result.responseHttpStatus).toBe(200);
  expect(result.data).toMatchObject({ out_trade_no: outTradeNo });
  expect(result.data.qr_code).toMatch(/\/cashier\/[0-9a-f]+$/);
  expect(result.traceId).toMatch(/^[0-9a-f]{16,}$/);
});

it('POST /v3/alipay/trade/create opens a trade that POST /v3/alipay/trade/query reports WAIT_BUYER_PAY', async () => {
  const outTradeNo = uniqueNo('V3C');
  const created = await post('create', { out_trade_no: outTradeNo, total_amount: '8.00', subject: 'v3 小程序', buyer_id: buyerId });
  expect(created.data.trade_no).toMatch(/^\d{28}$/);
  const queried = await post('query', { out_trade_no: outTradeNo });
  expect(queried.data).toMatchObject({ trade_no: created.data.trade_no, trade_status: 'WAIT_BUYER_PAY', total_amount: '8.00' });
});

it('POST /v3/alipay/trade/pay pays a barcode trade at once', async () => {
  const outTradeNo = uniqueNo('V3B');
  const paid = await post('pay', barcode(outTradeNo));
  expect(paid.data).toMatchObject({ out_trade_no: outTradeNo, total_amount: '18.00', receipt_amount: '18.00' });
  expect((await post('query', { out_trade_no: outTradeNo })).data.trade_status).toBe('TRADE_SUCCESS');
});

it('POST /v3/alipay/trade/pay answers 10003 in the body while the buyer confirms', async () => {
  const outTradeNo = uniqueNo('V3B');
  const pending = await post('pay', barcode(outTradeNo, confirmingAuthCode));
  expect(pending.responseHttpStatus).toBe(200);
  expect(pending.data).toMatchObject({ code: '10003', out_trade_no: outTradeNo });
});

it('POST /v3/alipay/trade/refund and /fastpay/refund/query follow the refund to REFUND_SUCCESS', async () => {
  const outTradeNo = uniqueNo('V3R');
  await post('pay', barcode(outTradeNo));
  const refund = await post('refund', { out_trade_no: outTradeNo, refund_amount: '5.00', out_request_no: 'V3-R1' });
  expect(refund.data).toMatchObject({ out_trade_no: outTradeNo, fund_change: 'Y', refund_fee: '5.00' });
  const processing = await post('fastpay/refund/query', { out_trade_no: outTradeNo, out_request_no: 'V3-R1' });
  expect(processing.data).not.toHaveProperty('refund_status');
  await env.clock.advance(env.sim.engine.config.refundDelayMs);
  const done = await post('fastpay/refund/query', { out_trade_no: outTradeNo, out_request_no: 'V3-R1' });
  expect(done.data).toMatchObject({ out_request_no: 'V3-R1', refund_amount: '5.00', refund_status: 'REFUND_SUCCESS' });
});

it('POST /v3/alipay/trade/close closes an unpaid trade', async () => {
  const outTradeNo = uniqueNo('V3X');
  await post('create', { out_trade_no: outTradeNo, total_amount: '8.00', subject: 'v3', buyer_id: buyerId });
  expect((await post('close', { out_trade_no: outTradeNo })).data).toMatchObject({ out_trade_no: outTradeNo });
  expect((await post('query', { out_trade_no: outTradeNo })).data.trade_status).toBe('TRADE_CLOSED');
});

it('POST /v3/alipay/trade/cancel refunds a paid trade', async () => {
  const outTradeNo = uniqueNo('V3X');
  await post('pay', barcode(outTradeNo));
  expect((await post('cancel', { out_trade_no: outTradeNo })).data).toMatchObject({ out_trade_no: outTradeNo, action: 'refund', retry_flag: 'N' });
});

it('GET /v3/alipay/data/dataservice/bill/downloadurl/query answers with a download URL for a finished day', async () => {
  const outTradeNo = uniqueNo('V3D');
  await post('pay', barcode(outTradeNo));
  const billDate = formatBeijingDate(env.clock.now());
  await env.clock.advance(24 * 60 * 60_000);
  const result = await sdk.curl('GET', '/v3/alipay/data/dataservice/bill/downloadurl/query', { query: { bill_type: 'trade', bill_date: billDate } });
  expect(result.responseHttpStatus).toBe(200);
  expect(result.data.bill_download_url).toContain('/downloadBillFile.resource?');
  expect((await fetch(result.data.bill_download_url)).status).toBe(200);
});

it('throws a business error as AlipayRequestError with its code and HTTP status 400', async () => {
  const error = await rejection(post('query', { out_trade_no: uniqueNo('NONE') }));
  expect(error.code).toBe('ACQ.TRADE_NOT_EXIST');
  expect(error.responseHttpStatus).toBe(400);
  expect(error.message).toContain('交易不存在');
  expect(error.links).toHaveLength(1);
});

it('throws an invalid parameter as AlipayRequestError with HTTP status 400', async () => {
  const error = await rejection(post('precreate', { out_trade_no: uniqueNo('V3'), total_amount: '1.234', subject: 'x' }));
  expect(error.code).toBe('isv.invalid-parameter');
  expect(error.responseHttpStatus).toBe(400);
});

it('answers a request signed with a rogue key with 401', async () => {
  const rogue = alipaySdk(env.url, { privateKey: fixtureKeys.rogue.privateKeyPem });
  const error = await rejection(rogue.curl('POST', '/v3/alipay/trade/query', { body: { out_trade_no: 'ANY' } }));
  expect(error.responseHttpStatus).toBe(401);
  expect(error.code).toBe('isv.invalid-signature');
});

it('answers an unknown app with 401', async () => {
  const stranger = alipaySdk(env.url, { appId: '2021000000009999' });
  const error = await rejection(stranger.curl('POST', '/v3/alipay/trade/query', { body: { out_trade_no: 'ANY' } }));
  expect(error.responseHttpStatus).toBe(401);
  expect(error.code).toBe('isv.invalid-app-id');
});

it('signs 2xx answers so that an SDK trusting another Alipay public key rejects them', async () => {
  const misconfigured = alipaySdk(env.url, { alipayPublicKey: fixtureKeys.rogue.publicKeyPem });
  const body = { out_trade_no: uniqueNo('V3S'), total_amount: '1.00', subject: 'x' };
  const error = await rejection(misconfigured.curl('POST', '/v3/alipay/trade/precreate', { body }));
  expect(error.code).toBe('response-signature-verify-error');
});

// Client mistakes get WeChat Pay's own error format, signed, never a 5xx or a stack trace: validly signed
// requests with malformed bodies, paths and parameters, and requests that are not signed at all.
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureKeys } from '../../support/keys.ts';
import { startWechatpaySimulator, type WechatpaySimulator } from '../../support/wechatpay.ts';

let wx: WechatpaySimulator;
beforeAll(async () => {
  wx = await startWechatpaySimulator();
});
afterAll(() => wx.close());

/** A request signed as the merchant would sign it, over exactly these bytes. */
async function signed(method: 'GET' | 'POST', target: string, body = '') {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = 'BADINPUT0123456789';
  const signature = createSign('RSA-SHA256').update(`${method}\n${target}\n${timestamp}\n${nonce}\n${body}\n`).sign(fixtureKeys.merchant.privateKeyPem, 'base64');
  const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${wx.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${wx.data.merchantSerial}"`;
  const response = await fetch(`${wx.env.url}${target}`, { method, headers: { authorization, 'content-type': 'application/json' }, ...(method === 'POST' ? { body } : {}) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const order = (fields: Record<string, unknown>) => JSON.stringify({ appid: 'wxd930ea5d5a258f4f', mchid: '1900000001', description: 'x', out_trade_no: 'BAD-INPUT-1', notify_url: 'https://m.test/n', amount: { total: 1 }, ...fields });

it.each([
  ['an empty body', 'POST', '/v3/pay/transactions/native', '', 400, 'PARAM_ERROR'],
  ['JSON null', 'POST', '/v3/pay/transactions/native', 'null', 400, 'PARAM_ERROR'],
  ['an array', 'POST', '/v3/pay/transactions/native', '[1,2]', 400, 'PARAM_ERROR'],
  ['broken JSON', 'POST', '/v3/pay/transactions/native', '{"appid":', 400, 'PARAM_ERROR'],
  ['an amount as a string', 'POST', '/v3/pay/transactions/native', order({ amount: { total: '1' } }), 400, 'PARAM_ERROR'],
  ['a fractional amount', 'POST', '/v3/pay/transactions/native', order({ amount: { total: 1.5 } }), 400, 'PARAM_ERROR'],
  ['a huge amount', 'POST', '/v3/pay/transactions/native', order({ amount: { total: 1e300 } }), 400, 'PARAM_ERROR'],
  ['another currency', 'POST', '/v3/pay/transactions/native', order({ amount: { total: 1, currency: 'USD' } }), 400, 'PARAM_ERROR'],
  ['a short out_trade_no', 'POST', '/v3/pay/transactions/native', order({ out_trade_no: 'abc' }), 400, 'PARAM_ERROR'],
  ['a notify_url with a query', 'POST', '/v3/pay/transactions/native', order({ notify_url: 'https://m.test/n?a=1' }), 400, 'PARAM_ERROR'],
  ['a bad time_expire', 'POST', '/v3/pay/transactions/native', order({ time_expire: 'tomorrow' }), 400, 'PARAM_ERROR'],
  ['another merchant in the body', 'POST', '/v3/pay/transactions/native', order({ mchid: '1900000002' }), 400, 'PARAM_ERROR'],
  ['jsapi without payer', 'POST', '/v3/pay/transactions/jsapi', order({}), 400, 'PARAM_ERROR'],
  ['h5 without scene_info', 'POST', '/v3/pay/transactions/h5', order({}), 400, 'PARAM_ERROR'],
  ['a query without mchid', 'GET', '/v3/pay/transactions/out-trade-no/BAD-INPUT-1', '', 400, 'PARAM_ERROR'],
  ['a path that does not percent-decode', 'GET', '/v3/pay/transactions/out-trade-no/%E0%A4%A?mchid=1900000001', '', 400, 'PARAM_ERROR'],
  ['an unknown API', 'GET', '/v3/pay/transactions/unknown', '', 404, 'NOT_FOUND'],
  ['the wrong method', 'GET', '/v3/refund/domestic/refunds', '', 404, 'NOT_FOUND'],
  ['a refund without amount', 'POST', '/v3/refund/domestic/refunds', JSON.stringify({ out_trade_no: 'BAD-INPUT-1', out_refund_no: 'R1' }), 400, 'PARAM_ERROR'],
  ['a refund of neither order id', 'POST', '/v3/refund/domestic/refunds', JSON.stringify({ out_refund_no: 'R1', amount: { refund: 1, total: 1 } }), 400, 'PARAM_ERROR'],
  ['a bill of an unknown type', 'GET', '/v3/bill/tradebill?bill_date=2026-01-01&bill_type=WHATEVER', '', 400, 'PARAM_ERROR'],
  ['a bill with tar_type ZIP', 'GET', '/v3/bill/tradebill?bill_date=2026-01-01&tar_type=ZIP', '', 400, 'PARAM_ERROR'],
  ['a download without token', 'GET', '/v3/billdownload/file', '', 400, 'INVALID_REQUEST'],
] as const)('answers %s with a signed WeChat Pay error', async (_label, method, target, body, status, code) => {
  const answer = await signed(method, target, body);
  expect(answer.status).toBe(status);
  const parsed = JSON.parse(answer.text) as { code: string; message: string };
  expect(parsed.code).toBe(code);
  expect(parsed.message.length).toBeGreaterThan(0);
  expect(answer.headers.get('wechatpay-signature')).toBeTruthy();
  expect(answer.text).not.toMatch(/\n\s+at .*:\d+:\d+|\\n\s+at /);
});

it('answers a body over the limit with 400 INVALID_REQUEST, and unsigned requests with 401 SIGN_ERROR, never 5xx', async () => {
  const large = await signed('POST', '/v3/pay/transactions/native', order({ description: 'x'.repeat(1024 * 1024 + 10) }));
  expect([large.status, (JSON.parse(large.text) as { code: string }).code]).toEqual([400, 'INVALID_REQUEST']);
  for (const authorization of ['', 'WECHATPAY2-SHA256-RSA2048', 'WECHATPAY2-SHA256-RSA2048 mchid="x"', 'Basic abc', `WECHATPAY2-SHA256-RSA2048 mchid="${wx.mchid}",nonce_str="n",signature="@@@",timestamp="abc",serial_no="${wx.data.merchantSerial}"`]) {
    const response = await fetch(`${wx.env.url}/v3/certificates`, { headers: authorization ? { authorization } : {} });
    expect(response.status, authorization).toBeLessThan(500);
    expect(response.status, authorization).toBeGreaterThanOrEqual(400);
    expect(['SIGN_ERROR', 'MCH_NOT_EXISTS']).toContain(((await response.json()) as { code: string }).code);
  }
});

// What a careless or hostile client sends still gets a well-formed answer: a 4xx for its own mistake
// (never a 500 or a stack trace), valid JSON whatever the method name holds, signatures the SDK can
// check whichever sign type it uses, and parameters checked as strictly on every path.
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { openPageLink } from '../../support/browser.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { barcodeOrder, createOrder, precreateOrder, uniqueNo } from '../../support/orders.ts';
import { commonParameters, postGateway, signRequest } from '../../support/raw-gateway.ts';
import { alipaySdk, defaultAppId, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';
import { stackFramePattern } from '../../support/wire-recorder.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
});
afterAll(() => env.close());

const exec = (method: string, bizContent: Record<string, unknown>, extra: Record<string, unknown> = {}, client = sdk) =>
  client.exec(method, { bizContent, ...extra }, verified);

async function rejection(call: Promise<unknown>): Promise<AlipayRequestError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AlipayRequestError);
  return error as AlipayRequestError;
}

describe('URLs that do not percent-decode', () => {
  it('answers a cashier link with malformed percent-encoding with a 400 page, not a 500', async () => {
    const response = await fetch(`${env.url}/cashier/%zz`);
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).not.toMatch(stackFramePattern);
  });

  it('answers a control API path with a truncated UTF-8 escape with 400 BAD_REQUEST in {code, message}', async () => {
    const response = await fetch(`${env.url}/_sim/trades/alipay/%E0%A4%A`);
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('%E0%A4%A') });
    expect(text).not.toMatch(stackFramePattern);
  });
});

describe('the v2 response key', () => {
  /** POSTs to /gateway.do with a raw query string and returns the parsed envelope. */
  async function gatewayEnvelope(queryString: string, body = ''): Promise<Record<string, unknown>> {
    const response = await fetch(`${env.url}/gateway.do?${queryString}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return JSON.parse(text) as Record<string, unknown>;
  }

  it('answers a method name holding a quote with valid JSON under error_response', async () => {
    const envelope = await gatewayEnvelope('method=a%22b');
    expect(Object.keys(envelope)).toEqual(['error_response', 'sign']);
    expect(envelope.error_response).toMatchObject({ code: '40002', sub_code: 'isv.invalid-method' });
  });

  it('answers a method name holding a quote with an oversize body with valid JSON under error_response', async () => {
    const envelope = await gatewayEnvelope(`method=a%22b&app_id=${defaultAppId}`, `biz_content=${'x'.repeat(1024 * 1024 + 1)}`);
    expect(Object.keys(envelope)).toEqual(['error_response', 'sign']);
    expect(envelope.error_response).toMatchObject({ code: '40002', sub_code: 'isv.invalid-parameter' });
  });

  it('keeps <name>_response for an unknown but well-formed method, so the SDK can read the error', async () => {
    const envelope = await gatewayEnvelope('method=alipay.trade.teleport');
    expect(Object.keys(envelope)).toEqual(['alipay_trade_teleport_response', 'sign']);
  });

  it('uses error_response for a method name longer than 128 characters', async () => {
    const envelope = await gatewayEnvelope(`method=${'a'.repeat(129)}`);
    expect(Object.keys(envelope)).toEqual(['error_response', 'sign']);
  });
});

describe('sign_type=RSA', () => {
  const rsaSdk = () =>
    new AlipaySdk({
      appId: defaultAppId,
      privateKey: fixtureKeys.merchant.privateKeyPem,
      alipayPublicKey: fixtureKeys.channel.publicKeyPem,
      gateway: `${env.url}/gateway.do`,
      endpoint: env.url,
      signType: 'RSA',
      timeout: 10_000,
    });

  it('signs the answers of an SDK configured with signType RSA with RSA-SHA1, which it verifies', async () => {
    const client = rsaSdk();
    const outTradeNo = uniqueNo('RSA1');
    expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo), {}, client)).toMatchObject({ code: '10000', outTradeNo });
    expect(await exec('alipay.trade.query', { outTradeNo }, {}, client)).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
    const paid = uniqueNo('RSA1');
    await exec('alipay.trade.pay', barcodeOrder(paid), {}, client);
    expect(await exec('alipay.trade.query', { outTradeNo: paid }, {}, client)).toMatchObject({ code: '10000', tradeStatus: 'TRADE_SUCCESS' });
  });

  it('signs a gateway error for an RSA request with RSA-SHA1 too', async () => {
    expect(await exec('alipay.trade.teleport', { outTradeNo: 'X' }, {}, rsaSdk())).toMatchObject({ code: '40002', subCode: 'isv.invalid-method' });
  });

  it('signs a fault-injected business error for an RSA request with RSA-SHA1 too', async () => {
    const rule = env.sim.engine.faults.add({ match: { api: 'alipay.trade.query' }, fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' }, timesMax: 1 });
    try {
      expect(await exec('alipay.trade.query', { outTradeNo: uniqueNo('RSAF') }, {}, rsaSdk())).toMatchObject({ code: '40004', subCode: 'ACQ.SYSTEM_ERROR' });
    } finally {
      env.sim.engine.faults.remove(rule.id);
    }
  });

  it('keeps signing the answers of RSA2 requests with RSA-SHA256', async () => {
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('RSA2')))).toMatchObject({ code: '10000' });
  });
});

describe('HTTP methods of /gateway.do', () => {
  it.each(['PUT', 'DELETE', 'PATCH', 'HEAD'])('answers %s with 405 and Allow: GET, POST', async (method) => {
    const response = await fetch(`${env.url}/gateway.do?method=alipay.trade.query`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  it('still answers GET with the gateway\'s JSON', async () => {
    const response = await fetch(`${env.url}/gateway.do?method=alipay.trade.query`);
    expect(response.status).toBe(200);
    expect(Object.keys(JSON.parse(await response.text()) as object)).toEqual(['alipay_trade_query_response', 'sign']);
  });
});

describe('cancel', () => {
  it('answers cancel of a paid trade whose full refund is still processing with action refund and no new refund', async () => {
    const outTradeNo = uniqueNo('CXL');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '10.00'));
    expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.00', outRequestNo: 'R1' })).toMatchObject({ code: '10000' });
    expect(await exec('alipay.trade.cancel', { outTradeNo })).toMatchObject({ code: '10000', action: 'refund', retryFlag: 'N' });
    const refunds = env.sim.engine.refunds.all().filter((refund) => refund.outTradeNo === outTradeNo);
    expect(refunds.map((refund) => [refund.outRequestNo, refund.amountFen])).toEqual([['R1', 1000]]);
  });

  it('refunds what is left when part of a paid trade is already being refunded', async () => {
    const outTradeNo = uniqueNo('CXL');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '10.00'));
    await exec('alipay.trade.refund', { outTradeNo, refundAmount: '3.00', outRequestNo: 'R1' });
    expect(await exec('alipay.trade.cancel', { outTradeNo })).toMatchObject({ code: '10000', action: 'refund' });
    const refunds = env.sim.engine.refunds.all().filter((refund) => refund.outTradeNo === outTradeNo);
    expect(refunds.map((refund) => refund.amountFen).sort((a, b) => a - b)).toEqual([300, 700]);
  });
});

describe('v3 query parameters', () => {
  const billPath = '/v3/alipay/data/dataservice/bill/downloadurl/query';

  it('refuses a parameter given twice with different values with 400 isv.invalid-parameter', async () => {
    const error = await rejection(sdk.curl('GET', `${billPath}?bill_type=trade&bill_date=2026-01-01&bill_date=2026-01-02`));
    expect(error.responseHttpStatus).toBe(400);
    expect(error.code).toBe('isv.invalid-parameter');
    expect(error.message).toContain('bill_date');
  });

  it('accepts a parameter repeated with the same value', async () => {
    const error = await rejection(sdk.curl('GET', `${billPath}?bill_type=trade&bill_type=trade&bill_date=${formatBeijingDate(env.clock.now())}`));
    // Today's bill does not exist yet: the request itself was read.
    expect(error.code).toBe('isp.bill_not_exist');
  });
});

describe('the gateway timestamp', () => {
  it.each(['2026-01-01', '2026-01-01T08:00:00', '2026-01-01 8:00:00'])('refuses timestamp "%s" with 40002 isv.invalid-timestamp', async (timestamp) => {
    const params = signRequest({ ...commonParameters('alipay.trade.query', JSON.stringify({ out_trade_no: 'X' })), timestamp });
    const answer = await postGateway(env.url, params);
    const inner = (JSON.parse(answer.text) as Record<string, Record<string, string>>).alipay_trade_query_response;
    expect(inner).toMatchObject({ code: '40002', sub_code: 'isv.invalid-timestamp' });
  });
});

describe('bills before the app was registered', () => {
  it.each([
    ['1970-01-01', () => '1970-01-01'],
    ['the day before registration', () => formatBeijingDate(env.sim.engine.apps.get('alipay', defaultAppId)!.createdAtMs - 24 * 60 * 60_000)],
  ])('answers a bill for %s with isp.bill_not_exist', async (_name, billDate) => {
    expect(await exec('alipay.data.dataservice.bill.downloadurl.query', { billType: 'trade', billDate: billDate() })).toMatchObject({ code: '40004', subCode: 'isp.bill_not_exist' });
  });
});

describe('notify_url and return_url', () => {
  const badUrls = ['ftp://merchant.example/notify', '/notify', 'merchant.example/notify', 'http://', 'javascript:alert(1)'];

  it.each(badUrls)('refuses precreate with notify_url "%s" with 40002 naming notify_url', async (notifyUrl) => {
    const result = await exec('alipay.trade.precreate', precreateOrder(uniqueNo('URL')), { notifyUrl });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    expect(result.subMsg).toContain('notify_url');
  });

  it('refuses create and pay with a relative notify_url, and precreate with a relative return_url', async () => {
    for (const [method, order] of [['alipay.trade.create', createOrder(uniqueNo('URL'))], ['alipay.trade.pay', barcodeOrder(uniqueNo('URL'))]] as const) {
      const result = await exec(method, order, { notifyUrl: '/notify' });
      expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
      expect(result.subMsg).toContain('notify_url');
    }
    const result = await exec('alipay.trade.precreate', precreateOrder(uniqueNo('URL')), { returnUrl: 'return' });
    expect(result.subMsg).toContain('return_url');
  });

  it.each(['alipay.trade.page.pay', 'alipay.trade.wap.pay'])('shows %s with a relative return_url an error page naming return_url', async (method) => {
    const productCode = method === 'alipay.trade.page.pay' ? 'FAST_INSTANT_TRADE_PAY' : 'QUICK_WAP_WAY';
    const link = sdk.pageExec(method, 'GET', { bizContent: { ...precreateOrder(uniqueNo('URL')), productCode }, returnUrl: '/paid' });
    const response = await openPageLink(link);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('isv.invalid-parameter');
    expect(html).toContain('return_url');
  });

  it('accepts an absolute https notify_url', async () => {
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('URL')), { notifyUrl: 'https://merchant.example/alipay/notify?x=1' })).toMatchObject({ code: '10000' });
  });

  it('refuses a v3 body whose notify_url is not an absolute http(s) URL with 400 isv.invalid-parameter', async () => {
    for (const notifyUrl of ['/notify', 42]) {
      const body = { out_trade_no: uniqueNo('V3URL'), total_amount: '8.00', subject: 'v3', notify_url: notifyUrl };
      const error = await rejection(sdk.curl('POST', '/v3/alipay/trade/precreate', { body }));
      expect(error.responseHttpStatus).toBe(400);
      expect(error.code).toBe('isv.invalid-parameter');
      expect(error.message).toContain('notify_url');
    }
  });
});

// alipay.trade.page.pay and alipay.trade.wap.pay through `sdk.pageExec`, in its GET (link) and POST
// (auto-submitting form) forms: the browser reaches the cashier, and the buyer's choice there decides
// what the merchant's return_url, quit_url and notify_url see (§2.5, §9).
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyerChooses, cashierPathOf, openPageLink, parsePageForm, submitPageForm } from '../../support/browser.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';
import { fixtureKeys } from '../../support/keys.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let merchant: MerchantReceiver;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  merchant = await startMerchantReceiver(() => env.clock.now());
});
afterAll(async () => {
  await env.close();
  await merchant.close();
});

type PageMethod = 'alipay.trade.page.pay' | 'alipay.trade.wap.pay';
type HttpForm = 'GET' | 'POST';

const productCodes: Record<PageMethod, string> = { 'alipay.trade.page.pay': 'FAST_INSTANT_TRADE_PAY', 'alipay.trade.wap.pay': 'QUICK_WAP_WAY' };
const subject = '年度会员 <VIP> & 礼包';

interface Checkout {
  readonly outTradeNo: string;
  readonly name: string;
  /** The gateway's answer to the browser. */
  readonly response: Response;
}

/** The merchant builds the page request with the SDK; the browser sends it to the gateway. */
async function checkout(method: PageMethod, form: HttpForm, extra: Record<string, string> = {}, client = sdk): Promise<Checkout> {
  const outTradeNo = uniqueNo('PG');
  const name = outTradeNo;
  const params = {
    bizContent: { outTradeNo, totalAmount: '88.80', subject, productCode: productCodes[method], ...(method === 'alipay.trade.wap.pay' ? { quitUrl: `${merchant.url}/quit/${name}` } : {}), ...extra },
    returnUrl: merchant.returnUrl(name),
    notifyUrl: merchant.notifyUrl(name),
  };
  const page = client.pageExec(method, form, params);
  const response = form === 'GET' ? await openPageLink(page) : await submitPageForm(page);
  return { outTradeNo, name, response };
}

const query = (outTradeNo: string) => sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, verified);

const cases: [PageMethod, HttpForm][] = [
  ['alipay.trade.page.pay', 'GET'],
  ['alipay.trade.page.pay', 'POST'],
  ['alipay.trade.wap.pay', 'GET'],
  ['alipay.trade.wap.pay', 'POST'],
];

it('builds a POST form whose action URL carries the signature and whose hidden inputs carry alipay_sdk and biz_content', () => {
  const html = sdk.pageExec('alipay.trade.page.pay', 'POST', { bizContent: { outTradeNo: 'X', totalAmount: '1.00', subject: 's', productCode: 'FAST_INSTANT_TRADE_PAY' } });
  const form = parsePageForm(html);
  expect(new URL(form.action).pathname).toBe('/gateway.do');
  expect(new URL(form.action).searchParams.get('sign')).toBeTruthy();
  expect(form.fields.alipay_sdk).toMatch(/^alipay-sdk-nodejs/);
  expect(JSON.parse(form.fields.biz_content!)).toMatchObject({ out_trade_no: 'X', product_code: 'FAST_INSTANT_TRADE_PAY' });
});

describe.each(cases)('%s in %s form', (method, form) => {
  it('reaches the cashier, which shows the subject, the amount and the merchant', async () => {
    const { response } = await checkout(method, form);
    const cashierPath = await cashierPathOf(response);
    expect(cashierPath).toMatch(/^\/cashier\/[0-9a-f]+$/);
    const page = await fetch(`${env.url}${cashierPath}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('年度会员 &lt;VIP&gt; &amp; 礼包');
    expect(html).toContain('88.80');
    expect(html).toContain('paysim 默认商户');
  });

  it('redirects a paying buyer to return_url with parameters that pass checkNotifySignV2', async () => {
    const { response, outTradeNo, name } = await checkout(method, form);
    const paid = await buyerChooses(env.url, await cashierPathOf(response), 'pay');
    expect(paid.status).toBe(302);
    const location = new URL(paid.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(merchant.returnUrl(name));

    // The browser follows the redirect; the merchant's return page reads the query string.
    expect((await fetch(location)).status).toBe(200);
    const [arrival] = merchant.returns(name);
    expect(arrival?.method).toBe('GET');
    const params = arrival!.params;
    expect(sdk.checkNotifySignV2(params)).toBe(true);
    expect(params).toMatchObject({ method: `${method}.return`, out_trade_no: outTradeNo, total_amount: '88.80', app_id: env.appId, charset: 'utf-8', sign_type: 'RSA2' });
    expect(params.trade_no).toMatch(/^\d{28}$/);
    expect(Object.values(params).every((value) => value !== '')).toBe(true);
    expect(params).not.toHaveProperty('trade_status');
    expect((await query(outTradeNo)).tradeStatus).toBe('TRADE_SUCCESS');
  });
});

describe('the buyer at the cashier', () => {
  it('sends a signed TRADE_SUCCESS notify after paying on the page', async () => {
    const { response, outTradeNo, name } = await checkout('alipay.trade.page.pay', 'POST', { passbackParams: 'cart=42' });
    await buyerChooses(env.url, await cashierPathOf(response), 'pay');
    await env.clock.advance(0);
    const [notify] = merchant.notifications(name);
    expect(sdk.checkNotifySignV2(notify!.params)).toBe(true);
    expect(notify!.params).toMatchObject({ out_trade_no: outTradeNo, trade_status: 'TRADE_SUCCESS', total_amount: '88.80', subject, passback_params: 'cart=42' });
  });

  it('leaves the trade unpaid when the balance is insufficient', async () => {
    const { response, outTradeNo } = await checkout('alipay.trade.page.pay', 'GET');
    const attempt = await buyerChooses(env.url, await cashierPathOf(response), 'insufficient');
    expect(attempt.status).toBe(200);
    expect(await attempt.text()).toContain('余额不足');
    expect(await query(outTradeNo)).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY' });
  });

  it('is sent to quit_url when cancelling a wap payment, and the trade stays unpaid', async () => {
    const { response, outTradeNo, name } = await checkout('alipay.trade.wap.pay', 'GET');
    const cancelled = await buyerChooses(env.url, await cashierPathOf(response), 'cancel');
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get('location')).toBe(`${merchant.url}/quit/${name}`);
    expect((await query(outTradeNo)).tradeStatus).toBe('WAIT_BUYER_PAY');
  });

  it('cannot pay the same trade twice', async () => {
    const { response } = await checkout('alipay.trade.page.pay', 'GET');
    const cashierPath = await cashierPathOf(response);
    await buyerChooses(env.url, cashierPath, 'pay');
    const again = await buyerChooses(env.url, cashierPath, 'pay');
    expect(again.status).toBe(409);
  });
});

describe('invalid page requests', () => {
  it('show an error page, not JSON, for a wrong product_code', async () => {
    const { response } = await checkout('alipay.trade.page.pay', 'POST', { productCode: 'QUICK_WAP_WAY' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('isv.invalid-parameter');
    expect(html).toContain('product_code');
  });

  it('show an isv.invalid-signature error page when signed with a key the app does not have', async () => {
    const rogue = alipaySdk(env.url, { privateKey: fixtureKeys.rogue.privateKeyPem });
    const { response } = await checkout('alipay.trade.wap.pay', 'GET', {}, rogue);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('isv.invalid-signature');
  });
});

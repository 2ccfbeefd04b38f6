// Consumer contract of WeChat Pay's trade bill (docs/wechatpay-protocol.md §6.6): GET /v3/bill/tradebill
// gives a 30-second download_url and the SHA1 of the file, then the connector GETs the file through the
// configured base URL, signed like any v3 request; the answer is the raw file, unsigned. Both requests
// are in one test, because the real connector makes both in one call.
import { createHash } from 'node:crypto';
import { MatchersV3 } from '@pact-foundation/pact';
import { expect, it } from 'vitest';
import { wechatPatterns } from '../../support/wechatpay-wire.ts';
import { wechatApiStates } from '../../wechatpay-states.ts';
import { apiRequest, pinExampleTime, signedAnswer, signedWechatRequests, wechatpayConnectorAt, wechatpayPact } from './support.ts';

const { fromProviderState, regex } = MatchersV3;

pinExampleTime();

/** A day's ALL bill with no rows: BOM, the detail header, the summary header and its zero totals (§9). */
const emptyBill = Buffer.from(
  '\uFEFF交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n' +
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n' +
    '`0,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00\n',
  'utf8',
);
const exampleToken = '6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA_Cv_isgaUtBzp4QtiozLO';

it("downloads the day's trade bill through the download_url tradebill gives, and checks its SHA1", async () => {
  const state = wechatApiStates.billReady;
  const hash = createHash('sha1').update(emptyBill).digest('hex');
  const pact = wechatpayPact();
  pact
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a trade bill query for ${state.billDate}`)
    .withRequest('GET', '/v3/bill/tradebill', (request) => apiRequest(request, { method: 'GET', path: '/v3/bill/tradebill', query: { bill_date: state.billDate, bill_type: 'ALL' } }))
    .willRespondWith(200, (response) =>
      signedAnswer(response, {
        download_url: regex('^https?://[^/\\s]+/v3/billdownload/file\\?token=[A-Za-z0-9_-]+$', `https://api.mch.weixin.qq.com/v3/billdownload/file?token=${exampleToken}`),
        hash_type: 'SHA1',
        hash_value: regex(wechatPatterns.sha1, hash),
      }),
    );
  await pact
    .addInteraction()
    .given(state.name)
    .uponReceiving(`the download of the bill of ${state.billDate} through its download_url`)
    .withRequest('GET', '/v3/billdownload/file', (request) => {
      apiRequest(request, { method: 'GET', path: '/v3/billdownload/file', query: { token: exampleToken } });
      // The provider mints a fresh link (30 s, with a token): the replay takes the token from its state.
      request.query({ token: fromProviderState('${token}', exampleToken) });
    })
    .willRespondWith(200, (response) => {
      response.body('text/plain', emptyBill);
      response.headers({ 'Content-Type': regex('^(text/plain|application/octet-stream).*$', 'text/plain; charset=utf-8') });
    })
    .executeTest(signedWechatRequests(async (baseUrl) => {
      const bill = await wechatpayConnectorAt(baseUrl).downloadBill(state.billDate);
      expect(bill).toEqual({ kind: 'ready', file: emptyBill, fileName: `${state.billDate}_ALL.csv` });
    }, { requests: 2 }));
});

// Consumer contract of WeChat Pay payments: the core's real WeChat Pay connector (wechatpay-axios-plugin,
// every answer's signature verified, business errors included) creates, queries and closes orders
// against the Pact mock server, which answers with validly signed bodies; every request the connector
// sends is checked to carry a merchant signature that verifies (signedWechatRequests).
import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { ChannelUnavailableError, type ChannelPaymentStatus, type CreatePaymentRequest } from '../../../core/connectors/channel.ts';
import { wechatpayContract } from '../../support/participants.ts';
import { wechatPatterns } from '../../support/wechatpay-wire.ts';
import { wechatApiStates, type WechatTradeState } from '../../wechatpay-states.ts';
import { apiRequest, errorBody, pinExampleTime, signedAnswer, signedWechatRequests, wechatpayConnectorAt, wechatpayPact } from './support.ts';

const { regex } = MatchersV3;

pinExampleTime();

const description = 'paysim 合约测试订单';
const notifyUrl = 'http://127.0.0.1:4020/notify/wechatpay';
const returnUrl = 'http://127.0.0.1:4020/return/wechatpay';
/** 2026-01-01 12:00:00 Beijing: ahead of the provider's virtual time (2025-12-31 20:00). */
const expiresAtMs = Date.parse('2026-01-01T12:00:00+08:00');
const timeExpire = '2026-01-01T12:00:00+08:00';
const exampleTransactionId = '4200002050202601019075905809';
const examplePaidAt = '2026-01-01T09:30:00+08:00';
const exampleOpenid = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

function orderBody(state: WechatTradeState): Record<string, unknown> {
  // The connector's key order (core/connectors/wechatpay/payments.ts orderBody): the SDK signs JSON.stringify of it.
  return {
    appid: wechatpayContract.appid,
    mchid: wechatpayContract.mchid,
    description,
    out_trade_no: state.outTradeNo,
    time_expire: timeExpire,
    notify_url: notifyUrl,
    amount: { total: state.totalFen, currency: 'CNY' },
  };
}

function paymentOf(state: WechatTradeState, method: 'wechatpay.native' | 'wechatpay.h5'): CreatePaymentRequest {
  return { paymentNo: state.outTradeNo, method, amountFen: state.totalFen, subject: description, expiresAtMs, notifyUrl, returnUrl, payerClientIp: '127.0.0.1' };
}

const queryPath = (outTradeNo: string) => `/v3/pay/transactions/out-trade-no/${outTradeNo}`;
const queryCall = (state: WechatTradeState) => ({ method: 'GET' as const, path: queryPath(state.outTradeNo), query: { mchid: wechatpayContract.mchid } });

const orderFields = (state: WechatTradeState, tradeState: string) => ({
  amount: { total: state.totalFen },
  appid: wechatpayContract.appid,
  mchid: wechatpayContract.mchid,
  out_trade_no: state.outTradeNo,
  trade_state: tradeState,
});
const paidFields = (state: WechatTradeState) => ({
  amount: { total: state.totalFen, payer_total: state.totalFen, currency: 'CNY', payer_currency: 'CNY' },
  transaction_id: regex(wechatPatterns.transactionId, exampleTransactionId),
  success_time: regex(wechatPatterns.rfc3339, examplePaidAt),
  payer: { openid: regex(wechatPatterns.openid, exampleOpenid) },
});
const paidAtMs = Date.parse(examplePaidAt);

describe('creating a payment', () => {
  it('creates a Native order and hands back its code_url as the QR code', async () => {
    const state = wechatApiStates.nativeNotCreated;
    const codeUrl = 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz';
    await wechatpayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a Native order ${state.outTradeNo} of ${state.totalFen} fen`)
      .withRequest('POST', '/v3/pay/transactions/native', (request) => apiRequest(request, { method: 'POST', path: '/v3/pay/transactions/native', body: orderBody(state) }))
      .willRespondWith(200, (response) => signedAnswer(response, { code_url: regex(wechatPatterns.url, codeUrl) }))
      .executeTest(signedWechatRequests(async (baseUrl) => {
        expect(await wechatpayConnectorAt(baseUrl).createPayment(paymentOf(state, 'wechatpay.native'))).toEqual({ kind: 'created', qrCode: codeUrl });
      }, { requests: 1 }));
  });

  it('creates an H5 order with the payer IP and hands back its h5_url, with the return URL as redirect_url', async () => {
    const state = wechatApiStates.h5NotCreated;
    const h5Url = 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx201410272009395522657a690389285100&package=1405458241';
    const body = { ...orderBody(state), scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } };
    await wechatpayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`an H5 order ${state.outTradeNo} of ${state.totalFen} fen`)
      .withRequest('POST', '/v3/pay/transactions/h5', (request) => apiRequest(request, { method: 'POST', path: '/v3/pay/transactions/h5', body }))
      .willRespondWith(200, (response) => signedAnswer(response, { h5_url: regex('^https?://\\S+$', h5Url) }))
      .executeTest(signedWechatRequests(async (baseUrl) => {
        const created = await wechatpayConnectorAt(baseUrl).createPayment(paymentOf(state, 'wechatpay.h5'));
        expect(created).toEqual({ kind: 'created', payUrl: `${h5Url}&redirect_url=${encodeURIComponent(`${returnUrl}?out_trade_no=${state.outTradeNo}`)}` });
      }, { requests: 1 }));
  });
});

/** One query interaction: the state the provider sets up, the answer it gives, what the connector makes of it. */
async function queryInteraction(state: WechatTradeState, what: string, status: number, answer: Record<string, unknown>, expected: ChannelPaymentStatus): Promise<void> {
  await wechatpayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(what)
    .withRequest('GET', queryPath(state.outTradeNo), (request) => apiRequest(request, queryCall(state)))
    .willRespondWith(status, (response) => signedAnswer(response, answer))
    .executeTest(signedWechatRequests(async (baseUrl) => {
      expect(await wechatpayConnectorAt(baseUrl).queryPayment(state.outTradeNo)).toEqual(expected);
    }, { requests: 1 }));
}

describe('querying a payment', () => {
  it('reads NOTPAY as waiting', async () => {
    const state = wechatApiStates.waiting;
    await queryInteraction(state, `a query of waiting order ${state.outTradeNo}`, 200, orderFields(state, 'NOTPAY'), { kind: 'waiting' });
  });

  it('reads SUCCESS as paid, with the transaction id, amount, payment time and payer', async () => {
    const state = wechatApiStates.paid;
    await queryInteraction(state, `a query of paid order ${state.outTradeNo}`, 200, { ...orderFields(state, 'SUCCESS'), ...paidFields(state) },
      { kind: 'paid', channelTradeNo: exampleTransactionId, amountFen: state.totalFen, paidAtMs, buyerId: exampleOpenid });
  });

  it('reads REFUND (a refund accepted since) as paid, so the payment is never forgotten', async () => {
    const state = wechatApiStates.partlyRefunded;
    await queryInteraction(state, `a query of partly refunded order ${state.outTradeNo}`, 200, { ...orderFields(state, 'REFUND'), ...paidFields(state) },
      { kind: 'paid', channelTradeNo: exampleTransactionId, amountFen: state.totalFen, paidAtMs, buyerId: exampleOpenid });
  });

  it('reads CLOSED as closed unpaid', async () => {
    const state = wechatApiStates.closedUnpaid;
    await queryInteraction(state, `a query of order ${state.outTradeNo}, closed unpaid`, 200, orderFields(state, 'CLOSED'), { kind: 'closed', wasPaid: false, amountFen: state.totalFen });
  });

  it('reads a signed 404 ORDER_NOT_EXIST as an order the channel does not have', async () => {
    const state = wechatApiStates.missing;
    await queryInteraction(state, `a query of unknown order ${state.outTradeNo}`, 404, errorBody('ORDER_NOT_EXIST', '订单不存在'), { kind: 'notFound' });
  });

  // A system error says nothing about the order: the connector must not read it as "not found".
  it('reads a 500 SYSTEM_ERROR as an unknown outcome, never as an answer', async () => {
    const state = wechatApiStates.queryFailing;
    await wechatpayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of order ${state.outTradeNo} while the channel fails`)
      .withRequest('GET', queryPath(state.outTradeNo), (request) => apiRequest(request, queryCall(state)))
      .willRespondWith(500, (response) => signedAnswer(response, errorBody('SYSTEM_ERROR', '系统异常，请稍后重试')))
      .executeTest(signedWechatRequests(async (baseUrl) => {
        await expect(wechatpayConnectorAt(baseUrl).queryPayment(state.outTradeNo)).rejects.toBeInstanceOf(ChannelUnavailableError);
      }, { requests: 1 }));
  });
});

describe('closing a payment', () => {
  const closeCall = (state: WechatTradeState) => ({ method: 'POST' as const, path: `${queryPath(state.outTradeNo)}/close`, body: { mchid: wechatpayContract.mchid } });

  it('closes a waiting order: 204 with an empty, signed body', async () => {
    const state = wechatApiStates.waiting;
    await wechatpayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a close of waiting order ${state.outTradeNo}`)
      .withRequest('POST', `${queryPath(state.outTradeNo)}/close`, (request) => apiRequest(request, closeCall(state)))
      .willRespondWith(204, (response) => signedAnswer(response))
      .executeTest(signedWechatRequests(async (baseUrl) => {
        expect(await wechatpayConnectorAt(baseUrl).closePayment(state.outTradeNo)).toEqual({ kind: 'closed' });
      }, { requests: 1 }));
  });

  it('learns that an order it tried to close was paid: a refusal, then a query', async () => {
    const state = wechatApiStates.paid;
    const pact = wechatpayPact();
    pact
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a close of paid order ${state.outTradeNo}`)
      .withRequest('POST', `${queryPath(state.outTradeNo)}/close`, (request) => apiRequest(request, closeCall(state)))
      .willRespondWith(400, (response) => signedAnswer(response, errorBody('ORDERPAID', '订单已支付')));
    await pact
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of paid order ${state.outTradeNo}`)
      .withRequest('GET', queryPath(state.outTradeNo), (request) => apiRequest(request, queryCall(state)))
      .willRespondWith(200, (response) => signedAnswer(response, { ...orderFields(state, 'SUCCESS'), ...paidFields(state) }))
      .executeTest(signedWechatRequests(async (baseUrl) => {
        expect(await wechatpayConnectorAt(baseUrl).closePayment(state.outTradeNo)).toEqual({ kind: 'alreadyPaid' });
      }, { requests: 2 }));
  });
});

// Consumer contract of the answers the core must tell apart when things go wrong: a definite "no such
// trade", a channel-side system error on a query, a create and a refund (outcome unknown: retry with the
// same numbers, never assume nothing happened), and the gateway refusing the merchant's signature (a
// misconfiguration, not an outage). Every one is a signed 200 answer.
import { MatchersV3 } from '@pact-foundation/pact';
import { expect, it } from 'vitest';
import { AlipayRequestRefusedError } from '../../core/connectors/alipay/index.ts';
import { ChannelUnavailableError } from '../../core/connectors/channel.ts';
import { fixtureKeys } from '../../test/support/keys.ts';
import { gatewayStates } from '../states.ts';
import { patterns, requestSignatureProblem } from '../support/alipay-wire.ts';
import { connectorAt, contractExpiresAtMs, contractTimeExpire, paymentCallbacks } from './support/connector.ts';
import { businessFailure, execRequest, gatewayPact, signedAnswer } from './support/gateway.ts';
import { parametersOf, signedRequests } from './support/request-recorder.ts';

const { regex } = MatchersV3;

const queryOf = (outTradeNo: string) => ({ method: 'alipay.trade.query', bizContent: { out_trade_no: outTradeNo } });

it('reads 40004 ACQ.TRADE_NOT_EXIST as a trade the channel does not have', async () => {
  const state = gatewayStates.missing;
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a query of unknown trade ${state.outTradeNo}`)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryOf(state.outTradeNo)))
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.query', businessFailure('ACQ.TRADE_NOT_EXIST', '交易不存在')))
    .executeTest(signedRequests(async (gateway) => {
      expect(await connectorAt(gateway).queryPayment(state.outTradeNo)).toEqual({ kind: 'notFound' });
    }, { gatewayRequests: 1 }));
});

it('treats 40004 ACQ.SYSTEM_ERROR as an unknown outcome, never as an answer', async () => {
  const state = gatewayStates.queryFailing;
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a query of ${state.outTradeNo} while the channel has a system error`)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryOf(state.outTradeNo)))
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.query', businessFailure('ACQ.SYSTEM_ERROR', '系统繁忙')))
    .executeTest(signedRequests(async (gateway) => {
      const outcome = connectorAt(gateway).queryPayment(state.outTradeNo);
      await expect(outcome).rejects.toBeInstanceOf(ChannelUnavailableError);
      await expect(outcome).rejects.toThrow(/ACQ\.SYSTEM_ERROR/);
    }, { gatewayRequests: 1 }));
});

it('treats ACQ.SYSTEM_ERROR on a precreate as an unknown outcome: the trade may or may not exist', async () => {
  const state = gatewayStates.createFailing;
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a precreate of ${state.outTradeNo} while the channel has a system error`)
    .withRequest('POST', '/gateway.do', (request) =>
      execRequest(request, {
        method: 'alipay.trade.precreate',
        common: { notify_url: paymentCallbacks.notifyUrl },
        // The connector's key order (core/connectors/alipay/payments.ts orderFields).
        bizContent: { out_trade_no: state.outTradeNo, total_amount: state.amount, subject: 'paysim 合约测试订单', time_expire: contractTimeExpire, product_code: 'FACE_TO_FACE_PAYMENT' },
      }),
    )
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.precreate', businessFailure('ACQ.SYSTEM_ERROR', '系统繁忙')))
    .executeTest(signedRequests(async (gateway) => {
      const outcome = connectorAt(gateway).createPayment({
        paymentNo: state.outTradeNo,
        method: 'alipay.qr',
        amountFen: 8880,
        subject: 'paysim 合约测试订单',
        expiresAtMs: contractExpiresAtMs,
        notifyUrl: paymentCallbacks.notifyUrl,
      });
      await expect(outcome).rejects.toBeInstanceOf(ChannelUnavailableError);
      await expect(outcome).rejects.toThrow(/ACQ\.SYSTEM_ERROR/);
    }, { gatewayRequests: 1 }));
});

it('treats ACQ.SYSTEM_ERROR on a refund as an unknown outcome: the money may have moved', async () => {
  const state = gatewayStates.refundFailing;
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a refund of 20.00 of ${state.outTradeNo} while the channel has a system error`)
    .withRequest('POST', '/gateway.do', (request) =>
      execRequest(request, {
        method: 'alipay.trade.refund',
        // The connector's key order (core/connectors/alipay/refunds.ts).
        bizContent: { out_trade_no: state.outTradeNo, out_request_no: 'R-PACT-BUSY', refund_amount: '20.00' },
      }),
    )
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.refund', businessFailure('ACQ.SYSTEM_ERROR', '系统繁忙')))
    .executeTest(signedRequests(async (gateway) => {
      const outcome = connectorAt(gateway).refund({ paymentNo: state.outTradeNo, refundNo: 'R-PACT-BUSY', amountFen: 2000 });
      await expect(outcome).rejects.toBeInstanceOf(ChannelUnavailableError);
      await expect(outcome).rejects.toThrow(/ACQ\.SYSTEM_ERROR/);
    }, { gatewayRequests: 1 }));
});

it('reports 40002 isv.invalid-signature as a refused request: the merchant key is wrong, the channel is not down', async () => {
  const state = gatewayStates.foreignKey;
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a query of ${state.outTradeNo} signed with a key the channel does not know`)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, { ...queryOf(state.outTradeNo), privateKeyPem: fixtureKeys.rogue.privateKeyPem }))
    .willRespondWith(200, (response) =>
      signedAnswer(response, 'alipay.trade.query', {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        // Alipay quotes the string it verified, so the text varies with every request.
        sub_msg: regex(patterns.text, '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：app_id=2021000000000001&biz_content={"out_trade_no":"T-PACT-ANY"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-01-01 08:00:00&version=1.0'),
      }),
    )
    .executeTest(signedRequests(async (gateway, _mockServer, requests) => {
      const outcome = connectorAt(gateway, { privateKeyPem: fixtureKeys.rogue.privateKeyPem }).queryPayment(state.outTradeNo);
      await expect(outcome).rejects.toBeInstanceOf(AlipayRequestRefusedError);
      await expect(outcome).rejects.toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
      // The request really is signed with the other key: it verifies with the rogue key (checked by
      // signedRequests) and not with the merchant's, which is why the channel refuses it.
      expect(requests.map((request) => requestSignatureProblem(parametersOf(request), fixtureKeys.merchant.publicKeyPem))).toEqual([expect.stringMatching(/does not verify/)]);
    }, { gatewayRequests: 1, signedWith: fixtureKeys.rogue.publicKeyPem }));
});

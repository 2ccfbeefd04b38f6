// Consumer contract of the answers the core must tell apart when things go wrong: a definite "no such
// trade", a channel-side system error (outcome unknown: retry, never assume), and the gateway refusing
// the merchant's signature (a misconfiguration, not an outage). Every one is a signed 200 answer.
import { MatchersV3 } from '@pact-foundation/pact';
import { expect, it } from 'vitest';
import { AlipayRequestRefusedError } from '../../core/connectors/alipay/index.ts';
import { ChannelUnavailableError } from '../../core/connectors/channel.ts';
import { fixtureKeys } from '../../test/support/keys.ts';
import { gatewayStates } from '../states.ts';
import { patterns } from '../support/alipay-wire.ts';
import { connectorAt } from './support/connector.ts';
import { businessFailure, execRequest, gatewayPact, signedAnswer } from './support/gateway.ts';

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
    .executeTest(async (mockServer) => {
      expect(await connectorAt(mockServer.url).queryPayment(state.outTradeNo)).toEqual({ kind: 'notFound' });
    });
});

it('treats 40004 ACQ.SYSTEM_ERROR as an unknown outcome, never as an answer', async () => {
  const state = gatewayStates.queryFailing;
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a query of ${state.outTradeNo} while the channel has a system error`)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryOf(state.outTradeNo)))
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.query', businessFailure('ACQ.SYSTEM_ERROR', '系统繁忙')))
    .executeTest(async (mockServer) => {
      const outcome = connectorAt(mockServer.url).queryPayment(state.outTradeNo);
      await expect(outcome).rejects.toBeInstanceOf(ChannelUnavailableError);
      await expect(outcome).rejects.toThrow(/ACQ\.SYSTEM_ERROR/);
    });
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
    .executeTest(async (mockServer) => {
      const outcome = connectorAt(mockServer.url, { privateKeyPem: fixtureKeys.rogue.privateKeyPem }).queryPayment(state.outTradeNo);
      await expect(outcome).rejects.toBeInstanceOf(AlipayRequestRefusedError);
      await expect(outcome).rejects.toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
    });
});

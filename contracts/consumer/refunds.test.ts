// Consumer contract of refunds: alipay.trade.refund (partial, full, more than was paid) and
// alipay.trade.fastpay.refund.query (succeeded, still processing, a refund the channel does not have),
// through the core's real connector, every request checked to carry a valid merchant signature.
import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { gatewayStates, type RefundState, type TradeState } from '../states.ts';
import { patterns } from '../support/alipay-wire.ts';
import { connectorAt } from './support/connector.ts';
import { businessFailure, execRequest, gatewayPact, signedAnswer, success } from './support/gateway.ts';
import { signedRequests } from './support/request-recorder.ts';

const { regex } = MatchersV3;

const exampleTradeNo = '2025123122001471950503864977';
const exampleRefundedAt = '2026-01-01 10:15:00';

function refundCall(trade: TradeState, outRequestNo: string, amount: string, reason?: string) {
  // The connector's key order (core/connectors/alipay/refunds.ts).
  const bizContent: Record<string, string> = { out_trade_no: trade.outTradeNo, out_request_no: outRequestNo, refund_amount: amount };
  if (reason) bizContent.refund_reason = reason;
  return { method: 'alipay.trade.refund', bizContent };
}

/** What an accepted refund answers: fund_change Y and the cumulative refund_fee. */
function refundAccepted(trade: TradeState, refundedTotal: string): Record<string, unknown> {
  return {
    ...success,
    out_trade_no: trade.outTradeNo,
    trade_no: regex(patterns.tradeNo, exampleTradeNo),
    fund_change: 'Y',
    refund_fee: refundedTotal,
  };
}

describe('requesting a refund', () => {
  it('has a partial refund accepted, keyed by out_request_no', async () => {
    const trade = gatewayStates.refundable;
    await gatewayPact()
      .addInteraction()
      .given(trade.name)
      .uponReceiving(`a refund of 20.00 of ${trade.outTradeNo} as R-PACT-PARTIAL`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, refundCall(trade, 'R-PACT-PARTIAL', '20.00', '部分退货')))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.refund', refundAccepted(trade, '20.00')))
      .executeTest(signedRequests(async (gateway) => {
        const result = await connectorAt(gateway).refund({ paymentNo: trade.outTradeNo, refundNo: 'R-PACT-PARTIAL', amountFen: 2000, reason: '部分退货' });
        expect(result).toEqual({ kind: 'accepted' });
      }, { gatewayRequests: 1 }));
  });

  it('has a refund of the whole amount accepted', async () => {
    const trade = gatewayStates.refundable;
    await gatewayPact()
      .addInteraction()
      .given(trade.name)
      .uponReceiving(`a refund of the whole ${trade.amount} of ${trade.outTradeNo} as R-PACT-FULL`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, refundCall(trade, 'R-PACT-FULL', trade.amount)))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.refund', refundAccepted(trade, trade.amount)))
      .executeTest(signedRequests(async (gateway) => {
        const result = await connectorAt(gateway).refund({ paymentNo: trade.outTradeNo, refundNo: 'R-PACT-FULL', amountFen: 8880 });
        expect(result).toEqual({ kind: 'accepted' });
      }, { gatewayRequests: 1 }));
  });

  it('reads a refund of more than was paid as a definite refusal: ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', async () => {
    const trade = gatewayStates.refundable;
    await gatewayPact()
      .addInteraction()
      .given(trade.name)
      .uponReceiving(`a refund of 100.00 of ${trade.outTradeNo}, more than its ${trade.amount}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, refundCall(trade, 'R-PACT-TOO-MUCH', '100.00')))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.refund', businessFailure('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限')))
      .executeTest(signedRequests(async (gateway) => {
        const result = await connectorAt(gateway).refund({ paymentNo: trade.outTradeNo, refundNo: 'R-PACT-TOO-MUCH', amountFen: 10_000 });
        expect(result).toEqual({ kind: 'rejected', code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', message: '退款金额超限' });
      }, { gatewayRequests: 1 }));
  });
});

describe('querying a refund', () => {
  const queryCall = (state: { readonly outTradeNo: string; readonly outRequestNo: string }) => ({
    method: 'alipay.trade.fastpay.refund.query',
    bizContent: { out_trade_no: state.outTradeNo, out_request_no: state.outRequestNo, query_options: ['gmt_refund_pay'] },
  });
  const refundFields = (state: RefundState) => ({
    ...success,
    out_trade_no: state.outTradeNo,
    out_request_no: state.outRequestNo,
    trade_no: regex(patterns.tradeNo, exampleTradeNo),
    total_amount: state.amount,
    refund_amount: state.refundAmount,
  });

  it('reads refund_status REFUND_SUCCESS as succeeded, with the amount and the time', async () => {
    const state = gatewayStates.refundSucceeded;
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of succeeded refund ${state.outRequestNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryCall(state)))
      .willRespondWith(200, (response) =>
        signedAnswer(response, 'alipay.trade.fastpay.refund.query', {
          ...refundFields(state),
          refund_status: 'REFUND_SUCCESS',
          gmt_refund_pay: regex(patterns.dateTime, exampleRefundedAt),
        }),
      )
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).queryRefund(state.outTradeNo, state.outRequestNo)).toEqual({
          kind: 'succeeded', amountFen: 2000, succeededAtMs: Date.parse('2026-01-01T10:15:00+08:00'),
        });
      }, { gatewayRequests: 1 }));
  });

  it('reads an answer without refund_status as still processing', async () => {
    const state = gatewayStates.refundProcessing;
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of processing refund ${state.outRequestNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryCall(state)))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.fastpay.refund.query', refundFields(state)))
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).queryRefund(state.outTradeNo, state.outRequestNo)).toEqual({ kind: 'processing' });
      }, { gatewayRequests: 1 }));
  });

  // notFound is what lets the core submit the refund again under the same out_request_no (after a
  // refund call whose answer was lost): the channel never took it, so resubmitting cannot pay twice.
  it('reads a 10000 answer about a refund number with no refund_amount as a refund the channel does not have', async () => {
    const state = gatewayStates.refundUnknown;
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of refund ${state.outRequestNo}, which was never asked for`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryCall(state)))
      .willRespondWith(200, (response) =>
        // A pact cannot say "no refund_amount, no refund_status"; the connector reads their absence
        // as notFound, and this is the answer it is written against.
        signedAnswer(response, 'alipay.trade.fastpay.refund.query', {
          ...success,
          out_trade_no: state.outTradeNo,
          out_request_no: state.outRequestNo,
          trade_no: regex(patterns.tradeNo, exampleTradeNo),
        }),
      )
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).queryRefund(state.outTradeNo, state.outRequestNo)).toEqual({ kind: 'notFound' });
      }, { gatewayRequests: 1 }));
  });

  it('reads a refund query answering ACQ.TRADE_NOT_EXIST as a refund the channel does not have', async () => {
    const state = { ...gatewayStates.missing, outRequestNo: 'R-PACT-MISSING' };
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of refund ${state.outRequestNo} of unknown trade ${state.outTradeNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryCall(state)))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.fastpay.refund.query', businessFailure('ACQ.TRADE_NOT_EXIST', '交易不存在')))
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).queryRefund(state.outTradeNo, state.outRequestNo)).toEqual({ kind: 'notFound' });
      }, { gatewayRequests: 1 }));
  });
});
